import {
  completeSecondFactor,
  confirmTotpEnrolment,
  disableTotp,
  getMe,
  meOutSchema,
  recoveryCodesOutSchema,
  sessionPolicyOf,
  startTotpEnrolment,
  totpCodeInSchema,
  totpDisableInSchema,
  totpEnrolmentOutSchema,
  CHALLENGE_COOKIE,
  authenticateSession,
} from '@hookline/core';
import { defineRoute } from '../http/route.ts';
import { cookieOf } from '../http/sessionCookie.ts';
import { CHALLENGE_PATH } from './console.ts';

// The optional TOTP second factor (Hookline extension): a person turns it on for themselves;
// password sign-in then stops half way until the code comes.
const tag = 'Console';

export const totpRoutes = [
  defineRoute({
    method: 'post',
    path: '/console/v1/auth/totp',
    auth: 'none',
    csrf: true,
    tag,
    operationId: 'console.auth.totp',
    summary: 'Complete a sign-in that asked for the second factor: a code from the app or a recovery code (throttled like passwords); sets a new session cookie',
    body: totpCodeInSchema,
    response: { status: 200, schema: meOutSchema },
    handler: async ({ req, deps, body, origin }) => {
      const policy = sessionPolicyOf(deps.config);
      const session = await completeSecondFactor(deps.db, cookieOf(req, CHALLENGE_COOKIE), body.code, {
        box: deps.secretBox,
        throttle: deps.signInThrottle,
        origin,
        policy,
      });
      return {
        status: 200,
        body: await getMe(deps.db, await authenticateSession(deps.db, session.token, policy)),
        session: { token: session.token, expiresAt: session.session.expiresAt },
        cookie: { name: CHALLENGE_COOKIE, value: null, path: CHALLENGE_PATH },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/me/totp',
    auth: 'person',
    tag,
    operationId: 'console.me.totp.enrol',
    summary: 'Start turning on the second factor: a new TOTP secret and its otpauth:// URI, shown once (confirm with a code)',
    response: { status: 201, schema: totpEnrolmentOutSchema },
    handler: async ({ deps, person, origin }) => ({ status: 201, body: await startTotpEnrolment(deps.db, person!, { box: deps.secretBox, origin }) }),
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/me/totp/confirm',
    auth: 'person',
    tag,
    operationId: 'console.me.totp.confirm',
    summary: 'Turn the second factor on with a first code: returns 10 single-use recovery codes, shown once',
    body: totpCodeInSchema,
    response: { status: 200, schema: recoveryCodesOutSchema },
    handler: async ({ deps, person, body, origin }) => ({
      status: 200,
      body: await confirmTotpEnrolment(deps.db, person!, body.code, { box: deps.secretBox, throttle: deps.signInThrottle, origin }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/me/totp/disable',
    auth: 'person',
    tag,
    operationId: 'console.me.totp.disable',
    summary: 'Turn the second factor off: needs your password and a code (or a recovery code)',
    body: totpDisableInSchema,
    response: { status: 204 },
    handler: async ({ deps, person, body, origin }) => {
      await disableTotp(deps.db, person!, body, { box: deps.secretBox, throttle: deps.signInThrottle, origin });
      return { status: 204 };
    },
  }),
];
