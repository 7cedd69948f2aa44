import { connectDatabase, createBoss, ensureQueues, type Database } from '@hookline/db';
import { createTestDatabase } from './database.ts';

export interface QueueTestDatabase {
  connectionString: string;
  db: Database;
  /** A started pg-boss with Hookline's queues. */
  boss: ReturnType<typeof createBoss>;
  close(): Promise<void>;
}

/** A fresh database with Hookline's queues, for tests that drive worker code without a worker process. */
export async function createQueueTestDatabase(): Promise<QueueTestDatabase> {
  const database = await createTestDatabase();
  const db = connectDatabase({ connectionString: database.connectionString, max: 4 });
  const boss = createBoss(database.connectionString, 'producer', { max: 2 });
  await boss.start();
  await ensureQueues(boss, { deliveryTimeoutMs: 5000, queueRetentionSeconds: 3600 });
  return {
    connectionString: database.connectionString,
    db,
    boss,
    async close() {
      await boss.stop({ graceful: false });
      await db.destroy();
      await database.drop();
    },
  };
}
