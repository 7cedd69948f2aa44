import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';
import type { SearchQuery } from './messageQuery.ts';

// The Messages page's reads and actions on the tenant API (the session cookie, within the role).

export type FoundMessage = Schemas['MessageSearchOut'];
export type MessageDelivery = Schemas['MessageEndpointOut'];
export type Attempt = Schemas['MessageAttemptOut'];

const PAGE_SIZE = 25;
/** Deliveries still pending or sending change by themselves: poll while any is. */
export const inFlight = (status: number) => status === 1 || status === 3;

export function useMessageSearch(query: SearchQuery, iterator: string | undefined) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['messages', 'search', query, iterator],
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: () => client.request('get', '/api/v1/messages', { query: { ...query, limit: PAGE_SIZE, iterator, with_content: 'false' } }),
  });
}

export function useApplications() {
  const client = useConsoleApi();
  return useQuery({ queryKey: ['applications', 'all'], queryFn: () => client.request('get', '/api/v1/app', { query: { limit: 250 } }) });
}

export function useMessage(app: string, msg: string) {
  const client = useConsoleApi();
  return useQuery({ queryKey: ['messages', 'one', app, msg], queryFn: () => client.request('get', '/api/v1/app/{app}/msg/{msg}', { path: { app, msg } }) });
}

/** Every endpoint the message went to, with its delivery's status. */
export function useDeliveries(app: string, msg: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['messages', 'deliveries', app, msg],
    refetchInterval: (q) => (q.state.data?.data.some((d) => inFlight(d.status)) ? 1000 : false),
    queryFn: () => client.request('get', '/api/v1/app/{app}/msg/{msg}/endpoint', { path: { app, msg }, query: { limit: 250 } }),
  });
}

/** `live`: a delivery is still pending or sending, so attempts are still to come. */
export function useAttempts(app: string, msg: string, live: boolean) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['messages', 'attempts', app, msg],
    refetchInterval: live ? 1000 : false,
    queryFn: () => client.request('get', '/api/v1/app/{app}/attempt/msg/{msg}', { path: { app, msg }, query: { limit: 250 } }),
  });
}

/** One attempt with the request headers the worker recorded and the response. */
export function useAttemptDetail(app: string, msg: string, attempt: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['messages', 'attempt', app, msg, attempt],
    queryFn: () => client.request('get', '/api/v1/app/{app}/msg/{msg}/attempt/{attempt}', { path: { app, msg, attempt } }),
  });
}

/** After an action the worker delivers in the background: look again until it has. */
function useRefreshMessage(app: string, msg: string) {
  const qc = useQueryClient();
  return () => {
    for (const delay of [300, 1500, 4000]) {
      setTimeout(() => void qc.invalidateQueries({ queryKey: ['messages'] }), delay);
    }
    void qc.invalidateQueries({ queryKey: ['messages', 'deliveries', app, msg] });
  };
}

export function useResend(app: string, msg: string) {
  const client = useConsoleApi();
  const refresh = useRefreshMessage(app, msg);
  return useMutation({
    mutationFn: (endpoint: string) => client.request('post', '/api/v1/app/{app}/msg/{msg}/endpoint/{endpoint}/resend', { path: { app, msg, endpoint } }),
    onSuccess: refresh,
  });
}

/**
 * Replays each endpoint's messages since a time with Svix's bulk-replay (one background task per
 * endpoint): only the failed ones (`status: 2`), or every message delivered whatever the outcome.
 */
export function useBulkReplay(app: string, msg: string) {
  const client = useConsoleApi();
  const refresh = useRefreshMessage(app, msg);
  return useMutation({
    mutationFn: async ({ endpoints, since, failedOnly }: { endpoints: string[]; since: string; failedOnly: boolean }) => {
      const tasks = [];
      for (const endpoint of endpoints) {
        const body = failedOnly ? { since, status: 2 as const } : { since };
        tasks.push(await client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/bulk-replay', { path: { app, endpoint }, body }));
      }
      return tasks;
    },
    onSuccess: refresh,
  });
}

export type BackgroundTask = Schemas['BackgroundTaskOut'];

/** A background task's status and progress, looked at every second while it runs. */
export function useBackgroundTask(id: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['background-task', id],
    refetchInterval: (q) => (q.state.data?.status === 'running' || q.state.data === undefined ? 1000 : false),
    queryFn: () => client.request('get', '/api/v1/background-task/{task_id}', { path: { task_id: id } }),
  });
}
