import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';

// The Endpoints page's data: the tenant-wide list (GET /api/v1/endpoints) and one endpoint's
// detail, statistics, headers and secret under /api/v1/app/{app}/endpoint/{endpoint}.

export type EndpointRow = Schemas['EndpointSearchOut'];
export type Endpoint = Schemas['EndpointOut'];
export type EndpointState = 'failing' | 'disabled' | 'enabled';

export interface EndpointFilter {
  state?: EndpointState;
  host?: string;
}

/** Every query of one endpoint starts with this key, so a change refreshes them all at once. */
const endpointKey = (app: string, endpoint: string) => ['endpoint', app, endpoint] as const;

export function useEndpointSearch(filter: EndpointFilter) {
  const client = useConsoleApi();
  return useInfiniteQuery({
    queryKey: ['endpoints', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => client.request('get', '/api/v1/endpoints', { query: { ...filter, limit: 50, iterator: pageParam } }),
    getNextPageParam: (last) => (last.done ? undefined : (last.iterator ?? undefined)),
    // A new filter keeps the rows in view until its answer replaces them (no flash of "Loading").
    placeholderData: keepPreviousData,
  });
}

export function useEndpoint(app: string, endpoint: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: endpointKey(app, endpoint),
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint } }),
  });
}

export function useApplicationName(app: string) {
  const client = useConsoleApi();
  return useQuery({ queryKey: ['application', app], queryFn: () => client.request('get', '/api/v1/app/{app}', { path: { app } }), select: (a) => a.name });
}

/** Deliveries by status over the last 7 days, and the hour series behind the chart. */
export function useEndpointStats(app: string, endpoint: string, since: string) {
  const client = useConsoleApi();
  const counts = useQuery({
    queryKey: [...endpointKey(app, endpoint), 'stats', since],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/stats', { path: { app, endpoint }, query: { since } }),
  });
  const series = useQuery({
    queryKey: [...endpointKey(app, endpoint), 'series', since],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/stats/series', { path: { app, endpoint }, query: { since, granularity: 'hour' } }),
  });
  return { counts, series };
}

/** Refreshes the endpoint and the tenant-wide list (its state or URL may show there). */
function useInvalidateEndpoint(app: string, endpoint: string) {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: endpointKey(app, endpoint) }), queryClient.invalidateQueries({ queryKey: ['endpoints'] })]);
}

export function usePatchEndpoint(app: string, endpoint: string) {
  const client = useConsoleApi();
  const invalidate = useInvalidateEndpoint(app, endpoint);
  return useMutation({
    mutationFn: (body: Schemas['EndpointPatch']) => client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint }, body }),
    onSuccess: invalidate,
  });
}

/** Reading the secret is audited: it is fetched only when the person asks to see it. */
export function useEndpointSecret(app: string, endpoint: string, enabled: boolean) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: [...endpointKey(app, endpoint), 'secret'],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/secret', { path: { app, endpoint } }),
    enabled,
    staleTime: 0,
    gcTime: 0,
  });
}

export function useRotateSecret(app: string, endpoint: string) {
  const client = useConsoleApi();
  const invalidate = useInvalidateEndpoint(app, endpoint);
  return useMutation({
    mutationFn: (gracePeriodSeconds: number) =>
      client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/secret/rotate', { path: { app, endpoint }, body: { gracePeriodSeconds } }),
    onSuccess: invalidate,
  });
}

export function useEndpointHeaders(app: string, endpoint: string, enabled: boolean) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: [...endpointKey(app, endpoint), 'headers'],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/headers', { path: { app, endpoint } }),
    enabled,
  });
}

export function usePatchHeaders(app: string, endpoint: string) {
  const client = useConsoleApi();
  const invalidate = useInvalidateEndpoint(app, endpoint);
  return useMutation({
    mutationFn: (body: Schemas['EndpointHeadersPatchIn']) => client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}/headers', { path: { app, endpoint }, body }),
    onSuccess: invalidate,
  });
}
