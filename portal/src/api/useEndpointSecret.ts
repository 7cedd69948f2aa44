import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';

/** The signing secret, fetched only once the user asks to reveal it. */
export function useEndpointSecret(endpoint: string, revealed: boolean) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['secret', app, endpoint],
    enabled: revealed,
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/secret', { path: { app, endpoint } }),
  });
}

export function useRotateSecret() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, gracePeriodSeconds }: { id: string; gracePeriodSeconds: number }) =>
      client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/secret/rotate', { path: { app, endpoint: id }, body: { gracePeriodSeconds } }),
    onSuccess: (_d, v) => qc.invalidateQueries({ queryKey: ['secret', app, v.id] }),
  });
}
