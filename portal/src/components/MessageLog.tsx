import { useId, useMemo, useState } from 'react';
import { ApiError, Dialog, EmptyState, ErrorState, JsonBlock, Loading, StatusBadge } from '@hookline/ui';
import { buildLogQuery, defaultLogFilters, type LogFilters } from '../api/logQuery.ts';
import { useMessage, useMessageAttempts, type Attempt } from '../api/useAttempts.ts';
import { useFindMessage, useMessageDestinations, useMessages, type Message } from '../api/useMessages.ts';
import { AttemptDetail } from './AttemptDetail.tsx';
import { AttemptTable, useEventTypeNames } from './AttemptLog.tsx';
import { LogFiltersBar } from './LogFiltersBar.tsx';
import { LogSearch } from './LogSearch.tsx';
import { Pager, usePager } from './Pager.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** The API's 422 detail for the channel filter, shown on that field. */
function channelError(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 422 || typeof error.detail === 'string') return undefined;
  return error.detail.find((d) => d.loc.includes('channel'))?.msg;
}

/** Each endpoint the message went to, with the state of that delivery. */
function DeliveryStates({ msgId }: { msgId: string }) {
  const { t } = useI18n();
  const destinations = useMessageDestinations(msgId);
  if (destinations.isPending) return <span className="muted small">{t('logs.loadingDeliveries')}</span>;
  if (destinations.isError) return <span className="muted small">{t('logs.deliveriesUnavailable')}</span>;
  if (destinations.data.data.length === 0) return <span className="muted small">{t('logs.noDeliveries')}</span>;
  return (
    <ul className="delivery-states" aria-label={t('logs.deliveriesOf', { id: msgId })}>
      {destinations.data.data.map((d) => (
        <li key={d.id}>
          <StatusBadge status={d.statusText} /> <span className="break small">{d.url}</span>
        </li>
      ))}
    </ul>
  );
}

function MessageDetail({ message, onClose }: { message: Message; onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const [status, setStatus] = useState<'' | '0' | '2'>('');
  const id = useId();
  const full = useMessage(message.id);
  const attempts = useMessageAttempts(message.id, status === '' ? {} : { status: Number(status) });
  const [open, setOpen] = useState<Attempt | null>(null);
  if (open) return <AttemptDetail msgId={open.msgId} attemptId={open.id} onClose={() => setOpen(null)} />;
  return (
    <Dialog title={t('logs.message', { eventType: message.eventType })} onClose={onClose} wide>
      <p className="small muted">
        <code>{message.id}</code>
        {message.eventId && (
          <>
            {' · '}
            <code>{message.eventId}</code>
          </>
        )}{' '}
        · {dateTime(message.timestamp)}
      </p>
      <h3>{t('logs.payload')}</h3>
      {full.isPending && <Loading what={t('logs.loadingPayload')} />}
      {full.isError && <ErrorState error={full.error} />}
      {full.data && <JsonBlock label={t('logs.messagePayload')} value={full.data.payload} />}
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

function MessageTable({ messages, onOpen }: { messages: Message[]; onOpen: (m: Message) => void }) {
  const { t, dateTime } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('logs.col.eventType')}</th>
            <th scope="col">{t('logs.col.messageId')}</th>
            <th scope="col">{t('logs.col.deliveries')}</th>
            <th scope="col">{t('logs.col.time')}</th>
            <th scope="col">
              <span className="sr-only">{t('logs.col.details')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>
                <code>{m.eventType}</code>
              </td>
              <td className="small break">
                <code>{m.id}</code>
                {m.eventId && <div className="muted">{m.eventId}</div>}
              </td>
              <td>
                <DeliveryStates msgId={m.id} />
              </td>
              <td className="nowrap small">{dateTime(m.timestamp)}</td>
              <td>
                <button type="button" className="btn small" onClick={() => onOpen(m)} aria-label={t('logs.viewMessage', { id: m.id })}>
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

/** One message found by its id or eventId. */
function SearchResult({ idOrEventId, onOpen }: { idOrEventId: string; onOpen: (m: Message) => void }) {
  const { t } = useI18n();
  const found = useFindMessage(idOrEventId);
  if (found.isPending) return <Loading what={t('logs.loadingMessages')} />;
  if (found.isError) return <ErrorState error={found.error} retry={() => void found.refetch()} />;
  if (!found.data) {
    return (
      <EmptyState title={t('search.notFound.title')}>
        <p>{t('search.notFound.text', { id: idOrEventId })}</p>
      </EmptyState>
    );
  }
  return <MessageTable messages={[found.data]} onOpen={onOpen} />;
}

/** Every message of the application with its delivery state per endpoint; filtered, or one found by id. */
export function MessageLog({ endpoints }: { endpoints: { id: string; url: string }[] }) {
  const [filters, setFilters] = useState<LogFilters>(defaultLogFilters);
  const [search, setSearch] = useState('');
  const pager = usePager();
  const query = useMemo(() => buildLogQuery(filters), [filters]);
  const messages = useMessages(query, pager.iterator, filters.endpoint || undefined);
  const { t } = useI18n();
  const names = useEventTypeNames();
  const [open, setOpen] = useState<Message | null>(null);
  const fieldError = channelError(messages.error);
  return (
    <div>
      <LogSearch active={search} onSearch={setSearch} />
      {search ? (
        <SearchResult idOrEventId={search} onOpen={setOpen} />
      ) : (
        <>
          <LogFiltersBar
            filters={filters}
            eventTypes={names}
            endpoints={endpoints}
            showStatus={false}
            errors={{ channel: fieldError }}
            onChange={(f) => {
              setFilters(f);
              pager.reset();
            }}
          />
          {messages.isPending && <Loading what={t('logs.loadingMessages')} />}
          {messages.isError && !fieldError && <ErrorState error={messages.error} retry={() => void messages.refetch()} />}
          {messages.data && messages.data.data.length === 0 && (
            <EmptyState title={t('logs.noMessages.title')}>
              <p>{t('logs.noMessages.text')}</p>
            </EmptyState>
          )}
          {messages.data && messages.data.data.length > 0 && <MessageTable messages={messages.data.data} onOpen={setOpen} />}
          {messages.data && <Pager pager={pager} nextIterator={messages.data.iterator} done={messages.data.done} />}
        </>
      )}
      {open && <MessageDetail message={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
