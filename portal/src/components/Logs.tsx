import { useId, useMemo, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { buildLogQuery, defaultLogFilters, type LogFilters } from '../api/logQuery.ts';
import { useAttempt, useEndpointAttempts, useMessage, useMessageAttempts, useResend, type Attempt } from '../api/useAttempts.ts';
import { useEndpoints } from '../api/useEndpoints.ts';
import { useEventTypes } from '../api/useEventTypes.ts';
import { useMessages, type Message } from '../api/useMessages.ts';
import { Dialog, EmptyState, ErrorState, JsonBlock, Loading, StatusBadge } from '@hookline/ui';
import { LogFiltersBar } from './LogFiltersBar.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Translator } from '../i18n/translator.ts';

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
  const { t } = useI18n();
  if (pager.page === 1 && (done || !nextIterator)) return null;
  return (
    <div className="actions pager">
      <button type="button" className="btn small" disabled={pager.page === 1} onClick={pager.prev}>
        {t('logs.newer')}
      </button>
      <span className="muted small">{t('logs.page', { page: pager.page })}</span>
      <button type="button" className="btn small" disabled={done || !nextIterator} onClick={() => nextIterator && pager.next(nextIterator)}>
        {t('logs.older')}
      </button>
    </div>
  );
}

function useEventTypeNames(): string[] {
  const types = useEventTypes();
  return (types.data?.data ?? []).map((t) => t.name);
}

function statusText(a: Attempt, { t }: Translator) {
  return a.responseStatusCode ? t('logs.http', { code: String(a.responseStatusCode) }) : t('logs.noResponse');
}

/** Request, response and timing of one attempt, with resend. */
export function AttemptDetail({ msgId, attemptId, onClose }: { msgId: string; attemptId: string; onClose: () => void }) {
  const i18n = useI18n();
  const { t, dateTime, relative } = i18n;
  const attempt = useAttempt(msgId, attemptId);
  const message = useMessage(msgId);
  const resend = useResend();
  const canResend = useCan('CreateAttempts');
  const canManage = useCan('ManageEndpoint');
  const a = attempt.data;
  return (
    <Dialog title={t('logs.attemptDetails')} onClose={onClose} wide>
      {attempt.isPending && <Loading what={t('logs.loadingAttempt')} />}
      {attempt.isError && <ErrorState error={attempt.error} />}
      {a && (
        <div className="attempt-detail">
          <div className="facts-inline">
            <StatusBadge status={a.statusText} />
            <span>{statusText(a, i18n)}</span>
            <span>{t('logs.ms', { ms: a.responseDurationMs })}</span>
            <time className="muted" dateTime={a.timestamp}>
              {dateTime(a.timestamp)}
            </time>
            <span className="muted">{relative(a.timestamp)}</span>
            <span className="muted">{a.triggerType === 1 ? t('logs.manual') : t('logs.scheduled')}</span>
          </div>
          <h3>{t('logs.request')}</h3>
          <p className="small">
            <strong>POST</strong> <code className="break">{a.url}</code>
          </p>
          <JsonBlock
            label={t('logs.requestHeaders')}
            value={`webhook-id: ${a.msgId}\nwebhook-timestamp: ${Math.floor(new Date(a.timestamp).getTime() / 1000)}\nwebhook-signature: v1,…\ncontent-type: application/json`}
          />
          <h3>{t('logs.requestBody')}</h3>
          {message.isPending ? (
            <Loading what={t('logs.loadingPayload')} />
          ) : message.isError ? (
            <ErrorState error={message.error} />
          ) : (
            <JsonBlock label={t('logs.requestBody')} value={message.data.payload} />
          )}
          <h3>{t('logs.response')}</h3>
          <p className="small">{t('logs.responseAfter', { status: statusText(a, i18n), ms: a.responseDurationMs })}</p>
          <JsonBlock label={t('logs.responseBody')} value={a.response || t('logs.emptyBody')} />
          {(canResend || canManage) && (
            <div className="actions">
              <button type="button" className="btn primary" disabled={resend.isPending} onClick={() => resend.mutate({ msg: a.msgId, endpoint: a.endpointId })}>
                {resend.isPending ? t('logs.resending') : t('logs.resend')}
              </button>
              {resend.isSuccess && (
                <span role="status" className="success-text">
                  {t('logs.resent')}
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
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('logs.col.status')}</th>
            <th scope="col">{t('logs.col.eventType')}</th>
            {showEndpoint && <th scope="col">{t('logs.col.endpoint')}</th>}
            <th scope="col">{t('logs.col.response')}</th>
            <th scope="col">{t('logs.col.time')}</th>
            <th scope="col">
              <span className="sr-only">{t('logs.col.details')}</span>
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
                {statusText(a, i18n)} · {t('logs.ms', { ms: a.responseDurationMs })}
              </td>
              <td className="nowrap small">{dateTime(a.timestamp)}</td>
              <td>
                <button type="button" className="btn small" onClick={() => onOpen(a)} aria-label={t('logs.viewAttempt', { id: a.id })}>
                  {t('logs.view')}
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
  const { t } = useI18n();
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
      {attempts.isPending && <Loading what={t('logs.loadingAttempts')} />}
      {attempts.isError && <ErrorState error={attempts.error} retry={() => void attempts.refetch()} />}
      {attempts.data && attempts.data.data.length === 0 && (
        <EmptyState title={t('logs.noAttempts.title')}>
          <p>{t('logs.noAttempts.text')}</p>
        </EmptyState>
      )}
      {attempts.data && attempts.data.data.length > 0 && <AttemptTable attempts={attempts.data.data} onOpen={setOpen} />}
      {attempts.data && <Pager pager={pager} nextIterator={attempts.data.iterator} done={attempts.data.done} />}
      {open && <AttemptDetail msgId={open.msgId} attemptId={open.id} onClose={() => setOpen(null)} />}
    </div>
  );
}

function MessageDetail({ message, onClose }: { message: Message; onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const [status, setStatus] = useState<'' | '0' | '2'>('');
  const id = useId();
  const attempts = useMessageAttempts(message.id, status === '' ? {} : { status: Number(status) });
  const [open, setOpen] = useState<Attempt | null>(null);
  if (open) return <AttemptDetail msgId={open.msgId} attemptId={open.id} onClose={() => setOpen(null)} />;
  return (
    <Dialog title={t('logs.message', { eventType: message.eventType })} onClose={onClose} wide>
      <p className="small muted">
        <code>{message.id}</code> · {dateTime(message.timestamp)}
      </p>
      <h3>{t('logs.payload')}</h3>
      <JsonBlock label={t('logs.messagePayload')} value={message.payload} />
      <h3>{t('logs.attempts')}</h3>
      <div className="field narrow-field">
        <label htmlFor={`${id}-status`}>{t('logs.attemptStatus')}</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as '' | '0' | '2')}>
          <option value="">{t('filters.allStatuses')}</option>
          <option value="0">{t('filters.succeeded')}</option>
          <option value="2">{t('filters.failed')}</option>
        </select>
      </div>
      {attempts.isPending && <Loading what={t('logs.loadingAttempts')} />}
      {attempts.isError && <ErrorState error={attempts.error} />}
      {attempts.data?.data.length === 0 && <p className="muted">{t('logs.noAttemptsYet')}</p>}
      {attempts.data && attempts.data.data.length > 0 && <AttemptTable attempts={attempts.data.data} onOpen={setOpen} showEndpoint />}
    </Dialog>
  );
}

function MessageLog() {
  const [filters, setFilters] = useState<LogFilters>(defaultLogFilters);
  const pager = usePager();
  const query = useMemo(() => buildLogQuery(filters), [filters]);
  const messages = useMessages(query, pager.iterator);
  const { t, dateTime } = useI18n();
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
      {messages.isPending && <Loading what={t('logs.loadingMessages')} />}
      {messages.isError && <ErrorState error={messages.error} retry={() => void messages.refetch()} />}
      {messages.data && messages.data.data.length === 0 && (
        <EmptyState title={t('logs.noMessages.title')}>
          <p>{t('logs.noMessages.text')}</p>
        </EmptyState>
      )}
      {messages.data && messages.data.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('logs.col.eventType')}</th>
                <th scope="col">{t('logs.col.messageId')}</th>
                <th scope="col">{t('logs.col.time')}</th>
                <th scope="col">
                  <span className="sr-only">{t('logs.col.details')}</span>
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
                  <td className="nowrap small">{dateTime(m.timestamp)}</td>
                  <td>
                    <button type="button" className="btn small" onClick={() => setOpen(m)} aria-label={t('logs.viewMessage', { id: m.id })}>
                      {t('logs.view')}
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
  const { t } = useI18n();
  return (
    <section aria-labelledby="logs-title">
      <div className="section-head">
        <div>
          <h1 id="logs-title">{t('logs.title')}</h1>
          <p className="muted">{t('logs.intro')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-scope`}>{t('logs.show')}</label>
          <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">{t('logs.allMessages')}</option>
            {endpoints.data?.data.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {t('logs.attemptsTo', { url: ep.url })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="card">{scope ? <AttemptLog key={scope} fixedEndpoint={scope} /> : <MessageLog />}</div>
    </section>
  );
}
