import type { SelectQueryBuilder } from 'kysely';
import type { DB } from '../schema.ts';

/**
 * A keyset page over a table whose ids sort by creation time. `before`/`after` are exclusive id
 * bounds; `direction` is the order in which rows are read (the caller reverses when needed).
 */
export interface Page {
  limit: number;
  direction: 'asc' | 'desc';
  afterId?: string;
  beforeId?: string;
}

export function pageQuery<T extends keyof DB, O>(
  q: SelectQueryBuilder<DB, T, O>,
  page: Page,
): SelectQueryBuilder<DB, T, O> {
  // `id` exists on every table that is paged; the casts keep this helper generic over them.
  const id = 'id' as never;
  let out = q;
  if (page.afterId !== undefined) out = out.where(id, '>', page.afterId as never);
  if (page.beforeId !== undefined) out = out.where(id, '<', page.beforeId as never);
  return out.orderBy(id, page.direction).limit(page.limit);
}
