// The API's roles and what each may do, mirrored from packages/core/src/accounts/roles.ts
// (ACCESS_ROLES; packages/core/test/accounts/roles.test.ts keeps the two equal, so this file imports nothing). The API enforces them; the console
// uses them only to hide controls a person cannot use.

/** A person's role in a tenant (the API's `Role`). */
export type Role = 'owner' | 'admin' | 'developer' | 'viewer';

/** What a route needs, as the route table declares it (`access:`). */
export type Access = 'read' | 'secret' | 'write' | 'manage' | 'owner';

export const ACCESS_ROLES: Readonly<Record<Access, readonly Role[]>> = Object.freeze({
  read: ['owner', 'admin', 'developer', 'viewer'],
  secret: ['owner', 'admin', 'developer'],
  write: ['owner', 'admin', 'developer'],
  manage: ['owner', 'admin'],
  owner: ['owner'],
});

/** Whether `role` may do what `access` names (no role: nothing). */
export function can(role: Role | null | undefined, access: Access): boolean {
  return role ? ACCESS_ROLES[access].includes(role) : false;
}
