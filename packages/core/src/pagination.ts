import type { Page } from '@hookline/db';

export type Ordering = 'ascending' | 'descending';

export interface ListParams {
  limit: number;
  iterator?: string | undefined;
  order?: Ordering | undefined;
}

export interface ListPage<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

/**
 * Svix-style keyset pagination over time-sortable ids (or another unique key, `cursorOf`). `iterator` continues after the last item
 * of a page; `prevIterator` (the first item's id prefixed with `-`) goes back one page.
 */
export async function paginate<R, T>(
  params: ListParams,
  defaultOrder: Ordering,
  fetch: (page: Page) => Promise<R[]>,
  map: (row: R) => T,
  cursorOf: (row: R) => string = (row) => (row as { id: string }).id,
): Promise<ListPage<T>> {
  const order = params.order ?? defaultOrder;
  const raw = params.iterator ?? undefined;
  const backward = raw?.startsWith('-') ?? false;
  const cursor = backward ? raw!.slice(1) : raw;
  const ascending = (order === 'ascending') !== backward;
  const page: Page = { limit: params.limit + 1, direction: ascending ? 'asc' : 'desc' };
  if (cursor) {
    if (ascending) page.afterId = cursor;
    else page.beforeId = cursor;
  }
  const rows = await fetch(page);
  const more = rows.length > params.limit;
  const pageRows = rows.slice(0, params.limit);
  if (backward) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(map),
    iterator: last ? cursorOf(last) : (cursor ?? null),
    prevIterator: first ? `-${cursorOf(first)}` : null,
    done: backward ? false : !more,
  };
}
