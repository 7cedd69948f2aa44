import { eventTypeRepo, type Database, type EventTypeRow } from '@hookline/db';
import { ConflictError } from '../errors.ts';
import type { EventTypeIn, EventTypeOut } from './eventTypeSchemas.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';


export const toEventTypeOut = (row: EventTypeRow): EventTypeOut => ({
  name: row.name,
  description: row.description,
  archived: row.archived,
  deprecated: row.deprecated,
  schemas: row.schemas,
  featureFlag: row.featureFlag,
  groupName: row.groupName,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function createEventType(db: Database, tenantId: string, input: EventTypeIn): Promise<EventTypeOut> {
  const row = await eventTypeRepo.insertEventType(db, {
    tenantId,
    name: input.name,
    description: input.description,
    archived: input.archived ?? false,
    deprecated: input.deprecated ?? false,
    schemas: input.schemas ? JSON.stringify(input.schemas) : null,
    featureFlag: input.featureFlag ?? null,
    groupName: input.groupName ?? null,
  });
  if (!row) throw new ConflictError('An event type with this name already exists');
  return toEventTypeOut(row);
}

/** Event types are keyed by name, so their iterators are names. */
export async function listEventTypes(db: Database, tenantId: string, params: ListParams & { includeArchived?: boolean | undefined }): Promise<ListPage<EventTypeOut>> {
  return paginate(params, 'ascending', (page) => eventTypeRepo.listEventTypes(db, tenantId, {
    limit: page.limit,
    direction: page.direction,
    includeArchived: params.includeArchived ?? false,
    ...(page.afterId !== undefined ? { afterName: page.afterId } : {}),
    ...(page.beforeId !== undefined ? { beforeName: page.beforeId } : {}),
  }), toEventTypeOut, (row) => row.name);
}
