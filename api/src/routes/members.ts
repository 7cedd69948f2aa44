import { z } from 'zod';
import {
  changeMemberRole,
  inviteInSchema,
  inviteMember,
  inviteOutSchema,
  listMembers,
  listPendingInvites,
  listResponse,
  pendingInviteOutSchema,
  memberOutSchema,
  memberPatchSchema,
  removeMember,
  resendInvite,
  revokeInvite,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { publicBaseUrl } from '../http/publicBaseUrl.ts';
import { defineRoute } from '../http/route.ts';

// The tenant's team (Hookline extension): owners and admins manage it; an API key holds the
// tenant's full power here too. Only an owner manages owners; the last owner stays.
const common = { auth: 'tenant', access: 'manage', portal: null, tag: 'Members' } as const;
const memberPath = z.object({ personId: z.string().min(1).max(64) });
const invitePath = z.object({ inviteId: z.string().min(1).max(64) });

export const memberRoutes = [
  defineRoute({
    ...common,
    method: 'get',
    path: '/console/v1/members',
    operationId: 'console.member.list',
    summary: "The current tenant's members and their roles",
    response: { status: 200, schema: listResponse(memberOutSchema) },
    handler: async ({ deps, tenantId }) => ({ status: 200, body: { data: await listMembers(deps.db, tenantId), iterator: null, prevIterator: null, done: true } }),
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/console/v1/members/invites',
    operationId: 'console.member.invite',
    summary: 'Invite an email address with a role: a single-use link valid 7 days, emailed when SMTP is configured, else returned here',
    body: inviteInSchema,
    response: { status: 201, schema: inviteOutSchema },
    // A repeat sends a new link rather than replaying one (the link is a credential).
    replay: { kind: 'reissue' },
    handler: async (ctx) => {
      const { req, deps, tenantId, person, body } = ctx;
      const baseUrl = publicBaseUrl(req, deps.config);
      const by = { personId: person?.personId ?? null, role: person?.role ?? null };
      return { status: 201, body: await inviteMember(deps.db, tenantId, body, by, { baseUrl, mailer: deps.inviteMailer, audit: auditOf(ctx) }) };
    },
  }),
  defineRoute({
    ...common,
    method: 'get',
    path: '/console/v1/members/invites',
    operationId: 'console.member.invite.list',
    summary: 'The pending invitations (not taken, not expired), newest first: address, role, who sent it, when it expires',
    response: { status: 200, schema: listResponse(pendingInviteOutSchema) },
    handler: async ({ deps, tenantId }) => ({
      status: 200,
      body: { data: await listPendingInvites(deps.db, tenantId), iterator: null, prevIterator: null, done: true },
    }),
  }),
  defineRoute({
    ...common,
    method: 'post',
    path: '/console/v1/members/invites/:inviteId/resend',
    operationId: 'console.member.invite.resend',
    summary: 'Send a pending invitation again: a new link valid 7 days (emailed, or returned without SMTP); the previous link stops working',
    params: invitePath,
    response: { status: 200, schema: inviteOutSchema },
    replay: { kind: 'reissue' },
    handler: async (ctx) => {
      const { req, deps, tenantId, person, params } = ctx;
      const body = await resendInvite(deps.db, tenantId, params.inviteId, person?.role ?? null, {
        baseUrl: publicBaseUrl(req, deps.config),
        mailer: deps.inviteMailer,
        audit: auditOf(ctx),
      });
      return { status: 200, body };
    },
  }),
  defineRoute({
    ...common,
    method: 'delete',
    path: '/console/v1/members/invites/:inviteId',
    operationId: 'console.member.invite.revoke',
    summary: 'Revoke a pending invitation: it is deleted and its link answers 404 (only owners revoke an owner invitation)',
    params: invitePath,
    response: { status: 204 },
    handler: async (ctx) => {
      await revokeInvite(ctx.deps.db, ctx.tenantId, ctx.params.inviteId, ctx.person?.role ?? null, auditOf(ctx));
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'patch',
    path: '/console/v1/members/:personId',
    operationId: 'console.member.change-role',
    summary: "Change a member's role (the last owner cannot be demoted; only owners manage owners)",
    params: memberPath,
    body: memberPatchSchema,
    response: { status: 200, schema: memberOutSchema },
    handler: async (ctx) => ({
      status: 200,
      body: await changeMemberRole(ctx.deps.db, ctx.tenantId, ctx.params.personId, ctx.body.role, ctx.person?.role ?? null, auditOf(ctx)),
    }),
  }),
  defineRoute({
    ...common,
    method: 'delete',
    path: '/console/v1/members/:personId',
    operationId: 'console.member.remove',
    summary: 'Remove a member from the tenant (never the last owner; only owners remove owners)',
    params: memberPath,
    response: { status: 204 },
    handler: async (ctx) => {
      await removeMember(ctx.deps.db, ctx.tenantId, ctx.params.personId, ctx.person?.role ?? null, auditOf(ctx));
      return { status: 204 };
    },
  }),
];
