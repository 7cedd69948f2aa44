// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditFilters } from '../src/pages/auditLog/AuditFilters.tsx';
import { perDay } from '../src/pages/endpoints/StatsPanel.tsx';

afterEach(cleanup);

const bucket = (start: Date, success: number, fail: number) => ({
  start: start.toISOString(),
  success,
  fail,
  responses: { '2xx': success, '3xx': 0, '4xx': 0, '5xx': fail, other: 0 },
  latencyHistogram: [],
  latencyMs: null,
});

describe("an endpoint's attempts per day", () => {
  it('sums hour buckets into the local days ending today and leaves out older ones', () => {
    const now = new Date(2026, 11, 6, 15, 30);
    const at = (daysAgo: number, hour: number) => new Date(2026, 11, 6 - daysAgo, hour);
    const series = {
      granularity: 'hour' as const,
      since: at(7, 0).toISOString(),
      until: now.toISOString(),
      latencyBoundsMs: [],
      data: [bucket(at(7, 23), 9, 9), bucket(at(6, 0), 1, 0), bucket(at(1, 23), 2, 1), bucket(at(0, 0), 3, 0), bucket(at(0, 14), 1, 4)],
    };
    const days = perDay(series, now);
    expect(days).toHaveLength(7);
    expect(days.map((d) => [d.success, d.fail])).toEqual([
      [1, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [2, 1],
      [4, 4],
    ]);
    expect(days.at(-1)!.label).toBe(now.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }));
  });
});

describe('the audit log filters', () => {
  it('apply only what was filled in, with local times as ISO instants, and clear to none', () => {
    const onApply = vi.fn();
    render(<AuditFilters onApply={onApply} fieldErrors={{ target: 'too long' }} />);
    fireEvent.change(screen.getByLabelText('Actor id'), { target: { value: '  psn_1 ' } });
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'endpoint.secret.rotated' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-12-01T08:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(onApply).toHaveBeenLastCalledWith({ actor: 'psn_1', action: 'endpoint.secret.rotated', since: new Date('2026-12-01T08:30').toISOString() });
    // A 422's message is on its field.
    expect(screen.getByLabelText('Target id').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('too long')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(onApply).toHaveBeenLastCalledWith({});
    expect(screen.getByLabelText<HTMLInputElement>('Actor id').value).toBe('');
  });
});
