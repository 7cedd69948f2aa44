import { z } from 'zod';
import {
  attemptedDestinationsQuerySchema,
  attemptedMessagesQuerySchema,
  attemptListByEndpointQuerySchema,
  attemptListByMsgQuerySchema,
  emptyResponseSchema,
  endpointMessageOutSchema,
  expandedStatusesQuerySchema,
  getAttempt,
  hasCapability,
  idOrUidSchema,
  listAttemptedDestinations,
  listAttemptedMessages,
  listAttemptsByEndpoint,
  listAttemptsByMessage,
  listResponse,
  messageAttemptDetailOutSchema,
  messageAttemptOutSchema,
  messageEndpointOutSchema,
  resendMessage,
  roleAllows,
  type PortalClaims,
  type SessionPerson,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { defineRoute } from '../http/route.ts';
import { endpointPath, messagePath } from './paths.ts';

const tag = 'Message Attempt';
const attemptPath = messagePath.extend({ attempt: z.string().min(1).max(64) });
const messageEndpointPath = messagePath.extend({ endpoint: idOrUidSchema });

/** Whether the caller may read endpoint header values, as GET …/headers decides: an API key, a role with `secret` access, a portal session that manages endpoints. */
const mayReadHeaderValues = ({ portal, person }: { portal?: PortalClaims | undefined; person?: SessionPerson | undefined }): boolean =>
  portal ? hasCapability(portal.capabilities, 'ManageEndpoint') : person ? person.role !== null && roleAllows(person.role, 'secret') : true;

// Svix's message-attempt API. The query schemas turn Svix's snake_case parameters into core's
// { page, filter } (see attemptSchemas.ts), so each handler is one call.
export const attemptRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/attempt/endpoint/:endpoint',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message-attempt.list-by-endpoint',
    summary: 'List the attempts made to an endpoint, newest first',
    params: endpointPath,
    query: attemptListByEndpointQuerySchema,
    response: { status: 200, schema: listResponse(messageAttemptOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => ({
      status: 200,
      body: await listAttemptsByEndpoint(deps.db, tenantId, params.app, params.endpoint, { ...query.page, maxBytes: deps.config.maxPageBytes }, query.filter),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/attempt/msg/:msg',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message-attempt.list-by-msg',
    summary: 'List the attempts of a message, newest first',
    params: messagePath,
    query: attemptListByMsgQuerySchema,
    response: { status: 200, schema: listResponse(messageAttemptOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => ({
      status: 200,
      body: await listAttemptsByMessage(deps.db, tenantId, params.app, params.msg, { ...query.page, maxBytes: deps.config.maxPageBytes }, query.filter),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/endpoint/:endpoint/msg',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message-attempt.list-attempted-messages',
    summary: 'List the messages sent to an endpoint, with the state of each delivery',
    params: endpointPath,
    query: attemptedMessagesQuerySchema,
    response: { status: 200, schema: listResponse(endpointMessageOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => ({
      status: 200,
      body: await listAttemptedMessages(deps.db, tenantId, params.app, params.endpoint, { ...query.page, maxBytes: deps.config.maxPageBytes }, query.filter),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/msg/:msg/endpoint',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message-attempt.list-attempted-destinations',
    summary: 'List the endpoints a message was sent to, with the state of each delivery',
    params: messagePath,
    query: attemptedDestinationsQuerySchema,
    response: { status: 200, schema: listResponse(messageEndpointOutSchema) },
    handler: async ({ deps, tenantId, params, query }) => ({
      status: 200,
      body: await listAttemptedDestinations(deps.db, tenantId, params.app, params.msg, query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/app/:app/msg/:msg/attempt/:attempt',
    auth: 'tenant',
    access: 'read',
    tag,
    operationId: 'v1.message-attempt.get',
    summary: 'Get one attempt of a message, with the headers it was sent with and the response headers',
    params: attemptPath,
    query: expandedStatusesQuerySchema,
    response: { status: 200, schema: messageAttemptDetailOutSchema },
    handler: async ({ deps, tenantId, actor, origin, params, query, portal, person }) => ({
      status: 200,
      body: await getAttempt(deps.db, tenantId, params.app, params.msg, params.attempt, {
        ...query,
        showCustomHeaderValues: mayReadHeaderValues({ portal, person }),
        audit: auditOf({ tenantId, actor, origin }),
      }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/app/:app/msg/:msg/endpoint/:endpoint/resend',
    auth: 'tenant',
    access: 'write',
    tag,
    operationId: 'v1.message-attempt.resend',
    summary: 'Send a message to an endpoint once more (a manual attempt)',
    params: messageEndpointPath,
    response: { status: 202, schema: emptyResponseSchema },
    handler: async ({ deps, tenantId, actor, origin, params }) => {
      await resendMessage(deps.db, deps.boss, tenantId, params.app, params.msg, params.endpoint, auditOf({ tenantId, actor, origin }));
      return { status: 202, body: {} };
    },
  }),
];
