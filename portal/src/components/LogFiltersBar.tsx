import { useId } from 'react';
import type { LogFilters } from '../api/logQuery.ts';

/** Filter controls of the logs: event type, status, time range (custom: from / to). */
export function LogFiltersBar({
  filters,
  onChange,
  eventTypes,
  showStatus = true,
}: {
  filters: LogFilters;
  onChange: (next: LogFilters) => void;
  eventTypes: string[];
  showStatus?: boolean;
}) {
  const id = useId();
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <div className="filters" role="group" aria-label="Log filters">
      <div className="field">
        <label htmlFor={`${id}-type`}>Event type</label>
        <select id={`${id}-type`} value={filters.eventType} onChange={(e) => set('eventType', e.target.value)}>
          <option value="">All event types</option>
          {eventTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      {showStatus && (
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={filters.status} onChange={(e) => set('status', e.target.value as LogFilters['status'])}>
            <option value="">All statuses</option>
            <option value="success">Succeeded</option>
            <option value="fail">Failed</option>
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-range`}>Time range</label>
        <select id={`${id}-range`} value={filters.range} onChange={(e) => set('range', e.target.value as LogFilters['range'])}>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
          <option value="all">All time</option>
          <option value="custom">Custom range</option>
        </select>
      </div>
      {filters.range === 'custom' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="datetime-local" value={filters.from} onChange={(e) => set('from', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="datetime-local" value={filters.to} onChange={(e) => set('to', e.target.value)} />
          </div>
        </>
      )}
    </div>
  );
}
