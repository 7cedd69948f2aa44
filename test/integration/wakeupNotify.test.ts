import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Wakeup } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { createTestDatabase } from '@hookline/test-support/database';

// A Wakeup NOTIFYs after the work it announces has committed, one NOTIFY in flight at a time. The
// rule that matters: a wake() that arrives while a NOTIFY is in flight is answered by another
// NOTIFY sent after it, never dropped (that one may have been sent before the caller's commit).

let drop: () => Promise<void>;
let db: Database;
let listener: pg.Client;
const heard: number[] = [];
const CHANNEL = 'hookline_test_wakeup';

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = connectDatabase({ connectionString: database.connectionString, max: 2 });
  listener = new pg.Client({ connectionString: database.connectionString });
  await listener.connect();
  listener.on('notification', () => heard.push(Date.now()));
  await listener.query(`LISTEN ${CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await db?.destroy();
  await drop?.();
});

/** Long enough for the NOTIFYs owed (two round trips at most) to arrive. */
const settle = () => new Promise((r) => setTimeout(r, 500));

it('sends one NOTIFY for one wake, and one more for every burst of wakes while one is in flight', async () => {
  const errors: unknown[] = [];
  const wakeup = new Wakeup(db, CHANNEL, (err) => errors.push(err));
  heard.length = 0;
  wakeup.wake();
  await settle();
  expect(heard).toHaveLength(1);

  heard.length = 0;
  // The first sends at once; the other 99 arrive while it is in flight and are owed one NOTIFY, sent after it.
  for (let i = 0; i < 100; i++) wakeup.wake();
  await settle();
  expect(heard).toHaveLength(2);
  expect(errors).toEqual([]);
});

it('reports a NOTIFY that fails and still sends the next one', async () => {
  const errors: unknown[] = [];
  // PostgreSQL refuses channel names over 63 bytes.
  const wakeup = new Wakeup(db, 'x'.repeat(100), (err) => errors.push(err));
  wakeup.wake();
  await settle();
  expect(errors).toHaveLength(1);
  wakeup.wake();
  await settle();
  expect(errors).toHaveLength(2);
});
