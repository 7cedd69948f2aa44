import { BarChart, ErrorState, Loading, Panel, type BarDatum, type Schemas } from '@hookline/ui';
import { useEndpointStats } from './useEndpoints.ts';

const DAYS = 7;

/** The hour buckets summed per local day, the `DAYS` days ending today, oldest first. */
export function perDay(series: Schemas['StatSeries'], now: Date, days = DAYS): BarDatum[] {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const starts = Array.from({ length: days }, (_, i) => {
    const d = new Date(today);
    d.setDate(d.getDate() - (days - 1 - i));
    return d.getTime();
  });
  const out = starts.map((t) => ({ label: new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }), success: 0, fail: 0 }));
  for (const b of series.data) {
    const t = new Date(b.start).getTime();
    let i = starts.length - 1;
    while (i >= 0 && starts[i]! > t) i--;
    if (i < 0) continue;
    out[i]!.success += b.success;
    out[i]!.fail += b.fail;
  }
  return out;
}

/** Deliveries by status (messages of the last 7 days) and the attempts per day behind them. */
export function StatsPanel({ app, endpoint }: { app: string; endpoint: string }) {
  // Rounded to the minute so the query key holds still between renders.
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const since = new Date(now.getTime() - DAYS * 86_400_000).toISOString();
  const { counts, series } = useEndpointStats(app, endpoint, since);
  return (
    <Panel title="Deliveries, last 7 days">
      {counts.isError ? (
        <ErrorState error={counts.error} retry={() => void counts.refetch()} />
      ) : counts.isPending ? (
        <Loading what="statistics" />
      ) : (
        <dl className="facts">
          {(['success', 'fail', 'pending', 'sending', 'canceled'] as const).map((k) => (
            <div key={k}>
              <dt>{{ success: 'Succeeded', fail: 'Failed', pending: 'Pending', sending: 'Sending', canceled: 'Canceled' }[k]}</dt>
              <dd data-testid={`stat-${k}`}>{counts.data[k]}</dd>
            </div>
          ))}
        </dl>
      )}
      {series.isError ? (
        <ErrorState error={series.error} />
      ) : series.isPending ? null : (
        <BarChart data={perDay(series.data, now)} title="Successful and failed attempts per day" />
      )}
    </Panel>
  );
}
