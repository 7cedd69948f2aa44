/** One field's change: `from`/`to` for plain fields, only `changed` for a secret one (its value never enters the log). */
export type FieldChange = { from?: unknown; to?: unknown } | { changed: true };

/** The `changes` of an audit record: field name to its change. */
export type AuditChanges = Record<string, FieldChange>;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields that differ between `before` (undefined for a creation) and `after` (undefined for a
 * deletion), among `fields`; those listed in `secret` are recorded by name only.
 */
export function describeChanges<T extends object>(
  before: T | undefined,
  after: T | undefined,
  fields: readonly (keyof T & string)[],
  secret: readonly (keyof T & string)[] = [],
): AuditChanges {
  const out: AuditChanges = {};
  for (const field of fields) {
    const from = before?.[field];
    const to = after?.[field];
    if (before && after && same(from, to)) continue;
    if (!before && (to === undefined || to === null)) continue;
    if (!after && (from === undefined || from === null)) continue;
    if (secret.includes(field)) out[field] = { changed: true };
    else out[field] = { ...(before ? { from: from ?? null } : {}), ...(after ? { to: to ?? null } : {}) };
  }
  return out;
}

/** Names only, for maps whose values are secret (endpoint headers): which were added, changed, removed. */
export function describeKeyChanges(before: Record<string, unknown>, after: Record<string, unknown>): AuditChanges {
  const out: AuditChanges = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!(name in after)) out[name] = { from: 'set', to: 'removed' };
    else if (!(name in before)) out[name] = { from: 'absent', to: 'set' };
    else if (!same(before[name], after[name])) out[name] = { changed: true };
  }
  return out;
}
