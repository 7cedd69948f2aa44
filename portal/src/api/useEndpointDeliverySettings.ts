import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';

/** The endpoint's own retry schedule, attempt count and timeout; null: the tenant's or the installation's. */
export interface DeliverySettings {
  retrySchedule: number[] | null;
  maxAttempts: number | null;
  timeoutMs: number | null;
}

/** A PATCH with only these fields: the rest of the endpoint stays as it is. */
export function useSaveDeliverySettings(endpoint: string) {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DeliverySettings) => client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app, endpoint }, body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['endpoints', app] }),
  });
}
