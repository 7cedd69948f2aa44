import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';
import type { Schemas } from '@hookline/ui';
import type { LogQuery } from './logQuery.ts';

export type Message = Schemas['MessageOut'];

/** Messages of the application (status is per attempt, so it is not a message filter). */
export function useMessages(query: LogQuery, iterator?: string) {
  const { client, app } = useApi();
  const { status: _status, ...q } = query;
  return useQuery({
    queryKey: ['messages', app, q, iterator],
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
    queryFn: () => client.request('get', '/api/v1/app/{app}/msg', { path: { app }, query: { ...q, limit: 50, iterator } }),
  });
}
