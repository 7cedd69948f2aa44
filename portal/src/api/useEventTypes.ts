import { useQuery } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';
import type { Schemas } from '@hookline/ui';

export type EventType = Schemas['EventTypeOut'];

/** The vendor's event catalog, with schemas and examples. */
export function useEventTypes() {
  const { client } = useApi();
  return useQuery({
    queryKey: ['event-types'],
    queryFn: () => client.request('get', '/api/v1/event-type', { query: { with_content: 'true', limit: 250 } }),
    staleTime: 60_000,
  });
}
