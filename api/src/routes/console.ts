import { z } from 'zod';
import {
  acceptInvite,
  acceptInviteInSchema,
  invitePreviewOutSchema,
  inviteTokenInSchema,
  previewInvite,
  authenticateSession,
  changePassword,
  changePasswordInSchema,
  getMe,
  listResponse,
  listSessions,
  meOutSchema,
  revokeSession,
  sessionOutSchema,
  sessionPolicyOf,
  signIn,
  signInInSchema,
  switchTenant,
  switchTenantInSchema,
  type NewSession,
  type SessionPerson,
  type SignInResult,
  secondFactorRequiredOutSchema,
  CHALLENGE_COOKIE,
  CHALLENGE_SECONDS,
} from '@hookline/core';
import type { Reply } from '../http/reply.ts';
import { defineRoute, type ApiDeps } from '../http/route.ts';

// The console's own API (Hookline extensions, not Svix's): sign-in, the signed-in person and their
// sessions, taking an invitation. `person` routes need a session cookie; API keys cannot call them.
const tag = 'Console';

/** The person behind a session just started, as the next request would see them. */
async function personOf(deps: ApiDeps, session: NewSession): Promise<SessionPerson> {
  return authenticateSession(deps.db, session.token, sessionPolicyOf(deps.config));
}

const cookieOf = (session: NewSession) => ({ token: session.token, expiresAt: session.session.expiresAt });

/** The pending sign-in's cookie lives on the sign-in routes only. */
export const CHALLENGE_PATH = '/console/v1/auth';

/** A session (profile + cookie), or, with a second factor on, the pending sign-in's cookie and a note to send the code. */
export async function answerSignIn(deps: ApiDeps, result: SignInResult): Promise<Reply> {
  if ('challenge' in result) {
    const { token, expiresAt } = result.challenge;
    return {
      status: 200,
      body: { secondFactorRequired: true, expiresAt },
      cookie: { name: CHALLENGE_COOKIE, value: token, path: CHALLENGE_PATH, maxAgeSeconds: CHALLENGE_SECONDS },
    };
  }
  return { status: 200, body: await getMe(deps.db, await personOf(deps, result.session)), session: cookieOf(result.session) };
}
const signInOutSchema = z.union([meOutSchema, secondFactorRequiredOutSchema]);
const sessionPath = z.object({ sessionId: z.string().min(1).max(64) });

export const consoleRoutes = [
  defineRoute({
    method: 'post',
    path: '/console/v1/auth/sign-in',
    auth: 'none',
    csrf: true,
    tag,
    operationId: 'console.auth.sign-in',
    summary:
      'Sign in with email and password: sets a new session cookie, or asks for the second factor (same message for every failure; throttled per account and address)',
    body: signInInSchema,
    response: { status: 200, schema: signInOutSchema },
    handler: async ({ deps, body, origin }) =>
      answerSignIn(deps, await signIn(deps.db, body, { throttle: deps.signInThrottle, policy: sessionPolicyOf(deps.config), origin })),
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/auth/sign-out',
    auth: 'person',
    tag,
    operationId: 'console.auth.sign-out',
    summary: 'End this session and clear its cookie',
    response: { status: 204 },
    handler: async ({ deps, person }) => {
      await revokeSession(deps.db, person!.personId, person!.sessionId, null);
      return { status: 204, session: 'end' };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/invites/preview',
    auth: 'none',
    tag,
    operationId: 'console.invite.preview',
    summary: 'What an invitation is for (tenant, role, address, whether it has an account), without taking it; the token in the body, never the URL',
    body: inviteTokenInSchema,
    response: { status: 200, schema: invitePreviewOutSchema },
    handler: async ({ deps, body }) => ({ status: 200, body: await previewInvite(deps.db, body.token) }),
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/invites/accept',
    auth: 'none',
    csrf: true,
    tag,
    operationId: 'console.invite.accept',
    summary: 'Take an invitation (single use): set a password and name, or give your current one, join its tenant and sign in',
    body: acceptInviteInSchema,
    response: { status: 200, schema: signInOutSchema },
    handler: async ({ deps, body, origin }) =>
      answerSignIn(deps, await acceptInvite(deps.db, body, { policy: sessionPolicyOf(deps.config), origin, throttle: deps.signInThrottle })),
  }),
  defineRoute({
    method: 'get',
    path: '/console/v1/me',
    auth: 'person',
    tag,
    operationId: 'console.me.get',
    summary: 'The signed-in person: profile, tenants with the role in each, the current tenant',
    response: { status: 200, schema: meOutSchema },
    handler: async ({ deps, person }) => ({ status: 200, body: await getMe(deps.db, person!) }),
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/me/tenant',
    auth: 'person',
    tag,
    operationId: 'console.me.switch-tenant',
    summary: 'Make another of your tenants the current one (the tenant API then works on it)',
    body: switchTenantInSchema,
    response: { status: 200, schema: meOutSchema },
    handler: async ({ deps, person, body }) => {
      await switchTenant(deps.db, person!, body.tenantId);
      const me = await getMe(deps.db, { ...person!, tenantId: body.tenantId });
      return { status: 200, body: { ...me, role: me.tenants.find((t) => t.id === body.tenantId)?.role ?? null } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/me/password',
    auth: 'person',
    tag,
    operationId: 'console.me.change-password',
    summary: 'Change your password: every session of yours ends, this one is replaced by a new one',
    body: changePasswordInSchema,
    response: { status: 204 },
    handler: async ({ deps, person, body, origin }) => {
      const session = await changePassword(deps.db, person!, body, { policy: sessionPolicyOf(deps.config), origin, throttle: deps.signInThrottle });
      return { status: 204, session: cookieOf(session) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/console/v1/me/sessions',
    auth: 'person',
    tag,
    operationId: 'console.me.session.list',
    summary: 'Your live sessions',
    response: { status: 200, schema: listResponse(sessionOutSchema) },
    handler: async ({ deps, person }) => ({ status: 200, body: { data: await listSessions(deps.db, person!), iterator: null, prevIterator: null, done: true } }),
  }),
  defineRoute({
    method: 'delete',
    path: '/console/v1/me/sessions/:sessionId',
    auth: 'person',
    tag,
    operationId: 'console.me.session.revoke',
    summary: 'End one of your sessions (another person’s is a 404)',
    params: sessionPath,
    response: { status: 204 },
    handler: async ({ deps, person, params, origin }) => {
      await revokeSession(deps.db, person!.personId, params.sessionId, origin);
      return { status: 204, ...(params.sessionId === person!.sessionId ? { session: 'end' as const } : {}) };
    },
  }),
];
