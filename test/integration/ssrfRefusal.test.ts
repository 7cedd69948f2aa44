import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@hookline/core';
import { startHookline, type Hookline } from '@hookline/server';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, testEnv, type TestHookline } from '@hookline/test-support/hookline';

// Issue 17, 2h: a refusal of a hostname must not say where the name points (a DNS oracle for
// internal names). `localhost` resolves to 127.0.0.1 here (/etc/hosts); with only ::1 allowed the
// name check passes and the resolved address is what gets refused. The operator's log keeps it.

type Line = Record<string, unknown>;
const apiLines: Line[] = [];
const workerLines: Line[] = [];
const capture = (into: Line[]) => createLogger('warn', { write: (line: string) => void into.push(JSON.parse(line) as Line) });

/** Anything that names the address or its kind. */
const LEAK = /127\.0\.0\.1|loopback|::1/;

let h: TestHookline;
let lenient: Hookline | undefined;
let worker: Hookline | undefined;
let target: Receiver;
let auth: { authorization: string };
let appId: string;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_ALLOW_PRIVATE_TARGETS: '::1/128', HOOKLINE_LOG_LEVEL: 'warn' }, capture(apiLines));
  auth = { authorization: `Bearer ${(await h.createTenant('oracle')).apiKey}` };
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'oracle' }).expect(201)).body.id;
  target = await startReceiver();
});
afterAll(async () => {
  await worker?.stop();
  await lenient?.stop();
  await target?.close();
  await h?.stop();
});

describe('at API time', () => {
  it('a create naming a host that resolves to a refused address is 422 without the address', async () => {
    const res = await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `http://localhost:${target.port}/hook` });
    expect(res.status).toBe(422);
    const msg = res.body.detail[0].msg as string;
    expect(res.body.detail[0].loc).toEqual(['body', 'url']);
    expect(msg).toContain('localhost');
    expect(msg).toContain('not allowed');
    expect(res.text).not.toMatch(LEAK);
  });

  it('so is an update, and the operator log names the address', async () => {
    const ep = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.com/hook' }).expect(201)).body.id;
    const patch = await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${ep}`)
      .set(auth)
      .send({ url: `http://localhost:${target.port}/x` });
    expect(patch.status).toBe(422);
    expect(patch.text).not.toMatch(LEAK);
    const put = await h.http
      .put(`/api/v1/app/${appId}/endpoint/${ep}`)
      .set(auth)
      .send({ url: `http://localhost:${target.port}/x` });
    expect(put.status).toBe(422);
    expect(put.text).not.toMatch(LEAK);
    const logged = apiLines.filter((l) => l.msg === 'endpoint URL refused by the SSRF guard');
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(String(logged[0]!.refused)).toContain('127.0.0.1');
  });

  it("an IP literal is the client's own input and is still named", async () => {
    const res = await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'http://10.0.0.1/hook' }).expect(422);
    expect(res.body.detail[0].msg).toContain('10.0.0.1');
  });
});

describe('at send time', () => {
  it('the attempt record says the target was refused, not where it points; the worker log does', async () => {
    // A second api whose policy allows 127.0.0.1 stores the endpoint; the worker's policy (::1 only) refuses it.
    lenient = await startHookline(loadConfig(testEnv(h.connectionString, { HOOKLINE_ROLE: 'api' })), pino({ level: 'silent' }));
    worker = await startHookline(
      loadConfig(
        testEnv(h.connectionString, {
          HOOKLINE_ROLE: 'worker',
          HOOKLINE_ALLOW_PRIVATE_TARGETS: '::1/128',
          HOOKLINE_RETRY_SCHEDULE: '3600',
          HOOKLINE_LOG_LEVEL: 'warn',
        }),
      ),
      capture(workerLines),
    );
    const http = request(`http://127.0.0.1:${lenient.api!.port}`);
    const sendApp = (await http.post('/api/v1/app').set(auth).send({ name: 'send' }).expect(201)).body.id as string;
    await http
      .post(`/api/v1/app/${sendApp}/endpoint`)
      .set(auth)
      .send({ url: `http://localhost:${target.port}/hook` })
      .expect(201);
    const msgId = (
      await http
        .post(`/api/v1/app/${sendApp}/msg`)
        .set(auth)
        .send({ eventType: 'x.y', payload: { n: 1 } })
        .expect(202)
    ).body.id as string;
    let attempts: Array<{ response: string; responseStatusCode: number }> = [];
    await waitUntil(
      async () => {
        attempts = (await h.http.get(`/api/v1/app/${sendApp}/attempt/msg/${msgId}`).set(auth).expect(200)).body.data;
        return attempts.length > 0;
      },
      30_000,
      'the refused attempt to be recorded',
    );
    expect(attempts[0]!.responseStatusCode).toBe(0);
    expect(attempts[0]!.response).toBe('blocked by SSRF guard: localhost resolves to an address that is not allowed');
    expect(target.requests).toHaveLength(0);
    // The attempt as the tenant lists it anywhere: no address.
    const listed = await h.http.get(`/api/v1/app/${sendApp}/attempt/msg/${msgId}?with_content=true`).set(auth).expect(200);
    expect(listed.text).not.toMatch(LEAK);
    const logged = workerLines.filter((l) => l.msg === 'delivery refused by the SSRF guard');
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.refused)).toBe('localhost resolved to a loopback address (127.0.0.1)');
  });
});
