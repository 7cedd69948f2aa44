import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/apiContext.tsx';
import { dailyTotals, fetchStatSeries, p95 } from '../api/statSeries.ts';
import { BarChart, ErrorState, Loading, Panel } from '@hookline/ui';
import { useI18n } from '../i18n/I18nProvider.tsx';

const DAYS = 7;

/** Attempts that succeeded / failed per day for the last 7 days, and their p95 latency: one series query of hours. */
export function StatsPanel({ endpoint }: { endpoint: string }) {
  const { client, app } = useApi();
  const { t, day } = useI18n();
  // Minute precision keeps the query key stable between renders.
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const since = new Date(now);
  since.setHours(0, 0, 0, 0);
  since.setDate(since.getDate() - (DAYS - 1));
  const result = useQuery({
    queryKey: ['endpoints', app, endpoint, 'stats', 'series', since.toISOString()],
    queryFn: () => fetchStatSeries(client, app, endpoint, { granularity: 'hour', since: since.toISOString() }),
  });
  const days = result.data ? dailyTotals(result.data, DAYS, now, day) : [];
  const today = days.at(-1);
  const total = days.reduce((s, d) => s + d.success + d.fail, 0);
  const week = result.data ? p95(sumHistograms(result.data.data.map((b) => b.latencyHistogram)), result.data.latencyBoundsMs) : null;
  return (
    <Panel title={t('stats.title')}>
      {result.error ? (
        <ErrorState error={result.error} />
      ) : result.isPending ? (
        <Loading what={t('stats.loading')} />
      ) : (
        <>
          <BarChart data={days.map((d) => ({ label: d.label, success: d.success, fail: d.fail }))} title={t('stats.chart')} />
          {week !== null && (
            <p className="muted small" data-testid="p95">
              {today?.p95 != null ? t('stats.p95Today', { week, today: today.p95 }) : t('stats.p95', { week })}
            </p>
          )}
          {total === 0 && <p className="muted small">{t('stats.none')}</p>}
        </>
      )}
    </Panel>
  );
}

function sumHistograms(histograms: number[][]): number[] {
  const out: number[] = [];
  for (const h of histograms) h.forEach((n, i) => (out[i] = (out[i] ?? 0) + n));
  return out;
}
