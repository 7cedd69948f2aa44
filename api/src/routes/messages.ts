import {
  expungeMessageContent,
  getMessage,
  listMessages,
  listResponse,
  messageContentQuerySchema,
  messageInSchema,
  messageListQuerySchema,
  messageOutForReplay,
  messageOutSchema,
  publishMessage,
  replayMessageOut,
  toMessageOut,
  type MessageOut,
  type StoredMessageOut,
} from '@hookline/core';
import { requestLogs } from '../http/requestLog.ts';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { appPath, messagePath } from './paths.ts';

const tag = 'Message';

export const messageRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/msg',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.message.create',
    summary: 'Publish a message',
    // The payload is stored as JSON text, so (unlike other fields) it may carry U+0000.
    params: appPath,
    query: messageContentQuerySchema,
    body: messageInSchema,
    opaqueBodyFields: ['payload'],
    response: { status: 202, schema: messageOutSchema },
    // A 202 lost to a crash is replayed to the retry, never turned into a 409 for the eventId.
    idempotentInTransaction: true,
    // The payload is not kept in the replay record: a replay reads it from the message row, so deleted or expired content stays gone.
    replay: {
      kind: 'rebuild',
      store: (out) => messageOutForReplay(out as MessageOut),
      rebuild: ({ db, tenantId, req }, stored) =>
        replayMessageOut(db, tenantId, String(req.params.app), stored as StoredMessageOut, messageContentQuerySchema.parse(req.query).with_content ?? true),
    },
    handler: async ({ req, deps, tenantId, actor, origin, params, query, body, idempotency }) => {
      const timer = deps.metrics.publishDuration.startTimer();
      const msg = await publishMessage(
        { db: deps.db, wakeup: deps.fanOutWakeup },
        tenantId,
        params.app,
        body,
        { payloadRetentionDays: deps.config.payloadRetentionDays },
        {
          withContent: query.with_content,
          traceParent: req.headers,
          idempotency: idempotency && { claim: (trx) => idempotency.claim(trx), complete: (trx, out) => idempotency.complete(trx, 202, out) },
          audit: auditOf({ tenantId, actor, origin }),
        },
      );
      timer();
      deps.metrics.messagesPublished.inc();
      // The request's completion line carries it too (see requestLogging).
      if (req.res) req.res.locals.msgId = msg.id;
      if (requestLogs(req, 'info')) req.log.info({ tenantId, msgId: msg.id, eventType: msg.eventType }, 'message published');
      return { status: 202, body: msg };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/msg',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message.list',
    summary: 'List messages, newest first',
    params: appPath,
    query: messageListQuerySchema,
    response: { status: 200, schema: listResponse(messageOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => {
      const { event_types, channel, tag: msgTag, before, after, with_content, ...page } = query;
      return {
        status: 200,
        body: await listMessages(
          deps.db,
          tenantId,
          params.app,
          { ...page, maxBytes: deps.config.maxPageBytes },
          { eventTypes: event_types, channel, tag: msgTag, before, after, withContent: with_content },
        ),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/msg/:msg',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message.get',
    summary: 'Get a message by id or eventId',
    params: messagePath,
    query: messageContentQuerySchema,
    response: { status: 200, schema: messageOutSchema },
    handler: async ({ deps, tenantId, params, query }) => ({
      status: 200,
      body: toMessageOut(await getMessage(deps.db, tenantId, params.app, params.msg), query.with_content ?? true),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/app/:app/msg/:msg/content',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.message.expunge-content',
    summary: "Delete a message's payload for good",
    params: messagePath,
    response: { status: 204 },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      await expungeMessageContent(deps.db, tenantId, params.app, params.msg, auditOf({ tenantId, actor, origin }));
      return { status: 204 };
    },
  }),
];
