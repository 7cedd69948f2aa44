import { useId, useState } from 'react';
import { ErrorState, Panel } from '@hookline/ui';
import type { MessageDelivery } from './useMessages.ts';
import { useRecover } from './useMessages.ts';

/** A datetime-local value of `d` in the person's time zone. */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const ALL_FAILED = '*';

/**
 * Replays failed messages: every message whose delivery to an endpoint failed since a time goes
 * to it again. "Every endpoint that failed" is one recover per endpoint (there is no bulk route).
 */
export function RecoverPanel({ app, msg, deliveries, publishedAt }: { app: string; msg: string; deliveries: MessageDelivery[]; publishedAt: string }) {
  const id = useId();
  const recover = useRecover(app, msg);
  const failed = deliveries.filter((d) => d.status === 2);
  // From a minute before this message, so it is among those replayed.
  const [since, setSince] = useState(() => toLocalInput(new Date(new Date(publishedAt).getTime() - 60_000)));
  const [target, setTarget] = useState(ALL_FAILED);
  const [done, setDone] = useState<number | null>(null);
  const sinceDate = new Date(since);
  const valid = since !== '' && !Number.isNaN(sinceDate.getTime());
  const endpoints = target === ALL_FAILED ? failed.map((d) => d.id) : [target];
  return (
    <Panel title="Replay failed messages">
      <p className="muted">Fixed a receiver? Send every message that failed to it since a time again (this one and the application&apos;s others), up to 14 days back.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid || endpoints.length === 0) return;
          setDone(null);
          recover.mutate({ endpoints, since: sinceDate.toISOString() }, { onSuccess: (tasks) => setDone(tasks.length) });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-target`}>Endpoints</label>
          <select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value={ALL_FAILED}>Every endpoint this message failed to ({failed.length})</option>
            {deliveries.map((d) => (
              <option key={d.id} value={d.id}>
                {d.url}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-since`}>Failed since</label>
          <input id={`${id}-since`} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </div>
        <button type="submit" className="btn" disabled={!valid || endpoints.length === 0 || recover.isPending}>
          {recover.isPending ? 'Replaying…' : 'Replay failed messages'}
        </button>
      </form>
      {recover.isError && <ErrorState error={recover.error} title="Could not replay." />}
      {done !== null && (
        <p role="status" className="success-text">
          Replay started for {done} {done === 1 ? 'endpoint' : 'endpoints'}: failed messages since {sinceDate.toLocaleString()} are being sent again.
        </p>
      )}
    </Panel>
  );
}
