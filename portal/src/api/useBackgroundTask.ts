import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schemas } from '@hookline/ui';
import { useApi } from './apiContext.tsx';

export type BackgroundTask = Schemas['BackgroundTaskOut'];

/** What a replay sends: messages the endpoint never had, every delivery again, or only the failed ones. */
export type ReplayKind = 'missing' | 'all' | 'failed';

/** Poll fast while the task runs, then stop: a finished or failed task never changes again. */
export function taskRefetchInterval(task: BackgroundTask | undefined): number | false {
  return !task || task.status === 'running' ? 1000 : false;
}

/** The messages a task has sent so far (replays and recoveries count them in `data.messagesSent`). */
export function messagesSentOf(task: BackgroundTask): number | undefined {
  const sent = task.data.messagesSent;
  return typeof sent === 'number' ? sent : undefined;
}

/** A background task, polled until it has finished. */
export function useBackgroundTask(id: string) {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['background-task', app, id],
    refetchInterval: (q) => taskRefetchInterval(q.state.data),
    queryFn: async () => {
      const task = await client.request('get', '/api/v1/background-task/{task_id}', { path: { task_id: id } });
      // The resends it queued show up in the logs.
      if (task.status !== 'running') void qc.invalidateQueries({ queryKey: ['attempts', app] });
      return task;
    },
  });
}

/** Starts a replay of an endpoint (POST …/replay-missing or …/bulk-replay): a background task. */
export function useReplay() {
  const { client, app } = useApi();
  return useMutation({
    mutationFn: ({ endpoint, kind, since, until }: { endpoint: string; kind: ReplayKind; since: string; until?: string }) =>
      kind === 'missing'
        ? client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/replay-missing', { path: { app, endpoint }, body: { since, until } })
        : client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/bulk-replay', {
            path: { app, endpoint },
            body: { since, until, ...(kind === 'failed' ? { status: 2 as const } : {}) },
          }),
  });
}
