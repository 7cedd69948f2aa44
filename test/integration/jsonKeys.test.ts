import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// Column names are snake_case in SQL and camelCase in TypeScript, but the keys inside JSON columns
// are the user's: metadata and custom headers must come back exactly as sent. (Kysely's camel-case
// plugin rewrote them too, so `team_name` came back as `teamName` and a header `X-My_Header`
// was sent as `X-MyHeader`.)

let h: TestHookline;
beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
});
afterAll(async () => {
  await h?.stop();
});

it('returns the keys of metadata and headers exactly as they were sent', async () => {
  const auth = { authorization: `Bearer ${(await h.createTenant()).apiKey}` };
  const metadata = { team_name: 'x', 'a-b_c': 'y', camelCase: 'z' };
  const app = (await h.http.post('/api/v1/app').set(auth).send({ name: 'keys', metadata }).expect(201)).body;
  expect(app.metadata).toEqual(metadata);
  expect((await h.http.get(`/api/v1/app/${app.id}`).set(auth).expect(200)).body.metadata).toEqual(metadata);

  const headers = { 'X-My_Header': 'v', 'x-snake_case': 'w' };
  const ep = (
    await h.http
      .post(`/api/v1/app/${app.id}/endpoint`)
      .set(auth)
      .send({ url: 'https://example.com/hook', metadata: { snake_key: '1' }, headers })
      .expect(201)
  ).body;
  expect((await h.http.get(`/api/v1/app/${app.id}/endpoint/${ep.id}`).set(auth).expect(200)).body.metadata).toEqual({ snake_key: '1' });
  expect((await h.http.get(`/api/v1/app/${app.id}/endpoint/${ep.id}/headers`).set(auth).expect(200)).body.headers).toEqual(headers);
});
