import { useId, useState } from 'react';
import { ErrorState, Panel } from '@hookline/ui';
import type { MessageDelivery } from './useMessages.ts';
import { useBackgroundTask, useBulkReplay } from './useMessages.ts';

/** A datetime-local value of `d` in the person's time zone. */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const ALL_FAILED = '*';

/** One replay's task: running, then how many messages it sent. */
function TaskProgress({ id, url }: { id: string; url: string }) {
  const task = useBackgroundTask(id);
  const sent = typeof task.data?.data.messagesSent === 'number' ? task.data.data.messagesSent : 0;
  const state = task.data?.status === 'finished' ? 'finished' : task.data?.status === 'failed' ? 'failed' : 'running';
  return (
    <li data-task={id}>
      {url}: {state}, {sent} {sent === 1 ? 'message' : 'messages'} sent
    </li>
  );
}

/**
 * Replays messages since a time with Svix's bulk-replay, one background task per endpoint, and
 * shows each task's progress: only the failed ones (after fixing a receiver), or every message.
 */
export function RecoverPanel({ app, msg, deliveries, publishedAt }: { app: string; msg: string; deliveries: MessageDelivery[]; publishedAt: string }) {
  const id = useId();
  const replay = useBulkReplay(app, msg);
  const failed = deliveries.filter((d) => d.status === 2);
  // From a minute before this message, so it is among those replayed.
  const [since, setSince] = useState(() => toLocalInput(new Date(new Date(publishedAt).getTime() - 60_000)));
  const [target, setTarget] = useState(ALL_FAILED);
  const [which, setWhich] = useState<'failed' | 'all'>('failed');
  const [tasks, setTasks] = useState<Array<{ id: string; url: string }> | null>(null);
  const sinceDate = new Date(since);
  const valid = since !== '' && !Number.isNaN(sinceDate.getTime());
  const endpoints = target === ALL_FAILED ? failed.map((d) => d.id) : [target];
  const urlOf = (endpoint: string) => deliveries.find((d) => d.id === endpoint)?.url ?? endpoint;
  return (
    <Panel title="Replay failed messages">
      <p className="muted">
        Fixed a receiver? Send the messages since a time to it again (this one and the application&apos;s others): only those that failed, or all of them.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid || endpoints.length === 0) return;
          setTasks(null);
          replay.mutate(
            { endpoints, since: sinceDate.toISOString(), failedOnly: which === 'failed' },
            { onSuccess: (started) => setTasks(started.map((t, i) => ({ id: t.id, url: urlOf(endpoints[i]!) }))) },
          );
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
          <label htmlFor={`${id}-which`}>Messages</label>
          <select id={`${id}-which`} value={which} onChange={(e) => setWhich(e.target.value as 'failed' | 'all')}>
            <option value="failed">Only those that failed</option>
            <option value="all">All, whatever their outcome</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-since`}>Sent since</label>
          <input id={`${id}-since`} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </div>
        <button type="submit" className="btn" disabled={!valid || endpoints.length === 0 || replay.isPending}>
          {replay.isPending ? 'Replaying…' : which === 'failed' ? 'Replay failed messages' : 'Replay all messages'}
        </button>
      </form>
      {replay.isError && <ErrorState error={replay.error} title="Could not replay." />}
      {tasks !== null && (
        <div role="status" className="success-text">
          <p>
            Replay started for {tasks.length} {tasks.length === 1 ? 'endpoint' : 'endpoints'}: messages since {sinceDate.toLocaleString()} are being sent again.
          </p>
          <ul aria-label="Replay progress">
            {tasks.map((t) => (
              <TaskProgress key={t.id} id={t.id} url={t.url} />
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
