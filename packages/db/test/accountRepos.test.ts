import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@hookline/test-support/database';
import { inviteRepo, membershipRepo, personRepo, sessionRepo, type Database } from '../src/index.ts';

// The accounts tables (0021_accounts) against a real PostgreSQL: the rules the schema itself keeps.

let db: Database;

const testDb = useTestDatabase({ max: 4 });

beforeAll(async () => {
  db = testDb.db;
  await db.insertInto('tenant').values({ id: 'org_a', name: 'A' }).execute();
});

describe('accounts repos', () => {
  it('keeps one person per address, whatever its case, and finds them by any case', async () => {
    const p = await personRepo.insertPerson(db, { id: 'psn_1', email: 'Ada@Example.com', name: 'Ada', passwordHash: 'scrypt$x' });
    expect(p.passwordChangedAt).toBeInstanceOf(Date);
    await expect(personRepo.insertPerson(db, { id: 'psn_2', email: 'ada@example.COM', name: 'Other', passwordHash: null })).rejects.toThrow(/person_email_key/);
    expect((await personRepo.findPersonByEmail(db, 'ADA@EXAMPLE.COM'))?.id).toBe('psn_1');
  });

  it('refuses a role that is not one of the four', async () => {
    await expect(
      db
        .insertInto('membership')
        .values({ tenantId: 'org_a', personId: 'psn_1', role: 'root' as 'owner' })
        .execute(),
    ).rejects.toThrow(/check/i);
    await membershipRepo.addMember(db, { tenantId: 'org_a', personId: 'psn_1', role: 'owner' });
    // A second invitation does not change the role someone already has.
    await membershipRepo.addMember(db, { tenantId: 'org_a', personId: 'psn_1', role: 'viewer' });
    expect(await membershipRepo.findRole(db, 'org_a', 'psn_1')).toBe('owner');
    expect(await membershipRepo.listTenantsOf(db, 'psn_1')).toEqual([{ tenantId: 'org_a', name: 'A', role: 'owner' }]);
  });

  it('finds a session only while it is live: not revoked, within its idle and absolute expiry', async () => {
    const base = { personId: 'psn_1', currentTenantId: 'org_a', userAgent: null, clientAddress: null };
    const later = new Date(Date.now() + 60_000);
    const past = new Date(Date.now() - 1000);
    await sessionRepo.insertSession(db, { ...base, id: 'ses_live', tokenHash: 'h_live', idleExpiresAt: later, expiresAt: later });
    await sessionRepo.insertSession(db, { ...base, id: 'ses_idle', tokenHash: 'h_idle', idleExpiresAt: past, expiresAt: later });
    await sessionRepo.insertSession(db, { ...base, id: 'ses_abs', tokenHash: 'h_abs', idleExpiresAt: later, expiresAt: past });
    expect(await sessionRepo.findLiveSession(db, 'h_live')).toMatchObject({ id: 'ses_live', role: 'owner', email: 'Ada@Example.com' });
    expect(await sessionRepo.findLiveSession(db, 'h_idle')).toBeUndefined();
    expect(await sessionRepo.findLiveSession(db, 'h_abs')).toBeUndefined();
    expect(await sessionRepo.revokeSession(db, 'psn_other', 'ses_live')).toBe(false);
    expect(await sessionRepo.revokeSession(db, 'psn_1', 'ses_live')).toBe(true);
    expect(await sessionRepo.findLiveSession(db, 'h_live')).toBeUndefined();
  });

  it('gives an invitation to one taker only, and none after it expires', async () => {
    const row = { tenantId: 'org_a', email: 'b@example.com', role: 'viewer' as const, inviterPersonId: 'psn_1' };
    await inviteRepo.insertInvite(db, { ...row, id: 'inv_1', tokenHash: 't1', expiresAt: new Date(Date.now() + 60_000) });
    await inviteRepo.insertInvite(db, { ...row, id: 'inv_2', tokenHash: 't2', expiresAt: new Date(Date.now() - 1) });
    const takes = await Promise.all([inviteRepo.takeInvite(db, 't1'), inviteRepo.takeInvite(db, 't1')]);
    expect(takes.filter(Boolean)).toHaveLength(1);
    expect(await inviteRepo.takeInvite(db, 't2')).toBeUndefined();
  });
});
