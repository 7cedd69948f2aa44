import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// A portal session follows the replays it starts (issue 25, item 5): it may read a background task
// that works on one of its own application's endpoints, and nothing else of the tenant's tasks.

let h: TestHookline;
let auth: { authorization: string };
let ownTask: string;
let otherAppTask: string;
let tenantTask: string;

async function app(uid: string): Promise<{ appId: string; epId: string }> {
  const appId = (await h.http.post('/api/v1/app').set(auth).send({ name: uid, uid }).expect(201)).body.id as string;
  const epId = (await h.http.post(`/api/v1/app/${appId}/endpoint`).set(auth).send({ url: 'https://example.com/hook' }).expect(201)).body.id as string;
  return { appId, epId };
}

const since = new Date(Date.now() - 3_600_000).toISOString();

beforeAll(async () => {
  h = await startTestHookline();
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  const own = await app('own');
  const other = await app('other');
  ownTask = (await h.http.post(`/api/v1/app/${own.appId}/endpoint/${own.epId}/replay-missing`).set(auth).send({ since }).expect(202)).body.id;
  otherAppTask = (await h.http.post(`/api/v1/app/${other.appId}/endpoint/${other.epId}/replay-missing`).set(auth).send({ since }).expect(202)).body.id;
  // A task of no endpoint (the tenant's usage statistics): never a portal's.
  tenantTask = (await h.http.put('/api/v1/stats/usage/event-types').set(auth).expect(202)).body.id;
});
afterAll(async () => h?.stop());

async function portalToken(capabilities?: string[]): Promise<{ authorization: string }> {
  const res = await h.http
    .post('/api/v1/auth/app-portal-access/own')
    .set(auth)
    .send(capabilities ? { capabilities } : {})
    .expect(200);
  return { authorization: `Bearer ${res.body.token}` };
}

describe('background tasks for a portal session', () => {
  it("reads a task on its own application's endpoint, with a view-only token too", async () => {
    for (const token of [await portalToken(), await portalToken(['ViewBase'])]) {
      const res = await h.http.get(`/api/v1/background-task/${ownTask}`).set(token).expect(200);
      expect(res.body).toMatchObject({ id: ownTask, task: 'endpoint.replay' });
    }
  });

  it("answers 404 for another application's task and for a tenant-wide one", async () => {
    const token = await portalToken();
    for (const id of [otherAppTask, tenantTask]) {
      const res = await h.http.get(`/api/v1/background-task/${id}`).set(token).expect(404);
      expect(res.text).not.toContain(id === otherAppTask ? 'other' : 'event_types');
    }
    // The API key still reads every task of the tenant.
    for (const id of [ownTask, otherAppTask, tenantTask]) await h.http.get(`/api/v1/background-task/${id}`).set(auth).expect(200);
  });

  it('does not list the tenant tasks to a portal session', async () => {
    await h.http
      .get('/api/v1/background-task')
      .set(await portalToken())
      .expect(403);
  });
});
