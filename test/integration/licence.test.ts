import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

it('the repository is Apache-2.0: a LICENSE at the root and the licence in every package.json', () => {
  const licence = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
  expect(licence).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
  expect(licence).toContain('END OF TERMS AND CONDITIONS');

  // Every manifest of the workspace, wherever it sits, not a list kept by hand: a new package is covered too.
  const manifests = globSync('**/package.json', {
    cwd: ROOT,
    exclude: (name) => name === 'node_modules' || name === 'dist' || name.startsWith('.'),
  });
  expect(manifests).toContain('package.json');
  expect(manifests.length).toBeGreaterThanOrEqual(10);
  const unlicensed = manifests.filter((file) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')).license !== 'Apache-2.0');
  expect(unlicensed).toEqual([]);
});
