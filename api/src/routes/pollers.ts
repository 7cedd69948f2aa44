import {
  consumerIdSchema,
  consumerPollQuerySchema,
  createPoller,
  deletePoller,
  listPollers,
  listQuerySchema,
  listResponse,
  pollAsConsumer,
  pollerInSchema,
  pollerOutSchema,
  pollingEndpointConsumerSeekInSchema,
  pollingEndpointConsumerSeekOutSchema,
  pollingEndpointOutSchema,
  pollMessages,
  pollQuerySchema,
  seekConsumer,
  idOrUidSchema,
  type Config,
  type PollSettings,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { appPath } from './paths.ts';

// Polling endpoints. Reading (poll, consumer poll, seek) is Svix's; managing pollers (create, list,
// delete) is Hookline's own, as Svix does it only in its portal. A portal token may do all of it
// for its own application: Svix's portal is where a customer makes a poller and gets its URL.
const tag = 'Message Poller';
const sinkPath = appPath.extend({ sink: idOrUidSchema });
const consumerPath = sinkPath.extend({ consumer: consumerIdSchema });
const settingsOf = (config: Readonly<Config>): PollSettings => ({ settleMs: config.pollerSettleMs, maxPageBytes: config.maxPageBytes });

export const pollerRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/poller',
    auth: 'tenant',
    access: 'write',
    portal: 'ManageEndpoint',
    tag,
    operationId: 'v1.poller.create',
    summary: 'Create a poller (polling endpoint) of the application, with an optional event type and channel filter (Hookline only)',
    params: appPath,
    body: pollerInSchema,
    bodyOptional: true,
    response: { status: 201, schema: pollerOutSchema },
    handler: async (ctx) => ({ status: 201, body: await createPoller(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.body, auditOf(ctx)) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/poller',
    auth: 'tenant',
    access: 'read',
    portal: 'ViewBase',
    tag,
    operationId: 'v1.poller.list',
    summary: "List the application's pollers, oldest first (Hookline only)",
    params: appPath,
    query: listQuerySchema,
    response: { status: 200, schema: listResponse(pollerOutSchema) },
    handler: async (ctx) => ({ status: 200, body: await listPollers(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.query) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/app/:app/poller/:sink',
    auth: 'tenant',
    access: 'write',
    portal: 'ManageEndpoint',
    tag,
    operationId: 'v1.poller.delete',
    summary: "Delete a poller and its consumers' positions (Hookline only)",
    params: sinkPath,
    response: { status: 204 },
    handler: async (ctx) => {
      await deletePoller(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.params.sink, auditOf(ctx));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/poller/:sink',
    auth: 'tenant',
    access: 'read',
    portal: 'ViewBase',
    tag,
    operationId: 'v1.message.poller.poll',
    summary: "Read the application's messages after an iterator, in publish order, filtered by the poller's event types and channels",
    params: sinkPath,
    query: pollQuerySchema,
    response: { status: 200, schema: pollingEndpointOutSchema },
    handler: async (ctx) => ({
      status: 200,
      body: await pollMessages(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.params.sink, ctx.query, settingsOf(ctx.deps.config)),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/poller/:sink/consumer/:consumer',
    auth: 'tenant',
    access: 'read',
    portal: 'ViewBase',
    tag,
    operationId: 'v1.message.poller.consumer-poll',
    summary: 'Read the next messages of a consumer, whose position the server keeps and moves with each poll',
    params: consumerPath,
    query: consumerPollQuerySchema,
    response: { status: 200, schema: pollingEndpointOutSchema },
    handler: async (ctx) => ({
      status: 200,
      body: await pollAsConsumer(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.params.sink, ctx.params.consumer, ctx.query, settingsOf(ctx.deps.config)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/poller/:sink/consumer/:consumer/seek',
    auth: 'tenant',
    access: 'write',
    portal: 'ViewBase',
    tag,
    operationId: 'v1.message.poller.consumer-seek',
    summary: "Set a consumer's position: it goes on with the messages published after `after`",
    params: consumerPath,
    body: pollingEndpointConsumerSeekInSchema,
    response: { status: 200, schema: pollingEndpointConsumerSeekOutSchema },
    handler: async (ctx) => ({
      status: 200,
      body: await seekConsumer(ctx.deps.db, ctx.tenantId, ctx.params.app, ctx.params.sink, ctx.params.consumer, ctx.body, auditOf(ctx)),
    }),
  }),
];
