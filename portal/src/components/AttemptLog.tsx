import { useMemo, useState } from 'react';
import { buildLogQuery, defaultLogFilters, type LogFilters } from '../api/logQuery.ts';
import { useEndpointAttempts, type Attempt } from '../api/useAttempts.ts';
import { useEventTypes } from '../api/useEventTypes.ts';
import { EmptyState, ErrorState, Loading, StatusBadge } from '@hookline/ui';
import { AttemptDetail, statusText } from './AttemptDetail.tsx';
import { LogFiltersBar } from './LogFiltersBar.tsx';
import { Pager, usePager } from './Pager.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function useEventTypeNames(): string[] {
  const types = useEventTypes();
  return (types.data?.data ?? []).map((t) => t.name);
}

export function AttemptTable({ attempts, onOpen, showEndpoint }: { attempts: Attempt[]; onOpen: (a: Attempt) => void; showEndpoint?: boolean }) {
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
