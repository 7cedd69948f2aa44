import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, type Schemas } from '@hookline/ui';
import { useApi } from './apiContext.tsx';
import type { LogQuery } from './logQuery.ts';

export type Message = Schemas['MessageOut'];
export type Destination = Schemas['MessageEndpointOut'];

// Each row asks for its deliveries: a page stays well inside the portal's request budget (20/s, burst 40).
const PAGE = 20;

/**
 * Messages of the application, newest first. With `endpoint`, the messages sent to that endpoint
 * (the API's attempted-messages list), which is where a delivery state filters: a message has a
 * state per endpoint, not one of its own.
 */
export function useMessages(query: LogQuery, iterator?: string, endpoint?: string) {
  const { client, app } = useApi();
  const { status, ...q } = query;
  return useQuery({
    queryKey: ['messages', app, endpoint ?? '', endpoint ? query : q, iterator],
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
    queryFn: (): Promise<{ data: Message[]; iterator?: string | null; done: boolean }> =>
      endpoint
        ? client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/msg', {
            path: { app, endpoint },
            query: { ...q, status, limit: PAGE, iterator, with_content: 'false' },
          })
        : client.request('get', '/api/v1/app/{app}/msg', { path: { app }, query: { ...q, limit: PAGE, iterator, with_content: 'false' } }),
  });
}

/** The endpoints a message went to, each with the state of that delivery; polled while one is still open. */
export function useMessageDestinations(msg: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['destinations', app, msg],
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === 1 || d.status === 3) ? 3000 : false),
    staleTime: 5000,
    // A page of rows asks at once; one that meets the rate limit (429) waits and asks again.
    retry: (count, error) => error instanceof ApiError && error.status === 429 && count < 3,
    retryDelay: 1000,
    queryFn: () => client.request('get', '/api/v1/app/{app}/msg/{msg}/endpoint', { path: { app, msg }, query: { limit: 50 } }),
  });
}

/** One message by its id or its eventId (GET /msg/{id} takes either); null when there is none. */
export function useFindMessage(idOrEventId: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['message-search', app, idOrEventId],
    enabled: idOrEventId !== '',
    retry: false,
    queryFn: async (): Promise<Message | null> => {
      try {
        return await client.request('get', '/api/v1/app/{app}/msg/{msg}', { path: { app, msg: idOrEventId }, query: { with_content: 'false' } });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  });
}
