import { describe, expect, it } from 'vitest';
import type { Page } from '@hookline/db';
import { newId } from '../src/ids.ts';
import { paginate, type ListParams } from '../src/pagination.ts';
import { timeBounds } from '../src/attempts/attempts.ts';

// paginate() against an in-memory table, so Svix's iterator rules are pinned without a database.
const ids = Array.from({ length: 7 }, (_, i) => `k${i}`);

function fetchFrom(rows: string[]) {
  return async (page: Page) => {
    let out = rows.filter((id) => (page.afterId === undefined || id > page.afterId) && (page.beforeId === undefined || id < page.beforeId));
    out = [...out].sort();
    if (page.direction === 'desc') out.reverse();
    return out.slice(0, page.limit).map((id) => ({ id }));
  };
}

const list = (params: ListParams, order: 'ascending' | 'descending' = 'ascending', rows = ids) =>
  paginate(params, order, fetchFrom(rows), (r) => r.id);

describe('paginate', () => {
  it('walks forward: iterator is the last key, prevIterator "-" and the first, done on the last page', async () => {
    expect(await list({ limit: 3 })).toEqual({ data: ['k0', 'k1', 'k2'], iterator: 'k2', prevIterator: '-k0', done: false });
    expect(await list({ limit: 3, iterator: 'k2' })).toEqual({ data: ['k3', 'k4', 'k5'], iterator: 'k5', prevIterator: '-k3', done: false });
    expect(await list({ limit: 3, iterator: 'k5' })).toEqual({ data: ['k6'], iterator: 'k6', prevIterator: '-k6', done: true });
  });

  it('walks backward in list order, done once nothing lies before the page (as svix-server)', async () => {
    expect(await list({ limit: 3, iterator: '-k6' })).toEqual({ data: ['k3', 'k4', 'k5'], iterator: 'k5', prevIterator: '-k3', done: false });
    expect(await list({ limit: 3, iterator: '-k3' })).toEqual({ data: ['k0', 'k1', 'k2'], iterator: 'k2', prevIterator: '-k0', done: true });
    expect(await list({ limit: 3, iterator: '-k2' })).toEqual({ data: ['k0', 'k1'], iterator: 'k1', prevIterator: '-k0', done: true });
  });

  it('gives an empty page null iterators, in either direction', async () => {
    expect(await list({ limit: 3, iterator: 'k6' })).toEqual({ data: [], iterator: null, prevIterator: null, done: true });
    expect(await list({ limit: 3, iterator: '-k0' })).toEqual({ data: [], iterator: null, prevIterator: null, done: true });
  });

  it('pages a descending list the same way, newest first', async () => {
    expect(await list({ limit: 4 }, 'descending')).toEqual({ data: ['k6', 'k5', 'k4', 'k3'], iterator: 'k3', prevIterator: '-k6', done: false });
    expect(await list({ limit: 4, iterator: 'k3' }, 'descending')).toEqual({ data: ['k2', 'k1', 'k0'], iterator: 'k0', prevIterator: '-k2', done: true });
    expect(await list({ limit: 4, iterator: '-k2' }, 'descending')).toEqual({ data: ['k6', 'k5', 'k4', 'k3'], iterator: 'k3', prevIterator: '-k6', done: true });
    // `order` from the request wins over the list's default.
    expect((await list({ limit: 2, order: 'ascending' }, 'descending')).data).toEqual(['k0', 'k1']);
  });
});

describe('timeBounds', () => {
  it('turns before/after into id bounds at millisecond resolution', () => {
    const t = new Date('2025-06-01T12:00:00.500Z');
    const { below, above } = timeBounds('atmpt', t, t);
    const earlier = newId('atmpt', new Date(t.getTime() - 1));
    const same = newId('atmpt', t);
    const later = newId('atmpt', new Date(t.getTime() + 1));
    expect(earlier < below!).toBe(true);
    expect(same < below!).toBe(false);
    expect(same > above!).toBe(true);
    expect(later > above!).toBe(true);
    expect(earlier > above!).toBe(false);
  });

  it('accepts dates beyond what an id can hold', () => {
    const { below } = timeBounds('msg', new Date('2999-01-01T00:00:00Z'), undefined);
    expect(newId('msg') < below!).toBe(true);
    expect(timeBounds('msg', undefined, undefined)).toEqual({});
  });
});
