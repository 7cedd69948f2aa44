import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Each ORM is an optional peer: the package root must load none of them, only its own subpath may.
// A fresh Node process imports each entry as a vendor would (the package's exports map, from its
// folder) and records the modules each import newly resolves (module.registerHooks).

const ORM = /\/node_modules\/(?:\.pnpm\/)?(?:drizzle-orm|knex|@prisma\+?[a-z-]*|prisma)[@/]/;
const ENTRIES = ['@hookline/publish', '@hookline/publish/knex', '@hookline/publish/prisma', '@hookline/publish/drizzle'];

async function modulesLoadedByEach(): Promise<Record<string, string[]>> {
  const script = `
    import { registerHooks } from 'node:module';
    let loaded = [];
    const byEntry = {};
    registerHooks({ resolve: (specifier, context, next) => { const resolved = next(specifier, context); loaded.push(resolved.url); return resolved; } });
    for (const entry of ${JSON.stringify(ENTRIES)}) {
      await import(entry);
      byEntry[entry] = loaded;
      loaded = [];
    }
    console.log(JSON.stringify(byEntry));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url) });
  return JSON.parse(stdout) as Record<string, string[]>;
}

describe('@hookline/publish subpaths', () => {
  it('the root loads no ORM, nor do Prisma’s and Knex’s (typed structurally); the Drizzle subpath loads drizzle-orm', async () => {
    const loaded = await modulesLoadedByEach();
    const orms = (entry: string) => loaded[entry]!.filter((url) => ORM.test(url));
    expect(loaded['@hookline/publish']!.some((url) => url.endsWith('/packages/publish/src/index.ts'))).toBe(true);
    expect(orms('@hookline/publish')).toEqual([]);
    for (const orm of ['knex', 'prisma']) {
      expect(loaded[`@hookline/publish/${orm}`]!.some((url) => url.endsWith(`/packages/publish/src/${orm}.ts`))).toBe(true);
      expect(orms(`@hookline/publish/${orm}`)).toEqual([]);
    }
    expect(orms('@hookline/publish/drizzle')).not.toEqual([]);
  });
});
