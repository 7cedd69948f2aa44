// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLogQuery, defaultLogFilters, type LogFilters, type LogQuery } from '../src/api/logQuery.ts';
import { LogFiltersBar } from '../src/components/LogFiltersBar.tsx';

const NOW = new Date('2026-03-10T12:00:00.000Z');

/** Renders the filter bar and exposes the query built from its current state. */
function renderFilters(showStatus = true) {
  const seen: { query: LogQuery } = { query: buildLogQuery(defaultLogFilters, NOW) };
  function Harness() {
    const [filters, setFilters] = useState<LogFilters>(defaultLogFilters);
    seen.query = buildLogQuery(filters, NOW);
    return <LogFiltersBar filters={filters} onChange={setFilters} eventTypes={['invoice.paid', 'invoice.created']} showStatus={showStatus} />;
  }
  render(<Harness />);
  return seen;
}

const choose = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

afterEach(cleanup);

describe('log filters', () => {
  it('start with the last 7 days and no other filter', () => {
    const seen = renderFilters();
    expect(seen.query).toEqual({ after: '2026-03-03T12:00:00.000Z' });
  });

  it('build event_types, status and the time window from the controls', () => {
    const seen = renderFilters();
    choose('Event type', 'invoice.paid');
    choose('Status', 'fail');
    choose('Time range', '24h');
    expect(seen.query).toEqual({ event_types: ['invoice.paid'], status: 2, after: '2026-03-09T12:00:00.000Z' });
    choose('Status', 'success');
    choose('Time range', 'all');
    expect(seen.query).toEqual({ event_types: ['invoice.paid'], status: 0 });
    choose('Event type', '');
    choose('Status', '');
    expect(seen.query).toEqual({});
  });

  it('use from / to for a custom range', () => {
    const seen = renderFilters();
    expect(screen.queryByLabelText('From')).toBeNull();
    choose('Time range', 'custom');
    choose('From', '2026-03-01T08:30');
    choose('To', '2026-03-02T18:00');
    expect(seen.query).toEqual({
      after: new Date('2026-03-01T08:30').toISOString(),
      before: new Date('2026-03-02T18:00').toISOString(),
    });
  });

  it('leave out status where it does not apply (message list)', () => {
    renderFilters(false);
    expect(screen.queryByLabelText('Status')).toBeNull();
    expect(screen.getByLabelText('Event type')).toBeTruthy();
  });
});
