import { Dialog, ErrorState, formatTime, JsonBlock, Loading, StatusBadge } from '@hookline/ui';
import { useAttemptDetail } from './useMessages.ts';

function HeaderTable({ headers, label }: { headers: Record<string, string>; label: string }) {
  const names = Object.keys(headers).sort();
  if (names.length === 0) return <p className="muted small">None.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name}>
              <th scope="row" className="nowrap">
                <code>{name}</code>
              </th>
              <td className="break small">
                <code>{headers[name]}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One attempt: the request as the worker recorded sending it, and what the endpoint answered. */
export function AttemptDetail({ app, msg, attempt, onClose }: { app: string; msg: string; attempt: string; onClose: () => void }) {
  const detail = useAttemptDetail(app, msg, attempt);
  const a = detail.data;
  return (
    <Dialog title="Attempt" onClose={onClose} wide>
      {detail.isPending && <Loading what="the attempt" />}
      {detail.isError && <ErrorState error={detail.error} retry={() => void detail.refetch()} />}
      {a && (
        <div className="stack">
          <div className="facts-inline">
            <StatusBadge status={a.statusText} />
            <span>{a.responseStatusCode ? `HTTP ${a.responseStatusCode}` : 'No response'}</span>
            <span>{a.responseDurationMs} ms</span>
            <span className="muted">{formatTime(a.timestamp)}</span>
            <span className="muted">{a.triggerType === 1 ? 'Manual' : 'Scheduled'}</span>
          </div>
          <h3>Request</h3>
          <p className="small">
            <strong>POST</strong> <code className="break">{a.url}</code>
          </p>
          {!a.requestHeaders.recorded && <p className="hint">Made before Hookline recorded headers: rebuilt, without its signature.</p>}
          <HeaderTable headers={a.requestHeaders.headers} label="Request headers" />
          {a.requestHeaders.redacted.length > 0 && (
            <p className="hint">
              Sent but not shown: <code>{a.requestHeaders.redacted.join(', ')}</code>
            </p>
          )}
          <h3>Response</h3>
          <HeaderTable headers={a.responseHeaders ?? {}} label="Response headers" />
          <JsonBlock label="Response body" value={a.response || '(empty body)'} />
        </div>
      )}
    </Dialog>
  );
}
