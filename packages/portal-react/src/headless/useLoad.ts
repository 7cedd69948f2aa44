import { useCallback, useEffect, useRef, useState } from 'react';
import { asHooklineError, type HooklineError } from './hooklineError.ts';
import type { ReloadBus, ReloadTopic } from './reloadBus.ts';

/** One item (or one page) and how to load it again: svix-react's SvixEntity shape. */
export interface HooklineEntity<T> {
  data: T | undefined;
  loading: boolean;
  error: HooklineError | undefined;
  reload: () => void;
}

interface LoadState<T> {
  key: string;
  data: T | undefined;
  error: HooklineError | undefined;
  loading: boolean;
}

/**
 * Loads `load()` whenever `key` (everything the request depends on, serialised) changes, on
 * reload(), and when a mutation publishes one of `topics`. A newer load aborts the older one, so
 * a slow answer never overwrites a newer one. `key` null waits (nothing to load yet).
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, reloads: ReloadBus, topics: readonly ReloadTopic[]): HooklineEntity<T> {
  const [state, setState] = useState<LoadState<T>>({ key: '', data: undefined, error: undefined, loading: key !== null });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const topicList = topics.join(',');

  useEffect(() => {
    const unsubscribe = topicList ? topicList.split(',').map((topic) => reloads.subscribe(topic as ReloadTopic, reload)) : [];
    return () => unsubscribe.forEach((off) => off());
  }, [reloads, topicList, reload]);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    // A reload keeps what is shown until the new answer is in; another key starts empty.
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, data: undefined, error: undefined, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ key, data: s.key === key ? s.data : undefined, error: asHooklineError(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, version]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || state.loading),
    reload,
  };
}
