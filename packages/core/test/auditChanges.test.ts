import { describe, expect, it } from 'vitest';
import { describeChanges, describeKeyChanges } from '../src/audit/auditChanges.ts';

describe('describeChanges', () => {
  const before = { name: 'a', secret: 'whsec_old', tags: ['x'], gone: 'g' as string | null };
  const after = { name: 'b', secret: 'whsec_new', tags: ['x'], gone: null as string | null };

  it('names changed fields with old and new values, secret ones without either', () => {
    expect(describeChanges(before, after, ['name', 'secret', 'tags', 'gone'], ['secret'])).toEqual({
      name: { from: 'a', to: 'b' },
      secret: { changed: true },
      gone: { from: 'g', to: null },
    });
  });

  it('gives a creation only new values and a deletion only old ones, leaving empty fields out', () => {
    expect(describeChanges(undefined, after, ['name', 'secret', 'gone'], ['secret'])).toEqual({ name: { to: 'b' }, secret: { changed: true } });
    expect(describeChanges(before, undefined, ['name', 'secret', 'gone'], ['secret'])).toEqual({ name: { from: 'a' }, secret: { changed: true }, gone: { from: 'g' } });
  });

  it('never holds a secret value', () => {
    const text = JSON.stringify([describeChanges(before, after, ['secret'], ['secret']), describeChanges(undefined, after, ['secret'], ['secret'])]);
    expect(text).not.toContain('whsec_');
  });
});

describe('describeKeyChanges', () => {
  it('names the keys added, changed and removed, never their values', () => {
    const out = describeKeyChanges({ kept: 'v1', changed: 'v2', removed: 'v3' }, { kept: 'v1', changed: 'v4', added: 'v5' });
    expect(out).toEqual({ changed: { changed: true }, removed: { from: 'set', to: 'removed' }, added: { from: 'absent', to: 'set' } });
    expect(JSON.stringify(out)).not.toMatch(/v[1-5]/);
  });
});
