import { useQueries } from '@tanstack/react-query';
import { useApi } from '../api/apiContext.tsx';
import { BarChart } from './BarChart.tsx';
import { ErrorState, Loading, Panel } from './common.tsx';

const DAY = 86_400_000;

/** Consecutive day windows ending today (local midnight boundaries). */
export function dayWindows(days: number, now = new Date()): { label: string; since: string; until: string | undefined }[] {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  return Array.from({ length: days }, (_, i) => {
    const since = new Date(start.getTime() - (days - 1 - i) * DAY);
    const until = new Date(since.getTime() + DAY);
    // The API refuses an `until` in the future: today's window is open-ended.
    return {
      label: since.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }),
      since: since.toISOString(),
      until: until.getTime() > now.getTime() ? undefined : until.toISOString(),
    };
  });
}

/** Success / failure per day for the last 7 days, one /stats query per day. */
export function StatsPanel({ endpoint }: { endpoint: string }) {
  const { client, app } = useApi();
  // Minute precision keeps the query keys stable between renders.
  const windows = dayWindows(7, new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const results = useQueries({
    queries: windows.map((w) => ({
      queryKey: ['endpoints', app, endpoint, 'stats', w.since, w.until],
      queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/stats', { path: { app, endpoint }, query: { since: w.since, until: w.until } }),
    })),
  });
  const error = results.find((r) => r.isError)?.error;
  const pending = results.some((r) => r.isPending);
  const data = windows.map((w, i) => ({ label: w.label, success: results[i]?.data?.success ?? 0, fail: results[i]?.data?.fail ?? 0 }));
  const total = data.reduce((s, d) => s + d.success + d.fail, 0);
  return (
    <Panel title="Deliveries, last 7 days">
      {error ? (
        <ErrorState error={error} />
      ) : pending ? (
        <Loading what="statistics" />
      ) : (
        <>
          <BarChart data={data} title="Successful and failed deliveries per day" />
          {total === 0 && <p className="muted small">No deliveries in the last 7 days. Send a test event below to see one here.</p>}
        </>
      )}
    </Panel>
  );
}
