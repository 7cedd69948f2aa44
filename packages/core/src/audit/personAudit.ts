import { membershipRepo, personRepo, type Database } from '@hookline/db';
import type { Actor, RequestOrigin } from './actor.ts';
import { recordAudit, type AuditEntry } from './auditLog.ts';

/** A person as an actor: their id, and their name or else their address. */
export const personActor = (person: { id: string; name: string; email: string }): Actor => ({ kind: 'person', id: person.id, displayName: person.name || person.email });

/**
 * Records a change of a person's own security (password, sessions, second factor) in the log of
 * every tenant they belong to: each team's owners see who can act in it, and how. Call it in the
 * change's transaction.
 */
export async function recordPersonAudit(db: Database, personId: string, origin: RequestOrigin, entry: Omit<AuditEntry, 'target'>): Promise<void> {
  const person = await personRepo.findPerson(db, personId);
  if (!person) return;
  for (const { tenantId } of await membershipRepo.listTenantsOf(db, personId)) {
    await recordAudit(db, { tenantId, actor: personActor(person), origin }, { ...entry, target: { kind: 'person', id: personId } });
  }
}
