import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@hookline/test-support/database';
import { waitUntil } from '@hookline/test-support/process';
import { listenForWakeups } from '../src/wakeups.ts';

// The worker's LISTEN connection: each channel wakes its loop, except a NOTIFY this worker sent
// itself (its payload names the worker), whose work the worker already knows of.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

it("wakes a channel's loop on its NOTIFY, but not on one this worker sent", async () => {
  const woken: string[] = [];
  const listening = listenForWakeups(
    database.connectionString,
    pino({ level: 'silent' }),
    {
      chan_a: () => woken.push('a'),
      chan_b: () => woken.push('b'),
    },
    'worker-me',
  );
  try {
    // Connecting wakes every loop once (work may have come while it was not listening).
    await waitUntil(() => woken.length === 2, 5000, 'the wake-up on connecting');
    woken.length = 0;
    await client.query(`SELECT pg_notify('chan_a', 'worker-me'), pg_notify('chan_b', 'worker-other'), pg_notify('chan_a', '')`);
    await waitUntil(() => woken.length === 2, 5000, 'two wake-ups');
    await client.query(`SELECT pg_notify('chan_b', '')`);
    await waitUntil(() => woken.length === 3, 5000, 'the last wake-up');
    expect(woken).toEqual(['b', 'a', 'b']);
  } finally {
    await listening.close();
  }
});
