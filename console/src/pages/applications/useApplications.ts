import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';

export type ApplicationListItem = Schemas['ApplicationListItem'];
export type Health = Schemas['ApplicationStats']['health'];

export const PAGE_SIZE = 20;
const LIST_KEY = 'applications';

/** One page of the tenant's applications with their endpoint counts and health. */
export function useApplicationList(search: string, iterator: string | undefined) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: [LIST_KEY, search, iterator ?? null],
    queryFn: ({ signal }) =>
      client.request('get', '/api/v1/app', {
        query: { include: 'stats', limit: PAGE_SIZE, ...(search ? { search } : {}), ...(iterator ? { iterator } : {}) },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useApplication(appId: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['application', appId],
    queryFn: ({ signal }) => client.request('get', '/api/v1/app/{app}', { path: { app: appId }, signal }),
  });
}

export function useApplicationEndpoints(appId: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['application', appId, 'endpoints'],
    queryFn: ({ signal }) => client.request('get', '/api/v1/app/{app}/endpoint', { path: { app: appId }, query: { limit: 50 }, signal }),
  });
}

/** Its newest messages, with each one's deliveries by status (the tenant-wide search, filtered to the app). */
export function useRecentMessages(appId: string) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['application', appId, 'messages'],
    queryFn: ({ signal }) => client.request('get', '/api/v1/messages', { query: { app: appId, limit: 10, with_content: 'false' }, signal }),
  });
}

export function useCreateApplication() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; uid?: string }) => client.request('post', '/api/v1/app', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [LIST_KEY] }),
  });
}
