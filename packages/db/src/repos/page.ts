import type { SelectQueryBuilder } from 'kysely';

/**
 * A keyset page over a unique key that sorts by creation time (usually the id). `afterId` and
 * `beforeId` are exclusive bounds; `direction` is the order in which rows are read (the caller
 * reverses when needed).
 */
export interface Page {
  limit: number;
  direction: 'asc' | 'desc';
  afterId?: string;
  beforeId?: string;
}

/**
 * Applies a page to a query. `key` is the column paged by: `id` by default, or a qualified column
 * (`d.msgId`) for a query over joined tables.
 */
export function pageQuery<D, T extends keyof D, O>(
  q: SelectQueryBuilder<D, T, O>,
  page: Page,
  key = 'id',
): SelectQueryBuilder<D, T, O> {
  // The key exists on every query that is paged; the casts keep this helper generic over them.
  const ref = key as never;
  let out = q;
  if (page.afterId !== undefined) out = out.where(ref, '>', page.afterId as never);
  if (page.beforeId !== undefined) out = out.where(ref, '<', page.beforeId as never);
  return out.orderBy(ref, page.direction).limit(page.limit);
}
