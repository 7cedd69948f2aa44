import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';

export const roleSchema = z.enum(['owner', 'admin', 'developer', 'viewer']).meta({ id: 'Role' });
const emailSchema = z.email().max(320);
// The length rule is checked in core (a 422 naming the field, and the same for every door).
export const passwordSchema = z.string().min(1).max(MAX_PASSWORD_LENGTH);

export const signInInSchema = z.object({ email: emailSchema, password: passwordSchema, tenantId: z.string().min(1).max(64).optional() }).meta({ id: 'SignInIn' });
export type SignInIn = z.output<typeof signInInSchema>;

export const tenantMembershipOutSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema }).meta({ id: 'TenantMembershipOut' });

export const meOutSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    tenants: z.array(tenantMembershipOutSchema),
    currentTenantId: z.string().nullable(),
    role: roleSchema.nullable().describe('The role in the current tenant'),
    totpEnabled: z.boolean().describe('Whether two-step sign-in (TOTP) is on: password sign-in then asks for a code'),
    hasPassword: z.boolean().describe('False for a person single sign-on provisioned: password sign-in, and turning TOTP off, are closed to them'),
  })
  .meta({ id: 'MeOut' });
export type MeOut = z.output<typeof meOutSchema>;

export const switchTenantInSchema = z.object({ tenantId: z.string().min(1).max(64) }).meta({ id: 'SwitchTenantIn' });

export const passwordResetInSchema = z.object({ email: emailSchema }).meta({ id: 'PasswordResetIn' });
export type PasswordResetIn = z.output<typeof passwordResetInSchema>;

export const passwordResetRequestedOutSchema = z
  .object({ expiresInSeconds: z.number().int().describe('How long a link sent now works (one is sent only if the address has an account)') })
  .meta({ id: 'PasswordResetRequestedOut' });

export const passwordResetCompleteInSchema = z
  .object({
    token: z.string().min(1).max(256).describe('The token of the emailed link (`hkr_…`, the fragment of `/console/reset#hkr_…`)'),
    password: passwordSchema.describe('The new password (12 characters or more)'),
  })
  .meta({ id: 'PasswordResetCompleteIn' });
export type PasswordResetCompleteIn = z.output<typeof passwordResetCompleteInSchema>;

export const changePasswordInSchema = z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }).meta({ id: 'ChangePasswordIn' });

export const sessionOutSchema = z
  .object({
    id: z.string(),
    createdAt: z.date(),
    lastSeenAt: z.date(),
    expiresAt: z.date(),
    userAgent: z.string().nullable(),
    clientAddress: z.string().nullable(),
    current: z.boolean().describe('The session this request came with'),
  })
  .meta({ id: 'SessionOut' });
export type SessionOut = z.output<typeof sessionOutSchema>;

export const memberOutSchema = z.object({ personId: z.string(), email: z.string(), name: z.string(), role: roleSchema, createdAt: z.date() }).meta({ id: 'MemberOut' });

export const memberPatchSchema = z.object({ role: roleSchema }).meta({ id: 'MemberPatch' });

export const inviteInSchema = z.object({ email: emailSchema, role: roleSchema }).meta({ id: 'InviteIn' });
export type InviteIn = z.output<typeof inviteInSchema>;

export const inviteOutSchema = z
  .object({
    url: z.string().nullable().describe('The single-use link; null when it went out by email (SMTP configured) and only the invitee may see it'),
    expiresAt: z.date(),
    emailed: z.boolean(),
  })
  .meta({ id: 'InviteOut' });
export type InviteOut = z.output<typeof inviteOutSchema>;

export const pendingInviteOutSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable().describe("The invited address; null for a link that names none (an operator's first-owner link)"),
    role: roleSchema,
    invitedBy: z
      .object({ personId: z.string(), email: z.string().nullable(), name: z.string().nullable() })
      .nullable()
      .describe('The person who sent it; null when an API key or the operator did'),
    createdAt: z.date(),
    expiresAt: z.date(),
  })
  .meta({ id: 'PendingInviteOut' });
export type PendingInviteOut = z.output<typeof pendingInviteOutSchema>;

export const operatorInviteOutSchema = z.object({ url: z.string(), expiresAt: z.date() }).meta({ id: 'OperatorInviteOut' });

export const acceptInviteInSchema = z
  .object({
    token: z.string().min(1).max(256),
    email: emailSchema.optional().describe("Only for a link that names no address (the first start's); otherwise ignored"),
    name: z.string().min(1).max(256).optional(),
    password: passwordSchema.describe('A new password, or the current one when the address has an account already'),
  })
  .meta({ id: 'AcceptInviteIn' });
export type AcceptInviteIn = z.output<typeof acceptInviteInSchema>;

export const inviteTokenInSchema = z.object({ token: z.string().min(1).max(256) }).meta({ id: 'InviteTokenIn' });

export const invitePreviewOutSchema = z
  .object({
    tenantName: z.string(),
    role: z.string(),
    email: z.string().nullable().describe('The invited address; null for a link that names none (the first start’s)'),
    hasAccount: z.boolean().describe('Whether the invited address has a password already (then the form asks for it, not a new one)'),
    expiresAt: z.date(),
  })
  .meta({ id: 'InvitePreviewOut' });
export type InvitePreviewOut = z.output<typeof invitePreviewOutSchema>;
