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

const list = (params: ListParams, order: 'ascending' | 'descending' = 'ascending', rows = ids) => paginate(params, order, fetchFrom(rows), (r) => r.id);

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

describe('paginate under a byte bound (HOOKLINE_MAX_PAGE_BYTES)', () => {
  // k0…k6 with bodies of 1000, 1000, 5000, 1000, 1000, 1000, 1000 bytes.
  const sizes = [1000, 1000, 5000, 1000, 1000, 1000, 1000];
  const fetchSized = async (page: Page) => (await fetchFrom(ids)(page)).map(({ id }) => ({ id, body: 'x'.repeat(sizes[Number(id.slice(1))]!) }));
  const listSized = (params: ListParams) =>
    paginate(
      params,
      'ascending',
      fetchSized,
      (r) => r,
      (r) => r.id,
    );
  const json = (page: { data: unknown }) => Buffer.byteLength(JSON.stringify(page));
  const names = (page: { data: Array<{ id: string }> }) => page.data.map((r) => r.id);

  it('ends a page early, not done, with the iterator after its last item, and stays within the bound', async () => {
    const first = await listSized({ limit: 7, maxBytes: 4200 });
    expect(names(first)).toEqual(['k0', 'k1']);
    expect(first).toMatchObject({ iterator: 'k1', prevIterator: '-k0', done: false });
    expect(json(first)).toBeLessThanOrEqual(4200);
    // k2 alone is larger than the bound: it still comes, alone.
    expect(names(await listSized({ limit: 7, maxBytes: 4200, iterator: 'k1' }))).toEqual(['k2']);
    const rest = await listSized({ limit: 7, maxBytes: 4200, iterator: 'k2' });
    expect(names(rest)).toEqual(['k3', 'k4', 'k5']);
    expect(rest.done).toBe(false);
    expect(await listSized({ limit: 7, maxBytes: 4200, iterator: 'k5' })).toMatchObject({ iterator: 'k6', done: true });
  });

  it('cuts a backward page nearest its iterator first, so walking back shows every item once', async () => {
    const back = await listSized({ limit: 7, maxBytes: 4200, iterator: '-k6' });
    expect(names(back)).toEqual(['k3', 'k4', 'k5']);
    expect(back).toMatchObject({ prevIterator: '-k3', done: false });
    expect(names(await listSized({ limit: 7, maxBytes: 4200, iterator: '-k3' }))).toEqual(['k2']);
    expect(await listSized({ limit: 7, maxBytes: 4200, iterator: '-k2' })).toMatchObject({ data: [{ id: 'k0' }, { id: 'k1' }], done: true });
  });

  it('stops at a row whose content the query left unread (fitsPage false), even when the JSON would fit', async () => {
    const fetchMarked = async (page: Page) => (await fetchFrom(ids)(page)).map(({ id }) => ({ id, fitsPage: id < 'k3' }));
    const out = await paginate({ limit: 7, maxBytes: 1_000_000 }, 'ascending', fetchMarked, (r) => r.id);
    expect(out).toEqual({ data: ['k0', 'k1', 'k2'], iterator: 'k2', prevIterator: '-k0', done: false });
  });

  it('passes the bound on to the query', async () => {
    const seen: Page[] = [];
    await paginate(
      { limit: 3, maxBytes: 5000 },
      'descending',
      async (page) => {
        seen.push(page);
        return [];
      },
      (r) => r,
    );
    expect(seen).toEqual([{ limit: 4, direction: 'desc', maxBytes: 5000 }]);
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
