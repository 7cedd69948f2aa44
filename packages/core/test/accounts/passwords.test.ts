import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, hashPassword, verifyAgainstDummy, verifyPassword } from '../../src/accounts/passwords.ts';
import { ValidationError } from '../../src/errors.ts';

describe('passwords', () => {
  it('stores scrypt with its parameters and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', 'bcrypt$whatever')).toBe(false);
  });

  it('treats the composed and decomposed forms of a character as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait, please');
    expect(await verifyPassword('cafe\u0301 au lait, please', stored)).toBe(true);
  });

  it('refuses passwords under 12 characters as a field error', () => {
    expect(() => assertPasswordAcceptable('elevenchars')).toThrow(ValidationError);
    expect(() => assertPasswordAcceptable('twelve chars')).not.toThrow();
  });

  it('spends a real verification on an unknown account', async () => {
    await verifyAgainstDummy('warm-up first call');
    const t = performance.now();
    expect(await verifyAgainstDummy('anything at all')).toBe(false);
    expect(performance.now() - t).toBeGreaterThan(5);
  });
});
