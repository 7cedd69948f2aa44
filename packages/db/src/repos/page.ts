import { sql, type AliasedRawBuilder, type SelectQueryBuilder } from 'kysely';

/**
 * A keyset page over a unique key that sorts by creation time (usually the id). `afterId` and
 * `beforeId` are exclusive bounds; `direction` is the order in which rows are read (the caller
 * reverses when needed). `maxBytes` bounds the large content a page reads (see selectWithinBytes).
 */
export interface Page {
  limit: number;
  direction: 'asc' | 'desc';
  afterId?: string;
  beforeId?: string;
  maxBytes?: number;
}

/** A row of a page read under a byte budget: false on rows whose content was left unread (see selectWithinBytes). */
export interface PageFit {
  fitsPage: boolean;
}

/**
 * Applies a page to a query. `key` is the column paged by: `id` by default, or a qualified column
 * (`d.msgId`) for a query over joined tables. `literalLimit` writes the limit into the text: see
 * attemptRepo.listAttempts.
 */
export function pageQuery<D, T extends keyof D, O>(
  q: SelectQueryBuilder<D, T, O>,
  page: Page,
  key = 'id',
  options: { literalLimit?: boolean } = {},
): SelectQueryBuilder<D, T, O> {
  // The key exists on every query that is paged; the casts keep this helper generic over them.
  const ref = key as never;
  let out = q;
  if (page.afterId !== undefined) out = out.where(ref, '>', page.afterId as never);
  if (page.beforeId !== undefined) out = out.where(ref, '<', page.beforeId as never);
  return out.orderBy(ref, page.direction).limit(options.literalLimit ? sql.lit(page.limit) : page.limit);
}

/**
 * Selects a large text `column` (a payload, a response body) as `alias`, but only on the rows of
 * the page whose running total of its bytes, in the order read, stays within `page.maxBytes` (the
 * first row always); later rows get NULL and `fitsPage` false. octet_length reads the size from a
 * TOASTed value's header, so content past the budget is never fetched. The window has the page's
 * order, so it runs over the index scan and LIMIT still stops it.
 */
export function selectWithinBytes<A extends string>(
  column: string,
  alias: A,
  page: Page,
  key = 'id',
): [AliasedRawBuilder<string | null, A>, AliasedRawBuilder<boolean, 'fitsPage'>] {
  if (page.maxBytes === undefined) return [sql<string | null>`${sql.ref(column)}`.as(alias), sql<boolean>`true`.as('fitsPage')];
  const order = sql`order by ${sql.ref(key)} ${sql.raw(page.direction === 'asc' ? 'asc' : 'desc')}`;
  const fits = sql<boolean>`(coalesce(sum(octet_length(${sql.ref(column)})) over (${order}), 0) <= ${page.maxBytes}
    or row_number() over (${order}) = 1)`;
  return [sql<string | null>`case when ${fits} then ${sql.ref(column)} end`.as(alias), fits.as('fitsPage')];
}

/** selectWithinBytes's columns for a page that shows no content: `alias` is `empty` (NULL by default), every row fits. */
export function selectNoContent<A extends string, V extends string | null = null>(
  alias: A,
  empty: V = null as V,
): [AliasedRawBuilder<V, A>, AliasedRawBuilder<boolean, 'fitsPage'>] {
  return [sql<V>`${empty}`.as(alias), sql<boolean>`true`.as('fitsPage')];
}
