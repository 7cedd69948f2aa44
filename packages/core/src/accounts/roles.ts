import type { Role } from '@hookline/db';

export type { Role } from '@hookline/db';

/** Every role, most powerful first. */
export const ROLES: readonly Role[] = Object.freeze(['owner', 'admin', 'developer', 'viewer']);

/**
 * What a route needs, as declared in the route table: `read` (everything but secret values),
 * `secret` (reading a signing secret or header values), `write` (applications, endpoints, event
 * types, messages, test sends, resend, recover), `manage` (team, API keys, settings) and `owner`.
 */
export type Access = 'read' | 'secret' | 'write' | 'manage' | 'owner';

export const ACCESS_ROLES: Readonly<Record<Access, readonly Role[]>> = Object.freeze({
  read: ROLES,
  secret: ['owner', 'admin', 'developer'],
  write: ['owner', 'admin', 'developer'],
  manage: ['owner', 'admin'],
  owner: ['owner'],
});

/** The roles that may do what `access` names. */
export function rolesFor(access: Access): readonly Role[] {
  return ACCESS_ROLES[access];
}

export function roleAllows(role: Role, access: Access): boolean {
  return ACCESS_ROLES[access].includes(role);
}
