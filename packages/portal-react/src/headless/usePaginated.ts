import { useState } from 'react';
import type { HooklineError } from './hooklineError.ts';
import type { ReloadBus, ReloadTopic } from './reloadBus.ts';
import { useLoad } from './useLoad.ts';

/** A page of any list of the API. */
export interface ListPage<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

/** One page of a list and how to move through it: svix-react's SvixPaginatedData shape. */
export interface HooklinePaginated<T> {
  data: T[] | undefined;
  loading: boolean;
  error: HooklineError | undefined;
  hasPrevPage: boolean;
  hasNextPage: boolean;
  nextPage: () => void;
  prevPage: () => void;
  reload: () => void;
  /** The iterator the current page was loaded with (undefined on the first page). */
  iterator: string | undefined;
}

/**
 * Pages through a list by the iterators the API returns. The iterators of the pages walked so far
 * are kept, so "previous" goes back to exactly the page seen before (even when items were added
 * since); changing `key` (the filters) starts again at the first page.
 */
export function usePaginated<T>(
  key: string | null,
  loadPage: (iterator: string | undefined, signal: AbortSignal) => Promise<ListPage<T>>,
  reloads: ReloadBus,
  topics: readonly ReloadTopic[],
): HooklinePaginated<T> {
  const [walk, setWalk] = useState<{ key: string | null; iterators: (string | undefined)[] }>({ key, iterators: [undefined] });
  const iterators = walk.key === key ? walk.iterators : [undefined];
  const iterator = iterators[iterators.length - 1];
  const page = useLoad(key === null ? null : `${key}\n${iterator ?? ''}`, (signal) => loadPage(iterator, signal), reloads, topics);
  const nextIterator = page.data && !page.data.done ? page.data.iterator : null;
  const hasNextPage = !page.loading && nextIterator !== null;
  const hasPrevPage = iterators.length > 1;
  return {
    data: page.data?.data,
    loading: page.loading,
    error: page.error,
    reload: page.reload,
    iterator,
    hasNextPage,
    hasPrevPage,
    nextPage: () => {
      if (hasNextPage && nextIterator !== null) setWalk({ key, iterators: [...iterators, nextIterator] });
    },
    prevPage: () => {
      if (hasPrevPage) setWalk({ key, iterators: iterators.slice(0, -1) });
    },
  };
}
