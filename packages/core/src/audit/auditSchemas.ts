import { z } from 'zod';
import { listQueryOf, queryDateTime } from '../schemas/common.ts';
import { AUDIT_ACTIONS } from './auditActions.ts';

const idFilter = z.string().min(1).max(256);

/** Filters of the audit log (list and export): exact actor, action, target and application ids, and a time range. */
export const auditFilterQuerySchema = z.object({
  actor: idFilter.optional().meta({ description: "The actor's id (an API key's id, `operator`, an application id for portal tokens)" }),
  action: z.enum(AUDIT_ACTIONS).optional(),
  target: idFilter.optional().meta({ description: "The target's id (an endpoint's id, an event type's name, …)" }),
  app: idFilter.optional().meta({ description: 'The application id the target belongs to' }),
  since: queryDateTime.optional().meta({ description: 'Records at or after this time' }),
  until: queryDateTime.optional().meta({ description: 'Records at or before this time' }),
});
export type AuditFilterQuery = z.output<typeof auditFilterQuerySchema>;

export const auditListQuerySchema = listQueryOf('audit').extend(auditFilterQuerySchema.shape);
export type AuditListQuery = z.output<typeof auditListQuerySchema>;

const fieldChangeSchema = z.union([z.object({ from: z.unknown().optional(), to: z.unknown().optional() }), z.object({ changed: z.literal(true) })]);

export const auditRecordOutSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    at: z.date(),
    actor: z.object({ kind: z.enum(['apiKey', 'person', 'portal', 'operator', 'maintenance', 'databaseRole']), id: z.string(), displayName: z.string() }),
    action: z.enum(AUDIT_ACTIONS),
    target: z.object({ kind: z.string(), id: z.string(), appId: z.string().nullable() }),
    origin: z.object({ clientAddress: z.string().nullable(), userAgent: z.string().nullable(), requestId: z.string().nullable() }),
    changes: z.record(z.string(), fieldChangeSchema).meta({ description: 'Field name to `{from, to}`; secret fields show only `{changed: true}`' }),
  })
  .meta({ id: 'AuditRecordOut' });
export type AuditRecordOut = z.output<typeof auditRecordOutSchema>;
