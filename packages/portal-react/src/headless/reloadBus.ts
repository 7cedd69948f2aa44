/** What a mutation changed, so the hooks showing it load again (a deleted endpoint leaves the list at once). */
export type ReloadTopic = 'endpoints' | 'secret' | 'attempts';

export interface ReloadBus {
  subscribe(topic: ReloadTopic, reload: () => void): () => void;
  publish(topic: ReloadTopic): void;
}

export function createReloadBus(): ReloadBus {
  const listeners = new Map<ReloadTopic, Set<() => void>>();
  return {
    subscribe(topic, reload) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(reload);
      return () => set.delete(reload);
    },
    publish(topic) {
      for (const reload of [...(listeners.get(topic) ?? [])]) reload();
    },
  };
}
