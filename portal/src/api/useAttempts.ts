import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';
import type { Schemas } from '@hookline/ui';
import type { LogQuery } from './logQuery.ts';

export type Attempt = Schemas['MessageAttemptOut'];

export function useEndpointAttempts(endpoint: string, query: LogQuery, iterator?: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['attempts', app, 'endpoint', endpoint, query, iterator],
    placeholderData: keepPreviousData,
    enabled: Boolean(endpoint),
    // Logs stay live: new attempts (retries, resends) show up without a reload.
    refetchInterval: 4000,
    queryFn: () =>
      client.request('get', '/api/v1/app/{app}/attempt/endpoint/{endpoint}', {
        path: { app, endpoint },
        query: { ...query, limit: 50, iterator, with_msg: 'true' },
      }),
  });
}

/** Attempts of one message; with `pollFor`, refetches until that endpoint's first attempt has finished. */
export function useMessageAttempts(msg: string, query: Pick<LogQuery, 'status'> = {}, pollFor?: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['attempts', app, 'msg', msg, query],
    refetchInterval: (q) => {
      if (!pollFor) return false;
      const a = q.state.data?.data.find((x) => x.endpointId === pollFor);
      return !a || a.status === 1 || a.status === 3 ? 700 : false;
    },
    queryFn: () => client.request('get', '/api/v1/app/{app}/attempt/msg/{msg}', { path: { app, msg }, query: { ...query, limit: 100 } }),
  });
}

export function useMessage(msg: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['message', app, msg],
    queryFn: () => client.request('get', '/api/v1/app/{app}/msg/{msg}', { path: { app, msg } }),
  });
}

/** One attempt with its response body. */
export function useAttempt(msg: string, attempt: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['attempt', app, msg, attempt],
    queryFn: () => client.request('get', '/api/v1/app/{app}/msg/{msg}/attempt/{attempt}', { path: { app, msg, attempt } }),
  });
}

export function useResend() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ msg, endpoint }: { msg: string; endpoint: string }) =>
      client.request('post', '/api/v1/app/{app}/msg/{msg}/endpoint/{endpoint}/resend', { path: { app, msg, endpoint } }),
    onSuccess: () => setTimeout(() => void qc.invalidateQueries({ queryKey: ['attempts', app] }), 800),
  });
}
