import { Dialog, formatTime, JsonBlock } from '@hookline/ui';
import type { AuditRecord } from './useAuditLog.ts';

/** One record in full: who, what, from where, and each field's change. */
export function AuditRecordDialog({ record, onClose }: { record: AuditRecord; onClose: () => void }) {
  const changes = Object.entries(record.changes);
  return (
    <Dialog title="Audit record" onClose={onClose} wide>
      <dl className="facts">
        <div>
          <dt>Time</dt>
          <dd>{formatTime(record.at)}</dd>
        </div>
        <div>
          <dt>Action</dt>
          <dd>
            <code data-testid="record-action">{record.action}</code>
          </dd>
        </div>
        <div>
          <dt>Actor</dt>
          <dd data-testid="record-actor">
            {record.actor.displayName} ({record.actor.kind}, <code className="break">{record.actor.id}</code>)
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>
            {record.target.kind} <code className="break">{record.target.id}</code>
            {record.target.appId && (
              <>
                {' '}
                in <code className="break">{record.target.appId}</code>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>From</dt>
          <dd>
            {record.origin.clientAddress ?? 'unknown address'}
            {record.origin.userAgent && <div className="muted small break">{record.origin.userAgent}</div>}
          </dd>
        </div>
        <div>
          <dt>Request id</dt>
          <dd>
            <code className="break">{record.origin.requestId ?? '—'}</code>
          </dd>
        </div>
        <div>
          <dt>Record id</dt>
          <dd>
            <code className="break">{record.id}</code>
          </dd>
        </div>
      </dl>
      <h3>Changes</h3>
      {changes.length === 0 ? <p className="muted">No field changes recorded.</p> : <JsonBlock value={record.changes} label="Changes" />}
    </Dialog>
  );
}
