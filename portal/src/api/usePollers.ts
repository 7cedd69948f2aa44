import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useApi } from './apiContext.tsx';

export type Poller = Schemas['PollerOut'];
export type PollerIn = Schemas['PollerIn'];

export function usePollers() {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['pollers', app],
    queryFn: () => client.request('get', '/api/v1/app/{app}/poller', { path: { app }, query: { limit: 250 } }),
  });
}

export function useCreatePoller() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PollerIn) => client.request('post', '/api/v1/app/{app}/poller', { path: { app }, body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['pollers', app] }),
  });
}

export function useDeletePoller() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sink: string) => client.request('delete', '/api/v1/app/{app}/poller/{sink}', { path: { app, sink } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['pollers', app] }),
  });
}
