import type { Page, PageFit } from '@hookline/db';

export type Ordering = 'ascending' | 'descending';

export interface ListParams {
  limit: number;
  iterator?: string | undefined;
  order?: Ordering | undefined;
  /** Bound on the page's JSON size (HOOKLINE_MAX_PAGE_BYTES): fewer items than `limit` then, see paginate. */
  maxBytes?: number | undefined;
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
 *
 * With `maxBytes`, the page also ends (not `done`, the iterator after its last item) before the
 * first item that would take its JSON past `maxBytes`, or that the fetch marked `fitsPage: false`
 * (content it left unread, see selectWithinBytes); its first item is always shown, however large.
 * Items are cut in the direction of travel, so a backward walk stays correct too.
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
  const page: Page = { limit: params.limit + 1, direction: ascending ? 'asc' : 'desc', ...(params.maxBytes !== undefined ? { maxBytes: params.maxBytes } : {}) };
  if (cursor) {
    if (ascending) page.afterId = cursor;
    else page.beforeId = cursor;
  }
  const rows = await fetch(page);
  let more = rows.length > params.limit;
  let items = rows.slice(0, params.limit).map((row) => ({ row, out: map(row) }));
  if (params.maxBytes !== undefined) {
    const fitting = countFitting(items, params.maxBytes);
    if (fitting < items.length) {
      items = items.slice(0, fitting);
      more = true;
    }
  }
  if (backward) items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  return {
    data: items.map((i) => i.out),
    iterator: last ? cursorOf(last.row) : null,
    prevIterator: first ? `-${cursorOf(first.row)}` : null,
    done: !more,
  };
}

/** Room kept for the page's envelope: `{"data":[…],"iterator":…,"prevIterator":…,"done":…}`, iterators of up to 256 characters. */
const ENVELOPE_BYTES = 1024;

/** How many of `items`, in the order read, fit in `maxBytes` of JSON (at least one). */
function countFitting<R>(items: ReadonlyArray<{ row: R; out: unknown }>, maxBytes: number): number {
  let total = ENVELOPE_BYTES;
  for (const [i, { row, out }] of items.entries()) {
    if (i > 0 && (row as Partial<PageFit>).fitsPage === false) return i;
    // Measured as the response will serialise it (res.json), plus the comma.
    total += Buffer.byteLength(JSON.stringify(out)) + 1;
    if (i > 0 && total > maxBytes) return i;
  }
  return items.length;
}
