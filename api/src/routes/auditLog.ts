import { z } from 'zod';
import { auditFilterQuerySchema, auditListQuerySchema, auditRecordOutSchema, exportAuditLog, listAuditLog, listResponse } from '@hookline/core';
import { defineRoute } from '../http/route.ts';

const tag = 'Audit log';
const NDJSON = 'application/x-ndjson';

/** One JSON line per record, as the list shows it. */
async function* ndjson(records: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}

const operatorQuery = z.object({ tenant: z.string().min(1).max(64).optional().meta({ description: 'Only the records of this tenant' }) });

/**
 * The audit log: who changed what, and who read a secret (docs/api.md lists the actions). Read-only:
 * no route edits or deletes a record. A tenant reads its own (API keys only, not portal tokens);
 * the operator reads every tenant's.
 */
export const auditLogRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/audit-log',
    auth: 'tenant',
    // Who did what to the team and its keys: for those who manage them.
    access: 'manage',
    portal: null,
    tag,
    operationId: 'v1.audit-log.list',
    summary: 'List audit records, newest first (filters: actor, action, target, app, since, until)',
    query: auditListQuerySchema,
    response: { status: 200, schema: listResponse(auditRecordOutSchema) },
    handler: async ({ deps, tenantId, query }) => {
      const { limit, iterator, order, ...filter } = query;
      return { status: 200, body: await listAuditLog(deps.db, tenantId, { limit, iterator, order }, filter) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/audit-log/export',
    auth: 'tenant',
    // Who did what to the team and its keys: for those who manage them.
    access: 'manage',
    portal: null,
    tag,
    operationId: 'v1.audit-log.export',
    summary: 'Export the audit records that match the filters as NDJSON, oldest first (streamed)',
    query: auditFilterQuerySchema,
    response: { status: 200, schema: auditRecordOutSchema, contentType: NDJSON, description: 'One AuditRecordOut per line' },
    handler: async ({ deps, tenantId, query }) => ({ status: 200, stream: { contentType: NDJSON, chunks: ndjson(exportAuditLog(deps.db, tenantId, query)) } }),
  }),
  defineRoute({
    method: 'get',
    path: '/admin/v1/audit-log',
    auth: 'admin',
    tag: 'Operator',
    operationId: 'admin.audit-log.list',
    summary: "List every tenant's audit records (or one tenant's), newest first",
    query: auditListQuerySchema.extend(operatorQuery.shape),
    response: { status: 200, schema: listResponse(auditRecordOutSchema) },
    handler: async ({ deps, query }) => {
      const { limit, iterator, order, tenant, ...filter } = query;
      return { status: 200, body: await listAuditLog(deps.db, tenant, { limit, iterator, order }, filter) };
    },
  }),
];
