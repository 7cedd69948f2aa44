import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';
import type { Schemas } from '@hookline/ui';

export type Endpoint = Schemas['EndpointOut'];
export type EndpointIn = Schemas['EndpointIn'];
export type EndpointStats = Schemas['EndpointStats'];

export function useApplication() {
  const { client, app } = useApi();
  return useQuery({ queryKey: ['app', app], queryFn: () => client.request('get', '/api/v1/app/{app}', { path: { app } }) });
}

export function useEndpoints() {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['endpoints', app],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint', { path: { app }, query: { limit: 250 } }),
  });
}

export function useEndpoint(endpoint: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['endpoints', app, endpoint],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint } }),
  });
}

export function useEndpointHeaders(endpoint: string | undefined) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['endpoints', app, endpoint, 'headers'],
    enabled: Boolean(endpoint),
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/headers', { path: { app, endpoint: endpoint ?? '' } }),
  });
}

/** Delivery counts of one endpoint for messages sent in [since, until). */
export function useEndpointStats(endpoint: string, since: string, until?: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['endpoints', app, endpoint, 'stats', since, until],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/stats', { path: { app, endpoint }, query: { since, until } }),
  });
}

export function useSaveEndpoint() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    // An update patches the headers: the ones whose values the API hides (credentials) stay unless replaced or removed.
    mutationFn: async ({ id, body, headers, removed = [] }: { id?: string; body: EndpointIn; headers: Record<string, string>; removed?: string[] }) => {
      if (!id) return client.request('post', '/api/v1/app/{app}/endpoint', { path: { app }, body: { ...body, headers } });
      const { headers: _h, ...rest } = body;
      const saved = await client.request('put', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint: id }, body: rest });
      await client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}/headers', { path: { app, endpoint: id }, body: { headers, deleteHeaders: removed } });
      return saved;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['endpoints', app] }),
  });
}

export function useSetEndpointDisabled() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) =>
      client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint: id }, body: { disabled } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['endpoints', app] }),
  });
}

export function useDeleteEndpoint() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => client.request('delete', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint: id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['endpoints', app] }),
  });
}

export function useSendExample() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, eventType }: { id: string; eventType: string }) =>
      client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/send-example', { path: { app, endpoint: id }, body: { eventType } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['attempts', app] }),
  });
}

export function useRecover() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, since }: { id: string; since: string }) =>
      client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/recover', { path: { app, endpoint: id }, body: { since } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['attempts', app] }),
  });
}
