import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';
import type { EventType } from './eventTypeDraft.ts';

// The catalog's data: the list (page by page, archived ones on request), one event type, and its
// writes. Every write refreshes both, so the list and the editor never disagree.

const KEY = 'event-types';

export function useEventTypeList(includeArchived: boolean) {
  const client = useConsoleApi();
  return useInfiniteQuery({
    queryKey: [KEY, 'list', includeArchived],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      client.request('get', '/api/v1/event-type', { query: { limit: 100, include_archived: includeArchived ? 'true' : 'false', iterator: pageParam }, signal }),
    getNextPageParam: (last) => (last.done ? undefined : (last.iterator ?? undefined)),
  });
}

export function useEventType(name: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: [KEY, 'one', name],
    queryFn: ({ signal }) => client.request('get', '/api/v1/event-type/{name}', { path: { name }, signal }),
  });
}

export function useEventTypeWrites() {
  const client = useConsoleApi();
  const queries = useQueryClient();
  const done = (saved: EventType) => {
    queries.setQueryData([KEY, 'one', saved.name], saved);
    return queries.invalidateQueries({ queryKey: [KEY, 'list'] });
  };
  return {
    create: useMutation({
      mutationFn: (body: Schemas['EventTypeIn']) => client.request('post', '/api/v1/event-type', { body }),
      onSuccess: done,
    }),
    replace: useMutation({
      mutationFn: ({ name, body }: { name: string; body: Schemas['EventTypeUpsertIn'] }) => client.request('put', '/api/v1/event-type/{name}', { path: { name }, body }),
      onSuccess: done,
    }),
    patch: useMutation({
      mutationFn: ({ name, body }: { name: string; body: Schemas['EventTypePatch'] }) => client.request('patch', '/api/v1/event-type/{name}', { path: { name }, body }),
      onSuccess: done,
    }),
  };
}
