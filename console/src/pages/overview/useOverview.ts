import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useConsoleApi } from '../../api/apiContext.tsx';
import type { OverviewWindow } from './overviewData.ts';

/** How often the overview re-reads its figures (they are pre-aggregated, so a read is cheap). */
export const OVERVIEW_REFRESH_MS = 15_000;

/** The tenant's overview over `window`, refreshed on its own; the previous window stays shown while the next loads. */
export function useOverview(window: OverviewWindow) {
  const client = useConsoleApi();
  return useQuery({
    queryKey: ['stats-overview', window],
    queryFn: ({ signal }) => client.request('get', '/api/v1/stats/overview', { query: { window }, signal }),
    refetchInterval: OVERVIEW_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}
