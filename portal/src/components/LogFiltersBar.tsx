import { useId } from 'react';
import type { LogFilters } from '../api/logQuery.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';

/**
 * Filter controls of the logs: event type, endpoint, delivery state, channel, time range (custom:
 * from / to). The app-wide log passes its endpoints; a state then filters once one is chosen, since
 * a message has a delivery state per endpoint. `errors` are the API's 422 details per filter.
 */
export function LogFiltersBar({
  filters,
  onChange,
  eventTypes,
  showStatus = true,
  endpoints,
  errors = {},
}: {
  filters: LogFilters;
  onChange: (next: LogFilters) => void;
  eventTypes: string[];
  showStatus?: boolean;
  endpoints?: { id: string; url: string }[];
  errors?: Partial<Record<'channel', string>>;
}) {
  const id = useId();
  const { t } = useI18n();
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]) => onChange({ ...filters, [key]: value });
  const statusShown = showStatus || (endpoints !== undefined && filters.endpoint !== '');
  return (
    <div className="filters" role="group" aria-label={t('filters.label')}>
      <div className="field">
        <label htmlFor={`${id}-type`}>{t('filters.eventType')}</label>
        <select id={`${id}-type`} value={filters.eventType} onChange={(e) => set('eventType', e.target.value)}>
          <option value="">{t('filters.allEventTypes')}</option>
          {eventTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      {endpoints && (
        <div className="field">
          <label htmlFor={`${id}-endpoint`}>{t('filters.endpoint')}</label>
          <select
            id={`${id}-endpoint`}
            value={filters.endpoint}
            // Without an endpoint there is no delivery state to filter on.
            onChange={(e) => onChange({ ...filters, endpoint: e.target.value, status: e.target.value ? filters.status : '' })}
          >
            <option value="">{t('filters.allEndpoints')}</option>
            {endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.url}
              </option>
            ))}
          </select>
        </div>
      )}
      {statusShown && (
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('filters.status')}</label>
          <select id={`${id}-status`} value={filters.status} onChange={(e) => set('status', e.target.value as LogFilters['status'])}>
            <option value="">{t('filters.allStatuses')}</option>
            <option value="success">{t('filters.succeeded')}</option>
            {/* Only a delivery waits for a retry; an attempt has succeeded or failed. */}
            {endpoints && <option value="pending">{t('filters.pending')}</option>}
            <option value="fail">{t('filters.failed')}</option>
          </select>
        </div>
      )}
      {endpoints && (
        <div className="field">
          <label htmlFor={`${id}-channel`}>{t('filters.channel')}</label>
          <input
            id={`${id}-channel`}
            value={filters.channel}
            placeholder={t('filters.allChannels')}
            aria-invalid={errors.channel ? true : undefined}
            aria-describedby={errors.channel ? `${id}-channel-error` : undefined}
            onChange={(e) => set('channel', e.target.value)}
          />
          {errors.channel && (
            <p id={`${id}-channel-error`} className="field-error">
              {errors.channel}
            </p>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-range`}>{t('filters.range')}</label>
        <select id={`${id}-range`} value={filters.range} onChange={(e) => set('range', e.target.value as LogFilters['range'])}>
          <option value="1h">{t('filters.1h')}</option>
          <option value="24h">{t('filters.24h')}</option>
          <option value="7d">{t('filters.7d')}</option>
          <option value="30d">{t('filters.30d')}</option>
          <option value="all">{t('filters.all')}</option>
          <option value="custom">{t('filters.custom')}</option>
        </select>
      </div>
      {filters.range === 'custom' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t('filters.from')}</label>
            <input id={`${id}-from`} type="datetime-local" value={filters.from} onChange={(e) => set('from', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>{t('filters.to')}</label>
            <input id={`${id}-to`} type="datetime-local" value={filters.to} onChange={(e) => set('to', e.target.value)} />
          </div>
        </>
      )}
    </div>
  );
}
