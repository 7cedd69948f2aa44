import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_LANGUAGES } from '@hookline/core';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { LANGUAGES } from '../../portal/src/i18n/catalog.ts';
import { pickLanguage } from '../../portal/src/i18n/language.ts';

let h: TestHookline;
let auth: { authorization: string };

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme', uid: 'acme' }).expect(201);
});
afterAll(async () => h?.stop());

describe("app portal access's lang", () => {
  it('names exactly the languages the portal speaks', () => {
    expect([...PORTAL_LANGUAGES]).toEqual([...LANGUAGES]);
  });

  it('puts the language in the link, before the token fragment, where the portal reads it', async () => {
    const { body } = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({ lang: 'ja' }).expect(200);
    const url = new URL(body.url);
    expect(url.searchParams.get('lang')).toBe('ja');
    expect(url.hash).toBe(`#token=${encodeURIComponent(body.token)}`);
    expect(pickLanguage(url.searchParams.get('lang'), ['en-US'])).toBe('ja');
  });

  it('leaves lang out of the link when not given (the browser decides)', async () => {
    for (const body of [{}, { lang: null }]) {
      const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send(body).expect(200);
      expect(new URL(res.body.url).searchParams.has('lang')).toBe(false);
    }
  });

  it('refuses a language the portal does not speak with a 422 on lang', async () => {
    for (const lang of ['xx', 'de-AT', 'DE', '', 7]) {
      const res = await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({ lang }).expect(422);
      expect(res.body.detail.map((d: { loc: string[] }) => d.loc)).toEqual([['body', 'lang']]);
    }
  });
});
