import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';

// The tenant's API keys (/console/v1/api-keys): the list, and the three changes, each of which
// refreshes the list. A created or rotated key's secret is only in the mutation's answer.

export type ApiKey = Schemas['ApiKeyOut'];
export type CreatedKey = Schemas['ApiKeyCreatedOut'];
const KEYS = ['api-keys'] as const;

export function useApiKeys() {
  const client = useConsoleApi();
  return useQuery({ queryKey: KEYS, queryFn: () => client.request('get', '/console/v1/api-keys') });
}

function useRefreshingMutation<V, R>(send: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: send, onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEYS }) });
}

export function useCreateApiKey() {
  const client = useConsoleApi();
  return useRefreshingMutation((body: Schemas['ApiKeyIn']) => client.request('post', '/console/v1/api-keys', { body }));
}

export function useRotateApiKey() {
  const client = useConsoleApi();
  return useRefreshingMutation(({ keyId, gracePeriodSeconds }: { keyId: string; gracePeriodSeconds: number }) =>
    client.request('post', '/console/v1/api-keys/{keyId}/rotate', { path: { keyId }, body: { gracePeriodSeconds } }),
  );
}

export function useRevokeApiKey() {
  const client = useConsoleApi();
  return useRefreshingMutation((keyId: string) => client.request('delete', '/console/v1/api-keys/{keyId}', { path: { keyId } }));
}

/** What a key's state is now (a rotated key stays active until its overlap ends: its expiry). */
export function keyState(key: ApiKey, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}
