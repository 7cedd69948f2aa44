import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every api process loads @hookline/core whole, so a dependency imported at the top of any of its
// modules is resident in every process (docs/performance.md, "Memory"). These few are needed only
// by rare requests and load on first use; this keeps them from coming back as static imports.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const LAZY = ['nodemailer', 'openid-client', 'yaml'];

const RECORD_LOADS = `
  import { registerHooks } from 'node:module';
  globalThis.loaded = [];
  registerHooks({ load(url, context, next) { globalThis.loaded.push(url); return next(url, context); } });
`;

describe('dependencies the api loads only when used', () => {
  it('are not loaded by importing the server, the api and core', () => {
    const script = `
      await import(${JSON.stringify(path.join(ROOT, 'server/src/index.ts'))});
      await import('@hookline/api');
      await import('@hookline/core');
      console.log(JSON.stringify(globalThis.loaded));
    `;
    const out = execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(RECORD_LOADS)}`, '--input-type=module', '-e', script], {
      cwd: path.join(ROOT, 'server'),
      encoding: 'utf8',
    });
    const loaded = JSON.parse(out.trim().split('\n').at(-1)!) as string[];
    const packages = new Set(loaded.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.replace(/.*\/node_modules\/\.pnpm\/[^/]+/, ''))?.[1] ?? []));
    // The walk did see the dependencies that are loaded eagerly.
    expect(packages).toContain('kysely');
    for (const name of LAZY) expect(packages, name).not.toContain(name);
  });
});
