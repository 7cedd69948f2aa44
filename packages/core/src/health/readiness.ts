import { pingDatabase, queueReachable, type Database, type PgBoss } from '@hookline/db';

export interface Readiness {
  ready: boolean;
  checks: { database: 'ok' | 'failing'; queue: 'ok' | 'failing' };
}

/** Resolves within `ms`, or rejects: a check must not hang the probe that runs it. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** Whether this process can serve: the database answers and the delivery queue is reachable. */
export async function checkReadiness(db: Database, boss: PgBoss, timeoutMs = 2000): Promise<Readiness> {
  const [database, queue] = await Promise.all([
    within(timeoutMs, pingDatabase(db)).then(
      () => 'ok' as const,
      () => 'failing' as const,
    ),
    within(timeoutMs, queueReachable(boss)).then(
      (ok) => (ok ? ('ok' as const) : ('failing' as const)),
      () => 'failing' as const,
    ),
  ]);
  return { ready: database === 'ok' && queue === 'ok', checks: { database, queue } };
}
