import { z } from 'zod';
import {
  bulkExpungeContentsInSchema,
  bulkExpungeContentsOutSchema,
  bulkExpungeMessageContents,
  expungeAllContentsOutSchema,
  expungeAttemptContent,
  startExpungeAllContents,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { appPath, messagePath } from './paths.ts';

// Deleting content beyond one message's payload (which messages.ts serves): several messages' at
// once, all of an application's (a background task), and an attempt's recorded response body.
const attemptPath = messagePath.extend({ attempt: z.string().min(1).max(64) });

export const messageExpungeRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/msg/bulk-expunge',
    auth: 'tenant',
    access: 'write',
    tag: 'Message',
    operationId: 'v1.message.expunge-bulk',
    summary: "Delete the payloads of several messages (ids or eventIds, up to 100) for good; each id answers 'expunged' or 'not-found'",
    params: appPath,
    body: bulkExpungeContentsInSchema,
    bodyOptional: true,
    response: { status: 200, schema: bulkExpungeContentsOutSchema },
    handler: async (ctx) => ({ status: 200, body: await bulkExpungeMessageContents(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.body, auditOf(ctx)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/msg/expunge-all-contents',
    auth: 'tenant',
    access: 'write',
    tag: 'Message',
    operationId: 'v1.message.expunge-all-contents',
    summary: "Delete the payloads of all the application's messages sent until now, for good: an `application.purge_content` task, `data.messagesPurged` counting them",
    params: appPath,
    response: { status: 202, schema: expungeAllContentsOutSchema },
    handler: async (ctx) => ({ status: 202, body: await startExpungeAllContents(ctx.deps.db, ctx.deps.boss, ctx.tenantId, ctx.params.app, auditOf(ctx)) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/app/:app/msg/:msg/attempt/:attempt/content',
    auth: 'tenant',
    access: 'write',
    tag: 'Message Attempt',
    operationId: 'v1.message-attempt.expunge-content',
    summary: 'Delete the response body an attempt recorded, for good (the attempt stays)',
    params: attemptPath,
    response: { status: 204 },
    handler: async (ctx) => {
      await expungeAttemptContent(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.params.msg, ctx.params.attempt, auditOf(ctx));
      return { status: 204 };
    },
  }),
];
