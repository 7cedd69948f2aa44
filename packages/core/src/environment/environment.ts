import { eventTypeRepo, tenantRepo, type Database, type EventTypeRow, type TenantRow } from '@hookline/db';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { EventTypeIn } from '../eventTypes/eventTypeSchemas.ts';
import { toEventTypeOut } from '../eventTypes/eventTypes.ts';
import { canonical } from '../eventTypes/openApiImport.ts';
import { logoForAudit } from '../tenants/portalLogo.ts';
import type { InstallationSettings } from '../tenants/tenantSettings.ts';
import { ENVIRONMENT_VERSION, type EnvironmentIn, type EnvironmentOut, type EnvironmentSettings } from './environmentSchemas.ts';

const EVENT_TYPE_FIELDS = ['description', 'archived', 'deprecated', 'featureFlags', 'groupName', 'schemas'] as const;

function settingsOf(tenant: TenantRow): EnvironmentSettings {
  return {
    customColor: tenant.portalTheme?.primaryColor ?? null,
    customFontFamily: tenant.portalTheme?.fontFamily ?? null,
    customLogoUrl: tenant.portalLogo,
    retrySchedule: tenant.retrySchedule,
    retentionDays: tenant.retentionDays,
  };
}

/** Svix's environment export: every event type of the tenant (archived ones too, with schemas) and its settings. */
export async function exportEnvironment(db: Database, tenantId: string): Promise<EnvironmentOut> {
  const tenant = await tenantRepo.findTenant(db, tenantId);
  if (!tenant) throw new NotFoundError('Tenant not found');
  const eventTypes = await eventTypeRepo.listAllEventTypes(db, tenantId);
  return {
    version: ENVIRONMENT_VERSION,
    createdAt: new Date(),
    eventTypes: eventTypes.map((row) => toEventTypeOut(row)),
    settings: settingsOf(tenant),
    connectors: [],
    transformationTemplates: [],
  };
}

/** The stored columns an imported event type stands for (Svix's single featureFlag is a set of one). */
function rowOf(tenantId: string, e: EventTypeIn) {
  const flags = e.featureFlags ?? (e.featureFlag ? [e.featureFlag] : null);
  return {
    tenantId,
    name: e.name,
    description: e.description,
    archived: e.archived ?? false,
    deprecated: e.deprecated ?? false,
    schemas: e.schemas && Object.keys(e.schemas).length > 0 ? e.schemas : null,
    featureFlags: flags && flags.length > 0 ? [...new Set(flags)] : null,
    groupName: e.groupName ?? null,
  };
}

type ImportedRow = ReturnType<typeof rowOf>;

function differs(row: EventTypeRow | undefined, incoming: ImportedRow): boolean {
  if (!row) return true;
  return (
    row.description !== incoming.description ||
    row.archived !== incoming.archived ||
    row.deprecated !== incoming.deprecated ||
    (row.groupName ?? null) !== incoming.groupName ||
    canonical(row.featureFlags ?? null) !== canonical(incoming.featureFlags) ||
    canonical(row.schemas ?? null) !== canonical(incoming.schemas)
  );
}

/** The tenant columns `settings` changes: only the keys present; null clears. Checked against the installation first. */
function tenantPatchOf(tenant: TenantRow, settings: EnvironmentSettings, installation: InstallationSettings) {
  if (settings.retentionDays != null && settings.retentionDays > installation.messageRetentionDays) {
    throw new ValidationError(['body', 'settings', 'retentionDays'], `at most the installation's message retention (${installation.messageRetentionDays} days)`);
  }
  const theme = { ...(tenant.portalTheme ?? {}) };
  if (settings.customColor !== undefined) {
    if (settings.customColor === null) delete theme.primaryColor;
    else theme.primaryColor = settings.customColor;
  }
  if (settings.customFontFamily !== undefined) {
    if (settings.customFontFamily === null) delete theme.fontFamily;
    else theme.fontFamily = settings.customFontFamily;
  }
  return {
    portalTheme: Object.keys(theme).length > 0 ? theme : null,
    portalLogo: settings.customLogoUrl,
    retrySchedule: settings.retrySchedule,
    retentionDays: settings.retentionDays,
  };
}

/**
 * Svix's environment import: creates the event types it names and updates those that exist (as
 * Svix does, it deletes nothing); unchanged ones are left alone, so importing twice changes
 * nothing the second time. Settings with a place in Hookline are set; others are ignored. Every
 * field is checked before anything is written; one transaction, one audit record per event type
 * changed and one for the settings when they change.
 */
export async function importEnvironment(db: Database, tenantId: string, input: EnvironmentIn, installation: InstallationSettings, audit: AuditContext): Promise<void> {
  const incoming = new Map((input.eventTypes ?? []).map((e) => [e.name, rowOf(tenantId, e)]));
  await inAuditedTransaction(db, async (trx) => {
    const tenant = await tenantRepo.findTenant(trx, tenantId);
    if (!tenant) throw new NotFoundError('Tenant not found');
    const patch = input.settings ? tenantPatchOf(tenant, input.settings, installation) : undefined;
    const existing = new Map((await eventTypeRepo.findEventTypes(trx, tenantId, [...incoming.keys()])).map((r) => [r.name, r]));
    for (const e of incoming.values()) {
      const before = existing.get(e.name);
      if (!differs(before, e)) continue;
      const { inserted: _inserted, ...after } = await eventTypeRepo.upsertEventType(trx, { ...e, schemas: e.schemas ? JSON.stringify(e.schemas) : null });
      await recordAudit(trx, audit, {
        action: 'eventType.imported',
        target: { kind: 'eventType', id: e.name },
        changes: describeChanges(before, after, EVENT_TYPE_FIELDS, ['schemas']),
      });
    }
    if (!patch) return;
    const after = await tenantRepo.updateTenant(trx, tenantId, patch);
    if (!after) throw new NotFoundError('Tenant not found');
    const changes = describeChanges({ ...tenant, portalLogo: logoForAudit(tenant.portalLogo) }, { ...after, portalLogo: logoForAudit(after.portalLogo) }, [
      'retrySchedule',
      'retentionDays',
      'portalTheme',
      'portalLogo',
    ]);
    if (Object.keys(changes).length > 0) await recordAudit(trx, audit, { action: 'tenant.settings.changed', target: { kind: 'tenant', id: tenantId }, changes });
  });
}
