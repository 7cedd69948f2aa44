import {
  completePasswordReset,
  passwordResetCompleteInSchema,
  passwordResetInSchema,
  passwordResetRequestedOutSchema,
  requestPasswordReset,
  PASSWORD_RESET_VALID_SECONDS,
} from '@hookline/core';
import { defineRoute } from '../http/route.ts';

// Password reset by email (Hookline extension): two browser forms without a session, CSRF-checked
// like sign-in. The link's token travels only in the email and in the fragment of the page it opens.
const tag = 'Console';

export const passwordResetRoutes = [
  defineRoute({
    method: 'post',
    path: '/console/v1/auth/password-reset',
    auth: 'none',
    csrf: true,
    tag,
    operationId: 'console.auth.password-reset',
    summary:
      'Email a single-use link (valid 30 minutes) to reset the password of the account with this address: always 202, whether the address has an account or not; 400 `password_reset_unavailable` where SMTP or the public URL is not configured',
    body: passwordResetInSchema,
    response: { status: 202, schema: passwordResetRequestedOutSchema },
    handler: async ({ req, deps, body, origin }) => {
      const send = await requestPasswordReset(deps.db, body, {
        mailer: deps.passwordResetMailer,
        publicUrl: deps.config.publicUrl,
        emailLimit: deps.config.passwordResetEmailLimit,
        throttle: deps.passwordResetThrottle,
        origin,
      });
      // Sent after the answer, so its time does not tell whether the address has an account.
      if (send) setImmediate(() => void send().catch((err: unknown) => req.log.warn({ err }, 'password reset email not sent')));
      return { status: 202, body: { expiresInSeconds: PASSWORD_RESET_VALID_SECONDS } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/console/v1/auth/password-reset/complete',
    auth: 'none',
    csrf: true,
    tag,
    operationId: 'console.auth.password-reset.complete',
    summary:
      "Set a new password with an emailed link's token (once): ends every session of the person; 404 when the link is unknown, used or expired; 422 for a password under 12 characters",
    body: passwordResetCompleteInSchema,
    response: { status: 204 },
    handler: async ({ deps, body, origin }) => {
      await completePasswordReset(deps.db, body, { throttle: deps.passwordResetThrottle, origin });
      return { status: 204 };
    },
  }),
];
