// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLogQuery, defaultLogFilters, type LogFilters, type LogQuery } from '../src/api/logQuery.ts';
import { LogFiltersBar } from '../src/components/LogFiltersBar.tsx';
import { LogSearch } from '../src/components/LogSearch.tsx';

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

describe('app-wide log filters and search', () => {
  const endpoints = [
    { id: 'ep_a', url: 'https://a.example.com/hook' },
    { id: 'ep_b', url: 'https://b.example.com/hook' },
  ];

  function renderAppFilters() {
    const seen: { filters: LogFilters; query: LogQuery } = { filters: defaultLogFilters, query: buildLogQuery(defaultLogFilters, NOW) };
    function Harness() {
      const [filters, setFilters] = useState<LogFilters>(defaultLogFilters);
      seen.filters = filters;
      seen.query = buildLogQuery(filters, NOW);
      return <LogFiltersBar filters={filters} onChange={setFilters} eventTypes={['invoice.paid']} showStatus={false} endpoints={endpoints} />;
    }
    render(<Harness />);
    return seen;
  }

  it('offer a delivery state only once an endpoint is chosen, and drop it with the endpoint', () => {
    const seen = renderAppFilters();
    expect(screen.queryByLabelText('Status')).toBeNull();
    choose('Endpoint', 'ep_b');
    choose('Status', 'pending');
    expect(seen.filters).toMatchObject({ endpoint: 'ep_b', status: 'pending' });
    expect(seen.query.status).toBe(1);
    choose('Endpoint', '');
    expect(screen.queryByLabelText('Status')).toBeNull();
    expect(seen.filters).toMatchObject({ endpoint: '', status: '' });
    expect(seen.query.status).toBeUndefined();
  });

  it('send a trimmed channel, and none when empty', () => {
    const seen = renderAppFilters();
    choose('Channel', ' eu-west ');
    expect(seen.query).toEqual({ channel: 'eu-west', after: '2026-03-03T12:00:00.000Z' });
    choose('Channel', '');
    expect(seen.query).toEqual({ after: '2026-03-03T12:00:00.000Z' });
  });

  it("show the API's 422 detail on the channel field", () => {
    render(<LogFiltersBar filters={defaultLogFilters} onChange={() => {}} eventTypes={[]} endpoints={endpoints} errors={{ channel: 'Invalid channel' }} />);
    const input = screen.getByLabelText('Channel');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Invalid channel');
  });

  it('search by a trimmed id or eventId, and clear it', () => {
    const searches: string[] = [];
    function Harness() {
      const [active, setActive] = useState('');
      return (
        <LogSearch
          active={active}
          onSearch={(q) => {
            searches.push(q);
            setActive(q);
          }}
        />
      );
    }
    render(<Harness />);
    const find = screen.getByRole('button', { name: 'Find' });
    expect(find.hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Clear search' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Message id or eventId'), { target: { value: '  order-42 ' } });
    fireEvent.click(find);
    expect(searches).toEqual(['order-42']);
    fireEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(searches).toEqual(['order-42', '']);
    expect(screen.getByLabelText<HTMLInputElement>('Message id or eventId').value).toBe('');
  });
});
