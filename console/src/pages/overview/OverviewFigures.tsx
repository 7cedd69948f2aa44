import { latency, percent, perMinute, rateTone, type Overview } from './overviewData.ts';

/** The window's totals, success rate, latency and the backlog now, as a list of figures. */
export function OverviewFigures({ overview }: { overview: Overview }) {
  const { totals, backlog, window } = overview;
  const tone = rateTone(totals.successRate);
  return (
    <dl className="facts card">
      <div>
        <dt>Succeeded</dt>
        <dd data-figure="success">
          <span className="rate good">{totals.success.toLocaleString()}</span> <span className="muted small">({perMinute(totals.success, window)} per minute)</span>
        </dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd data-figure="fail">
          <span className={totals.fail > 0 ? 'rate bad' : 'rate'}>{totals.fail.toLocaleString()}</span>{' '}
          <span className="muted small">({perMinute(totals.fail, window)} per minute)</span>
        </dd>
      </div>
      <div>
        <dt>Success rate</dt>
        <dd data-figure="success-rate" className={tone ? `rate ${tone}` : 'rate'}>
          {percent(totals.successRate)}
        </dd>
      </div>
      <div>
        <dt>Latency p50 / p99</dt>
        <dd data-figure="latency">
          {latency(totals.latencyMs?.p50)} / {latency(totals.latencyMs?.p99)}
        </dd>
      </div>
      <div>
        <dt>Backlog</dt>
        <dd data-figure="backlog">
          {backlog.pending.toLocaleString()} pending, {backlog.retrying.toLocaleString()} retrying
        </dd>
      </div>
    </dl>
  );
}
