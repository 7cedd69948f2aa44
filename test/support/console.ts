import type { Role } from '@hookline/core';
import { ADMIN_TOKEN, type TestHookline } from './hookline.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

/** What a browser sends with a console session: the cookie, its own Origin and the CSRF header. */
export interface ConsoleSession {
  personId: string;
  email: string;
  headers: { cookie: string; origin: string; 'x-hookline-csrf': string };
}

/** The session token of a response's Set-Cookie, as a Cookie header. */
export function sessionCookieOf(setCookie: string[] | string | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = cookies.find((c) => c.startsWith('hookline_session='));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return found.split(';')[0]!;
}

export const browserHeaders = (h: TestHookline, cookie: string) => ({ cookie, origin: h.url, 'x-hookline-csrf': '1' });

/** Invites `email` into the tenant with `role` through the operator API and returns the invite token (from the link's fragment). */
export async function operatorInvite(h: TestHookline, tenantId: string, email: string, role: Role): Promise<string> {
  const res = await h.http.post(`/admin/v1/tenants/${tenantId}/invites`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ email, role }).expect(201);
  return new URL(res.body.url as string).hash.slice(1);
}

/** A person with `role` in the tenant, signed in (through an operator invite, taken in the browser's way). */
export async function sessionAs(
  h: TestHookline,
  tenantId: string,
  role: Role,
  email = `${role}-${Math.random().toString(36).slice(2)}@example.com`,
): Promise<ConsoleSession> {
  const token = await operatorInvite(h, tenantId, email, role);
  const res = await h.http
    .post('/console/v1/invites/accept')
    .set({ origin: h.url, 'x-hookline-csrf': '1' })
    .send({ token, name: `${role} person`, password: TEST_PASSWORD })
    .expect(200);
  return { personId: res.body.id as string, email, headers: browserHeaders(h, sessionCookieOf(res.headers['set-cookie'])) };
}
