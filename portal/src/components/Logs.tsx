import { useId, useMemo, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { buildLogQuery, defaultLogFilters, type LogFilters } from '../api/logQuery.ts';
import { useAttempt, useEndpointAttempts, useMessage, useMessageAttempts, useResend, type Attempt } from '../api/useAttempts.ts';
import { useEndpoints } from '../api/useEndpoints.ts';
import { useEventTypes } from '../api/useEventTypes.ts';
import { useMessages, type Message } from '../api/useMessages.ts';
import { Dialog, EmptyState, ErrorState, formatTime, JsonBlock, Loading, StatusBadge } from '@hookline/ui';
import { LogFiltersBar } from './LogFiltersBar.tsx';

/** Pages back through a list with its iterators. */
function usePager() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    iterator: stack[stack.length - 1],
    page: stack.length + 1,
    next: (it: string) => setStack((s) => [...s, it]),
    prev: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

function Pager({ pager, nextIterator, done }: { pager: ReturnType<typeof usePager>; nextIterator: string | null | undefined; done: boolean }) {
  if (pager.page === 1 && (done || !nextIterator)) return null;
  return (
    <div className="actions pager">
      <button type="button" className="btn small" disabled={pager.page === 1} onClick={pager.prev}>
        Newer
      </button>
      <span className="muted small">Page {pager.page}</span>
      <button type="button" className="btn small" disabled={done || !nextIterator} onClick={() => nextIterator && pager.next(nextIterator)}>
        Older
      </button>
    </div>
  );
}

function useEventTypeNames(): string[] {
  const types = useEventTypes();
  return (types.data?.data ?? []).map((t) => t.name);
}

function statusText(a: Attempt) {
  return a.responseStatusCode ? `HTTP ${a.responseStatusCode}` : 'No response';
}

/** Request, response and timing of one attempt, with resend. */
export function AttemptDetail({ msgId, attemptId, onClose }: { msgId: string; attemptId: string; onClose: () => void }) {
  const attempt = useAttempt(msgId, attemptId);
  const message = useMessage(msgId);
  const resend = useResend();
  const canResend = useCan('CreateAttempts');
  const canManage = useCan('ManageEndpoint');
  const a = attempt.data;
  return (
    <Dialog title="Attempt details" onClose={onClose} wide>
      {attempt.isPending && <Loading what="the attempt" />}
      {attempt.isError && <ErrorState error={attempt.error} />}
      {a && (
        <div className="attempt-detail">
          <div className="facts-inline">
            <StatusBadge status={a.statusText} />
            <span>{statusText(a)}</span>
            <span>{a.responseDurationMs} ms</span>
            <span className="muted">{formatTime(a.timestamp)}</span>
            <span className="muted">{a.triggerType === 1 ? 'Manual' : 'Scheduled'}</span>
          </div>
          <h3>Request</h3>
          <p className="small">
            <strong>POST</strong> <code className="break">{a.url}</code>
          </p>
          <JsonBlock
            label="Request headers"
            value={`webhook-id: ${a.msgId}\nwebhook-timestamp: ${Math.floor(new Date(a.timestamp).getTime() / 1000)}\nwebhook-signature: v1,…\ncontent-type: application/json`}
          />
          <h3>Request body</h3>
          {message.isPending ? (
            <Loading what="the payload" />
          ) : message.isError ? (
            <ErrorState error={message.error} />
          ) : (
            <JsonBlock label="Request body" value={message.data.payload} />
          )}
          <h3>Response</h3>
          <p className="small">
            {statusText(a)} after {a.responseDurationMs} ms
          </p>
          <JsonBlock label="Response body" value={a.response || '(empty body)'} />
          {(canResend || canManage) && (
            <div className="actions">
              <button type="button" className="btn primary" disabled={resend.isPending} onClick={() => resend.mutate({ msg: a.msgId, endpoint: a.endpointId })}>
                {resend.isPending ? 'Resending…' : 'Resend message'}
              </button>
              {resend.isSuccess && (
                <span role="status" className="success-text">
                  Resent: a new attempt is on its way; it appears in the log in a moment.
                </span>
              )}
            </div>
          )}
          {resend.isError && <ErrorState error={resend.error} />}
        </div>
      )}
    </Dialog>
  );
}

function AttemptTable({ attempts, onOpen, showEndpoint }: { attempts: Attempt[]; onOpen: (a: Attempt) => void; showEndpoint?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Event type</th>
            {showEndpoint && <th scope="col">Endpoint</th>}
            <th scope="col">Response</th>
            <th scope="col">Time</th>
            <th scope="col">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id}>
              <td>
                <StatusBadge status={a.statusText} />
              </td>
              <td>
                <code>{a.msg?.eventType ?? a.msgId}</code>
              </td>
              {showEndpoint && <td className="break small">{a.url}</td>}
              <td>
                {statusText(a)} · {a.responseDurationMs} ms
              </td>
              <td className="nowrap small">{formatTime(a.timestamp)}</td>
              <td>
                <button type="button" className="btn small" onClick={() => onOpen(a)} aria-label={`View attempt ${a.id}`}>
                  View
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Attempts of one endpoint with filters. */
export function AttemptLog({ fixedEndpoint }: { fixedEndpoint: string }) {
  const [filters, setFilters] = useState<LogFilters>(defaultLogFilters);
  const pager = usePager();
  // Recomputed only when the filters change, so "last hour" keeps one key while paging.
  const query = useMemo(() => buildLogQuery(filters), [filters]);
  const attempts = useEndpointAttempts(fixedEndpoint, query, pager.iterator);
  const names = useEventTypeNames();
  const [open, setOpen] = useState<Attempt | null>(null);
  return (
    <div>
      <LogFiltersBar
        filters={filters}
        eventTypes={names}
        onChange={(f) => {
          setFilters(f);
          pager.reset();
        }}
      />
      {attempts.isPending && <Loading what="attempts" />}
      {attempts.isError && <ErrorState error={attempts.error} retry={() => void attempts.refetch()} />}
      {attempts.data && attempts.data.data.length === 0 && (
        <EmptyState title="No attempts match">
          <p>Nothing was delivered to this endpoint with these filters. Widen the time range, or send a test event.</p>
        </EmptyState>
      )}
      {attempts.data && attempts.data.data.length > 0 && <AttemptTable attempts={attempts.data.data} onOpen={setOpen} />}
      {attempts.data && <Pager pager={pager} nextIterator={attempts.data.iterator} done={attempts.data.done} />}
      {open && <AttemptDetail msgId={open.msgId} attemptId={open.id} onClose={() => setOpen(null)} />}
    </div>
  );
}

function MessageDetail({ message, onClose }: { message: Message; onClose: () => void }) {
  const [status, setStatus] = useState<'' | '0' | '2'>('');
  const id = useId();
  const attempts = useMessageAttempts(message.id, status === '' ? {} : { status: Number(status) });
  const [open, setOpen] = useState<Attempt | null>(null);
  if (open) return <AttemptDetail msgId={open.msgId} attemptId={open.id} onClose={() => setOpen(null)} />;
  return (
    <Dialog title={`Message ${message.eventType}`} onClose={onClose} wide>
      <p className="small muted">
        <code>{message.id}</code> · {formatTime(message.timestamp)}
      </p>
      <h3>Payload</h3>
      <JsonBlock label="Message payload" value={message.payload} />
      <h3>Attempts</h3>
      <div className="field narrow-field">
        <label htmlFor={`${id}-status`}>Attempt status</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as '' | '0' | '2')}>
          <option value="">All statuses</option>
          <option value="0">Succeeded</option>
          <option value="2">Failed</option>
        </select>
      </div>
      {attempts.isPending && <Loading what="attempts" />}
      {attempts.isError && <ErrorState error={attempts.error} />}
      {attempts.data?.data.length === 0 && <p className="muted">No attempts yet for this message.</p>}
      {attempts.data && attempts.data.data.length > 0 && <AttemptTable attempts={attempts.data.data} onOpen={setOpen} showEndpoint />}
    </Dialog>
  );
}

function MessageLog() {
  const [filters, setFilters] = useState<LogFilters>(defaultLogFilters);
  const pager = usePager();
  const query = useMemo(() => buildLogQuery(filters), [filters]);
  const messages = useMessages(query, pager.iterator);
  const names = useEventTypeNames();
  const [open, setOpen] = useState<Message | null>(null);
  return (
    <div>
      <LogFiltersBar
        filters={filters}
        eventTypes={names}
        showStatus={false}
        onChange={(f) => {
          setFilters(f);
          pager.reset();
        }}
      />
      {messages.isPending && <Loading what="messages" />}
      {messages.isError && <ErrorState error={messages.error} retry={() => void messages.refetch()} />}
      {messages.data && messages.data.data.length === 0 && (
        <EmptyState title="No messages match">
          <p>No events were sent in this time range. Widen the time range or pick another event type.</p>
        </EmptyState>
      )}
      {messages.data && messages.data.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Event type</th>
                <th scope="col">Message id</th>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.data.data.map((m) => (
                <tr key={m.id}>
                  <td>
                    <code>{m.eventType}</code>
                  </td>
                  <td className="small break">
                    <code>{m.id}</code>
                  </td>
                  <td className="nowrap small">{formatTime(m.timestamp)}</td>
                  <td>
                    <button type="button" className="btn small" onClick={() => setOpen(m)} aria-label={`View message ${m.id}`}>
                      View
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {messages.data && <Pager pager={pager} nextIterator={messages.data.iterator} done={messages.data.done} />}
      {open && <MessageDetail message={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** Logs of the whole application (messages) or of one endpoint (attempts, filterable by status). */
export function Logs() {
  const id = useId();
  const endpoints = useEndpoints();
  const [scope, setScope] = useState('');
  return (
    <section aria-labelledby="logs-title">
      <div className="section-head">
        <div>
          <h1 id="logs-title">Logs</h1>
          <p className="muted">Every message sent, and each delivery attempt with its response.</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-scope`}>Show</label>
          <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">All messages</option>
            {endpoints.data?.data.map((ep) => (
              <option key={ep.id} value={ep.id}>
                Attempts to {ep.url}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="card">{scope ? <AttemptLog key={scope} fixedEndpoint={scope} /> : <MessageLog />}</div>
    </section>
  );
}
