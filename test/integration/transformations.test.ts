import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@hookline/test-support/process';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { createTransformedEndpoint } from '@hookline/test-support/transformedEndpoint';

// Endpoint transformations end to end: the code set through the API runs in the worker before
// signing, at a real loopback receiver that verifies the signature with standardwebhooks. The
// handler may change the body, the method (PUT) and the URL (which the SSRF guard still checks),
// or cancel the delivery.

let h: TestHookline;
let auth: { authorization: string };
let rx: Receiver;
let appId: string;

const at = (path: string) => rx.requests.filter((r) => r.path === path);

const endpoint = (path: string, code?: string) => createTransformedEndpoint(h, auth, appId, `${rx.url}${path}`, code);

async function attempts(endpointId: string): Promise<Array<{ response: string; status: number; url: string; responseStatusCode: number }>> {
  return (await h.http.get(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`).set(auth).expect(200)).body.data;
}

async function publish(payload: unknown, eventType = 'invoice.paid'): Promise<string> {
  return (await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType, payload }).expect(202)).body.id as string;
}

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600' });
  const { apiKey } = await h.createTenant('transformations');
  auth = { authorization: `Bearer ${apiKey}` };
  rx = await startReceiver(() => ({ status: 200, body: 'ok' }));
  await h.http
    .post('/api/v1/event-type')
    .set(auth)
    .send({ name: 'invoice.paid', description: 'paid', schemas: { '1': { type: 'object', examples: [{ id: 'inv_example', amount: 7 }] } } })
    .expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'transformations' }).expect(201)).body.id;
});
afterAll(async () => {
  await rx?.close();
  await h?.stop();
});

describe('the transformation routes', () => {
  it('answers an endpoint without one as Svix does, then stores, returns and audits what PATCH sets', async () => {
    const { id } = await endpoint('/routes');
    const empty = (await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).expect(200)).body;
    expect(empty).toEqual({ code: null, enabled: false, variables: null, updatedAt: null });
    const code = 'function handler(webhook) { return webhook; }';
    await h.http
      .patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`)
      .set(auth)
      .send({ code, variables: { channel: '#ops' } })
      .expect(204);
    const set = (await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).expect(200)).body;
    expect(set).toMatchObject({ code, enabled: false, variables: { channel: '#ops' } });
    expect(Date.parse(set.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    // A patch naming only `enabled` keeps the code.
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ enabled: true }).expect(204);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).expect(200)).body).toMatchObject({ code, enabled: true });
    const audit = (await h.http.get('/api/v1/audit-log').set(auth).query({ action: 'endpoint.transformation.updated' }).expect(200)).body.data;
    const mine = audit.filter((r: { target: { id: string } }) => r.target.id === id);
    expect(mine).toHaveLength(2);
    // The code is recorded as changed, never its text.
    expect(JSON.stringify(mine)).not.toContain('handler(webhook)');
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ code: null }).expect(204);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).expect(200)).body.code).toBeNull();
  });

  it('refuses code over 64 KB and code that does not compile with 422, changing nothing', async () => {
    const { id } = await endpoint('/refused');
    const big = `function handler(w) { return w; }\n//${'x'.repeat(64 * 1024)}`;
    const tooBig = await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ code: big }).expect(422);
    expect(tooBig.body.detail[0].loc).toEqual(['body', 'code']);
    const broken = await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ code: 'function handler(w) {' }).expect(422);
    expect(broken.body.detail[0].msg).toMatch(/does not compile: SyntaxError/);
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ enabled: 'yes' }).expect(422);
    expect((await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).expect(200)).body).toEqual({
      code: null,
      enabled: false,
      variables: null,
      updatedAt: null,
    });
    await h.http.get(`/api/v1/app/${appId}/endpoint/ep_missing/transformation`).set(auth).expect(404);
  });

  it('simulates on a payload or the event type example, sending nothing', async () => {
    const { id } = await endpoint('/simulated');
    const code = 'function handler(w) { w.method = "PUT"; w.url = w.url + "?x=1"; w.payload = { total: w.payload.amount * 2, type: w.eventType }; return w; }';
    const out = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint/${id}/transformation/simulate`)
        .set(auth)
        .send({ code, eventType: 'invoice.paid', payload: { amount: 21 } })
        .expect(200)
    ).body;
    expect(out).toEqual({ method: 'PUT', url: `${rx.url}/simulated?x=1`, payload: '{"total":42,"type":"invoice.paid"}', canceled: false });
    const example = (await h.http.post(`/api/v1/app/${appId}/endpoint/${id}/transformation/simulate`).set(auth).send({ code, eventType: 'invoice.paid' }).expect(200))
      .body;
    expect(JSON.parse(example.payload)).toEqual({ total: 14, type: 'invoice.paid' });
    const cancel = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint/${id}/transformation/simulate`)
        .set(auth)
        .send({ code: 'function handler(w) { w.cancel = true; return w; }', eventType: 'invoice.paid', payload: { a: 1 } })
        .expect(200)
    ).body;
    expect(cancel).toMatchObject({ method: null, canceled: true, payload: '{"a":1}' });
    const failed = await h.http
      .post(`/api/v1/app/${appId}/endpoint/${id}/transformation/simulate`)
      .set(auth)
      .send({ code: 'function handler(w) { throw new Error("nope"); }', eventType: 'invoice.paid', payload: {} })
      .expect(400);
    expect(failed.body).toEqual({ code: 'transformation_failed', detail: 'transformation threw: Error: nope' });
    expect(at('/simulated')).toHaveLength(0);
  });

  it('serves templates for Slack, Discord and Microsoft Teams that produce those services’ bodies', async () => {
    const list = (await h.http.get('/api/v1/transformation-template').set(auth).expect(200)).body;
    expect(list.data.map((t: { id: string }) => t.id)).toEqual(['slack', 'discord', 'microsoft-teams']);
    const { id } = await endpoint('/templates');
    const bodies: Record<string, unknown> = {};
    for (const t of list.data as Array<{ id: string; code: string }>) {
      const out = (
        await h.http
          .post(`/api/v1/app/${appId}/endpoint/${id}/transformation/simulate`)
          .set(auth)
          .send({ code: t.code, eventType: 'invoice.paid', payload: { id: 'inv_1' } })
          .expect(200)
      ).body;
      bodies[t.id] = JSON.parse(out.payload);
    }
    expect(bodies.slack).toMatchObject({ text: '*invoice.paid*', blocks: [{ type: 'section' }, { type: 'section' }] });
    expect(JSON.stringify(bodies.slack)).toContain('inv_1');
    expect(bodies.discord).toMatchObject({ content: 'invoice.paid', embeds: [{ title: 'invoice.paid' }] });
    expect(bodies['microsoft-teams']).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
  });
});

describe('deliveries to an endpoint with a transformation', () => {
  it('sends the transformed body with PUT to the transformed URL, signed over what was sent', async () => {
    const code = `function handler(webhook) {
      webhook.method = 'PUT';
      webhook.url = webhook.url.replace('/put-original', '/put-moved');
      webhook.payload = { text: webhook.eventType + ' ' + webhook.payload.id };
      return webhook;
    }`;
    const { id, secret } = await endpoint('/put-original', code);
    const plain = await endpoint('/untransformed');
    const msgId = await publish({ id: 'inv_9' });
    await waitUntil(() => at('/put-moved').length === 1 && at('/untransformed').length === 1, 20_000, 'both deliveries');
    const req = at('/put-moved')[0]!;
    expect(req.method).toBe('PUT');
    expect(req.body).toBe('{"text":"invoice.paid inv_9"}');
    expect(new Webhook(secret).verify(req.body, req.headers as Record<string, string>)).toEqual({ text: 'invoice.paid inv_9' });
    expect(req.headers['webhook-id']).toBe(msgId);
    // The endpoint without a transformation gets the payload byte for byte, POST.
    const untouched = at('/untransformed')[0]!;
    expect(untouched.method).toBe('POST');
    expect(new Webhook(plain.secret).verify(untouched.body, untouched.headers as Record<string, string>)).toEqual({ id: 'inv_9' });
    expect(at('/put-original')).toHaveLength(0);
    await waitUntil(async () => (await attempts(id)).length === 1, 10_000, 'the attempt recorded');
    expect((await attempts(id))[0]).toMatchObject({ url: `${rx.url}/put-moved`, responseStatusCode: 200, status: 0 });
  });

  it('skips a delivery whose handler cancels it: nothing sent, no attempt, the delivery canceled', async () => {
    const { id } = await endpoint('/cancel', 'function handler(w) { if (w.payload.skip) { w.cancel = true; } return w; }');
    const skipped = await publish({ skip: true, n: 1 });
    const sent = await publish({ skip: false, n: 2 });
    await waitUntil(() => at('/cancel').length === 1, 20_000, 'the message not canceled');
    expect(JSON.parse(at('/cancel')[0]!.body)).toEqual({ skip: false, n: 2 });
    const statuses = async () =>
      (await h.hookline.db.selectFrom('messageDelivery').select(['msgId', 'status']).where('endpointId', '=', id).orderBy('msgId').execute()).map((r) => [
        r.msgId,
        r.status,
      ]);
    await waitUntil(async () => (await statuses()).every(([, s]) => s !== 1), 10_000, 'both deliveries settled');
    expect(await statuses()).toEqual([
      [skipped, 4],
      [sent, 0],
    ]);
    expect((await attempts(id)).length).toBe(1);
  });

  it('applies the SSRF guard to the transformed URL: a private target is refused and recorded as a failed attempt', async () => {
    const { id } = await endpoint('/ssrf', 'function handler(w) { w.url = "http://169.254.169.254/latest/meta-data"; return w; }');
    await publish({ ssrf: true });
    await waitUntil(async () => (await attempts(id)).length === 1, 20_000, 'the refused attempt');
    const [a] = await attempts(id);
    expect(a).toMatchObject({ responseStatusCode: 0, status: 2, url: 'http://169.254.169.254/latest/meta-data' });
    expect(a!.response).toMatch(/blocked by SSRF guard/);
  });

  it('records code that throws as a failed attempt with the reason, scheduled for retry like any failure', async () => {
    const { id } = await endpoint('/throws', 'function handler(w) { throw new TypeError("bad invoice " + w.payload.id); }');
    const msgId = await publish({ id: 'inv_bad' });
    await waitUntil(async () => (await attempts(id)).length === 1, 20_000, 'the failed attempt');
    const [a] = await attempts(id);
    expect(a).toMatchObject({ responseStatusCode: 0, status: 2, response: 'transformation threw: TypeError: bad invoice inv_bad' });
    const delivery = await h.hookline.db
      .selectFrom('messageDelivery')
      .select(['status', 'nextAttemptAt'])
      .where('msgId', '=', msgId)
      .where('endpointId', '=', id)
      .executeTakeFirstOrThrow();
    // Sending (3: a retry is scheduled, as in Svix), the next attempt about an hour away (HOOKLINE_RETRY_SCHEDULE=3600, with jitter).
    expect(delivery.status).toBe(3);
    expect(delivery.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 1800_000);
    expect(at('/throws')).toHaveLength(0);
  });

  it('sends as is once the transformation is disabled', async () => {
    const { id } = await endpoint('/toggled', 'function handler(w) { w.payload = { replaced: true }; return w; }');
    await publish({ original: 1 });
    await waitUntil(() => at('/toggled').length === 1, 20_000, 'the transformed delivery');
    expect(JSON.parse(at('/toggled')[0]!.body)).toEqual({ replaced: true });
    await h.http.patch(`/api/v1/app/${appId}/endpoint/${id}/transformation`).set(auth).send({ enabled: false }).expect(204);
    await publish({ original: 2 });
    await waitUntil(() => at('/toggled').length === 2, 20_000, 'the untransformed delivery');
    expect(JSON.parse(at('/toggled')[1]!.body)).toEqual({ original: 2 });
  });
});
