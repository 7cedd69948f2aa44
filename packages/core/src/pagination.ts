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
 * Svix's keyset pagination over a unique key that sorts by creation time (an id, or `cursorOf`).
 *
 * - `iterator` is the last item's key: passed back, it returns the page after this one.
 * - `prevIterator` is `-` + the first item's key: passed back, it returns the page before this
 *   one, still in list order.
 * - `done` says there is nothing further in the direction just travelled: no next page when
 *   walking forward, no earlier page when walking backward with a `-` iterator.
 * - An empty page has neither iterator (both null).
 *
 * This is what svix-server's `list_response` does: it reads `limit + 1` rows in the direction of
 * travel (the extra row only tells whether more exist), drops that row, and reverses a backward
 * page into list order.
 */
export async function paginate<R, T>(
  params: ListParams,
  defaultOrder: Ordering,
  fetch: (page: Page) => Promise<R[]>,
  map: (row: R) => T,
  cursorOf: (row: R) => string = (row) => (row as { id: string }).id,
): Promise<ListPage<T>> {
  const order = params.order ?? defaultOrder;
  const raw = params.iterator;
  const backward = raw?.startsWith('-') ?? false;
  const cursor = backward ? raw!.slice(1) : raw;
  // Reading backward through a descending list means reading ascending, and vice versa.
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
    iterator: last ? cursorOf(last) : null,
    prevIterator: first ? `-${cursorOf(first)}` : null,
    done: !more,
  };
}
