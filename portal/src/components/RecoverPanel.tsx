import { useId, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useRecover } from '../api/useEndpoints.ts';
import { ErrorState, Panel } from '@hookline/ui';

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Resends every failed message since a chosen time. */
export function RecoverPanel({ endpoint }: { endpoint: string }) {
  const id = useId();
  const canManage = useCan('ManageEndpoint');
  const canCreate = useCan('CreateAttempts');
  const recover = useRecover();
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 86_400_000)));
  const [done, setDone] = useState(false);
  if (!canManage && !canCreate) return null;
  const sinceDate = new Date(since);
  const valid = since !== '' && !Number.isNaN(sinceDate.getTime());
  return (
    <Panel title="Recover failed messages">
      <p className="muted">Was your server down? Send every message that failed since a time of your choice again.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          setDone(false);
          recover.mutate({ id: endpoint, since: sinceDate.toISOString() }, { onSuccess: () => setDone(true) });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-since`}>Failed since</label>
          <input id={`${id}-since`} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </div>
        <button type="submit" className="btn" disabled={!valid || recover.isPending}>
          Recover failed messages
        </button>
      </form>
      {recover.isError && <ErrorState error={recover.error} />}
      {done && (
        <p role="status" className="success-text">
          Recovery started: failed messages since {sinceDate.toLocaleString()} are being sent again.
        </p>
      )}
    </Panel>
  );
}
