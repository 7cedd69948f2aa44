import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';

// The tenant's operational webhook endpoints (Svix's /api/v1/operational-webhook/endpoint): where
// Hookline tells the tenant about its own delivery health.

export type OperationalEndpoint = Schemas['OperationalWebhookEndpointOut'];
const KEY = ['operational-endpoints'] as const;

export function useOperationalEndpoints() {
  const client = useConsoleApi();
  return useQuery({ queryKey: KEY, queryFn: () => client.request('get', '/api/v1/operational-webhook/endpoint', { query: { limit: 250 } }) });
}

export function useCreateOperationalEndpoint() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['OperationalWebhookEndpointIn']) => client.request('post', '/api/v1/operational-webhook/endpoint', { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteOperationalEndpoint() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (endpoint: string) => client.request('delete', '/api/v1/operational-webhook/endpoint/{endpoint}', { path: { endpoint } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
