import { describe, expect, it } from 'vitest';
import { ACCESS_ROLES as CONSOLE_ACCESS_ROLES } from '../../../../console/src/api/access.ts';
import { ACCESS_ROLES, ROLES, roleAllows } from '../../src/accounts/roles.ts';

describe('roles', () => {
  it('gives the viewer reading only, the developer no team, the admin no owner powers', () => {
    expect(Object.entries(ACCESS_ROLES).filter(([, roles]) => roles.includes('viewer'))).toEqual([['read', ['owner', 'admin', 'developer', 'viewer']]]);
    expect(roleAllows('developer', 'secret')).toBe(true);
    expect(roleAllows('developer', 'manage')).toBe(false);
    expect(roleAllows('admin', 'manage')).toBe(true);
    expect(roleAllows('admin', 'owner')).toBe(false);
    for (const roles of Object.values(ACCESS_ROLES)) expect(roles).toContain('owner');
  });

  it('are mirrored exactly by the console, which hides the controls a role cannot use', () => {
    expect(CONSOLE_ACCESS_ROLES).toEqual(ACCESS_ROLES);
    expect(CONSOLE_ACCESS_ROLES.read).toEqual(ROLES);
  });
});
