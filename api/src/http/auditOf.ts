import type { Actor, AuditContext, RequestOrigin } from '@hookline/core';

/** The audit context of a request: its actor and origin, on its tenant (or on `tenantId`, the one an operator route touches). */
export function auditOf(ctx: { tenantId: string; actor: Actor; origin: RequestOrigin }, tenantId: string = ctx.tenantId): AuditContext {
  return { tenantId, actor: ctx.actor, origin: ctx.origin };
}
