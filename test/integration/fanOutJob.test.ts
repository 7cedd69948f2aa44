import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBoss, JOBS } from '@hookline/core';
import { BOSS_SCHEMA } from '@hookline/db';
import { startTestHookline, type TestHookline } from '../support/hookline.ts';

// Publishing writes its fan-out job itself, in the message's INSERT statement (fanOutJobOf), not
// through boss.send. This keeps that row the one pg-boss writes: after a pg-boss upgrade that
// changes what a job needs, this fails instead of workers silently mishandling published jobs.

let h: TestHookline;
let client: pg.Client;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' }); // no worker: the jobs stay as written
  client = new pg.Client({ connectionString: h.connectionString });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await h?.stop();
});

/** Every column of a job, with the values that differ between any two jobs made relative. */
async function jobRow(id: string): Promise<Record<string, unknown>> {
  const { rows } = await client.query(
    `SELECT *, tableoid::regclass::text AS stored_in, keep_until - start_after AS kept_for, start_after - created_on AS delay
     FROM ${BOSS_SCHEMA}.job WHERE id = $1`, [id]);
  const { id: _id, data: _data, created_on: _c, start_after: _s, keep_until: _k, trace_context: _t, ...rest } = rows[0] as Record<string, unknown>;
  return rest;
}

it('writes the same fan-out job row as boss.send', async () => {
  const { tenantId, apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/app').set(auth).send({ name: 'a', uid: 'a' }).expect(201);
  const msg = (await h.http.post('/api/v1/app/a/msg').set(auth).send({ eventType: 'x.y', payload: { n: 1 } }).expect(202)).body;

  const { rows: published } = await client.query(`SELECT id, data FROM ${BOSS_SCHEMA}.job WHERE name = $1`, [JOBS.fanOut]);
  expect(published).toHaveLength(1);
  expect(published[0].data).toEqual({ tenantId, msgId: msg.id });

  const boss = createBoss(h.connectionString, 'producer', { max: 1 });
  await boss.start();
  try {
    const sent = await boss.send(JOBS.fanOut, { tenantId, msgId: msg.id });
    expect(sent).toBeTruthy();
    expect(await jobRow(published[0].id)).toEqual(await jobRow(sent!));
  } finally {
    await boss.stop({ graceful: false });
  }
});

it('writes no job when the eventId is taken', async () => {
  const { apiKey } = await h.createTenant();
  const auth = { authorization: `Bearer ${apiKey}` };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'b' }).expect(201)).body.id;
  const count = async () => Number((await client.query(`SELECT count(*) FROM ${BOSS_SCHEMA}.job WHERE name = $1`, [JOBS.fanOut])).rows[0].count);
  const before = await count();
  await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'e1', payload: {} }).expect(202);
  await h.http.post(`/api/v1/app/${app}/msg`).set(auth).send({ eventType: 'x.y', eventId: 'e1', payload: {} }).expect(409);
  expect(await count()).toBe(before + 1);
});
