import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@hookline/core';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

/** Every JSON line Hookline logs during the test, parsed. */
const lines: Array<Record<string, unknown>> = [];
let h: TestHookline;
let receiver: Receiver;
let auth: { authorization: string };

beforeAll(async () => {
  // The production logger (redaction included), at debug, writing into `lines`.
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  h = await startTestHookline({ HOOKLINE_LOG_LEVEL: 'debug' }, logger);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  // Fails the first attempt, accepts the retry.
  receiver = await startReceiver((_req, n) => (n === 1 ? { status: 500, body: 'not yet' } : { status: 200, body: 'ok' }));
});
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
});

/** Waits (bounded) until `count` lines match `pick`; the worker logs after it commits. */
async function waitForLines(pick: (line: Record<string, unknown>) => boolean, count: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (lines.filter(pick).length < count) {
    if (Date.now() > deadline) throw new Error(`only ${lines.filter(pick).length} of ${count} log lines: ${JSON.stringify(lines.slice(-20))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return lines.filter(pick);
}

/** A line about a message's publication or delivery: named by its text, or by the job/endpoint fields it carries. */
function concernsDelivery(line: Record<string, unknown>): boolean {
  const req = line.req as { method?: string; path?: string } | undefined;
  if (req) return req.method === 'POST' && /\/msg$/.test(req.path ?? '');
  return line.endpointId !== undefined || line.jobId !== undefined || line.attempt !== undefined || /deliver|attempt|fann?ed? out|publish/i.test(String(line.msg));
}

describe('delivery log lines', () => {
  it('carry the message id (and tenant, endpoint, attempt ids) on every line about a publish or delivery', async () => {
    const app = await h.http.post('/api/v1/app').set(auth).send({ name: 'logs' }).expect(201);
    const ep = await h.http
      .post(`/api/v1/app/${app.body.id}/endpoint`)
      .set(auth)
      .send({ url: `${receiver.url}/hook` })
      .expect(201);
    const published = await h.http
      .post(`/api/v1/app/${app.body.id}/msg`)
      .set(auth)
      .send({ eventType: 'order.created', payload: { id: 1 } })
      .expect(202);
    const msgId = published.body.id as string;
    const requestId = published.headers['x-request-id'] as string;

    await receiver.waitFor(2);
    const recorded = await waitForLines((l) => l.msg === 'attempt recorded' && l.msgId === msgId, 2);

    // The two attempts: a failure that is retried, then the success, each with its attempt id.
    expect(recorded.map((l) => [l.attempt, l.status, l.result])).toEqual([
      [1, 500, 'retrying'],
      [2, 200, 'succeeded'],
    ]);
    const attempts = await h.http.get(`/api/v1/app/${app.body.id}/attempt/msg/${msgId}`).set(auth).expect(200);
    const attemptIds = (attempts.body.data as Array<{ id: string }>).map((a) => a.id);
    expect(recorded.map((l) => l.attemptId).sort()).toEqual([...attemptIds].sort());
    for (const line of recorded) {
      expect(line).toMatchObject({ msgId, endpointId: ep.body.id, appId: app.body.id });
      expect(line.tenantId).toMatch(/^org_/);
    }

    // The api: the publish's own line and its request-completion line name the message and the request.
    const apiLines = lines.filter((l) => l.msgId === msgId && (l.req as { id?: string } | undefined)?.id === requestId);
    expect(apiLines.map((l) => l.msg).sort()).toEqual(['message published', 'request completed']);
    expect(lines.some((l) => l.msg === 'fanned out' && l.msgId === msgId && l.endpoints === 1)).toBe(true);

    // Every line that concerns the delivery carries the message id, and it is this message's.
    const delivery = lines.filter(concernsDelivery);
    expect(delivery.length).toBeGreaterThanOrEqual(5);
    for (const line of delivery) expect({ msg: line.msg, msgId: line.msgId }).toEqual({ msg: line.msg, msgId });
  });
});
