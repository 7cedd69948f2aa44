import { z } from 'zod';
import { passwordSchema } from '../accountSchemas.ts';

const codeSchema = z.string().min(6).max(32).describe('A 6-digit code from the authenticator app, or one of the recovery codes');

export const totpEnrolmentOutSchema = z
  .object({
    secret: z.string().describe('Base32; shown this once'),
    uri: z.string().describe('otpauth:// URI for a QR code; shown this once'),
  })
  .meta({ id: 'TotpEnrolmentOut' });

export const totpCodeInSchema = z.object({ code: codeSchema }).meta({ id: 'TotpCodeIn' });

export const recoveryCodesOutSchema = z.object({ recoveryCodes: z.array(z.string()).describe('10 single-use codes, shown this once') }).meta({ id: 'RecoveryCodesOut' });

export const totpDisableInSchema = z.object({ password: passwordSchema, code: codeSchema }).meta({ id: 'TotpDisableIn' });

export const secondFactorRequiredOutSchema = z
  .object({
    secondFactorRequired: z.literal(true),
    expiresAt: z.date().describe('Send the code to /console/v1/auth/totp before this (the pending sign-in rides in an HttpOnly cookie)'),
  })
  .meta({ id: 'SecondFactorRequiredOut' });
