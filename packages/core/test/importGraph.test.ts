import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// No module may import itself back through others (type-only imports count: they still tie the
// files' meanings together), and the arrows point one way: server/ composes the apps api/ and
// worker/, which use the libraries of packages/ (docs/adr/0002-host-beside-the-apps.md).
// Walks every TypeScript source of the workspace; no database needed.

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SOURCE_DIRS = ['api', 'worker', 'server', 'packages', 'portal/src', 'portal/test', 'console/src', 'console/test', 'test', 'bin'];
/** The test support code, the workspace package @hookline/test-support. */
const SUPPORT = 'test/support/';
const SKIP = new Set(['node_modules', 'dist', '.hookline', '.hookline-test']);

/**
 * Cycles known to remain, each as its sorted files with the reason it may stay for now (none today).
 * An entry that no longer is a cycle fails the test too, so the list only shrinks.
 */
const KNOWN_CYCLES: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Workspace package name → its folder and `exports` map, to follow `@hookline/...` imports. */
function workspacePackages(files: string[]): Map<string, { dir: string; exports: Record<string, string> }> {
  const packages = new Map<string, { dir: string; exports: Record<string, string> }>();
  for (const dir of new Set(
    files.map((f) =>
      f
        .split('/')
        .slice(0, f.startsWith('packages/') ? 2 : 1)
        .join('/'),
    ),
  )) {
    const manifest = path.join(ROOT, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    type Target = string | { types?: string; import?: string; default?: string };
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; exports?: string | Record<string, Target> };
    // A conditional export (`{ "types": … }`) is followed to the file TypeScript reads.
    const exports =
      typeof pkg.exports === 'string'
        ? { '.': pkg.exports }
        : Object.fromEntries(Object.entries(pkg.exports ?? {}).map(([k, t]) => [k, typeof t === 'string' ? t : (t.types ?? t.import ?? t.default ?? '')]));
    packages.set(pkg.name, { dir, exports });
  }
  return packages;
}

function resolveImport(from: string, specifier: string, packages: ReturnType<typeof workspacePackages>, known: Set<string>): string | undefined {
  if (specifier.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    return known.has(target) ? target : undefined;
  }
  const match = /^(@hookline\/[^/]+)(\/.*)?$/.exec(specifier);
  const pkg = match && packages.get(match[1]!);
  if (!pkg) return undefined;
  const subpath = `.${match[2] ?? ''}`;
  for (const [pattern, target] of Object.entries(pkg.exports)) {
    const star = pattern.indexOf('*');
    const resolved =
      star < 0
        ? pattern === subpath
          ? target
          : undefined
        : subpath.startsWith(pattern.slice(0, star)) && subpath.endsWith(pattern.slice(star + 1))
          ? target.replace('*', subpath.slice(star, subpath.length - (pattern.length - star - 1)))
          : undefined;
    if (!resolved) continue;
    // A stylesheet (`@hookline/ui/tokens.css`) is no TypeScript module: no edge.
    const file = path.posix.normalize(path.posix.join(pkg.dir, resolved));
    return known.has(file) ? file : undefined;
  }
  return undefined;
}

/** Each source file → the workspace files it imports; and the imports of the test support code by a relative path. */
function importGraph(): { edges: Map<string, string[]>; relativeIntoSupport: string[] } {
  const files = SOURCE_DIRS.flatMap(sourceFiles);
  const known = new Set(files);
  const packages = workspacePackages(files);
  const relativeIntoSupport: string[] = [];
  const edges = new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
      const targets = importedFiles.flatMap((i) => {
        const target = resolveImport(file, i.fileName, packages, known);
        if (target?.startsWith(SUPPORT) && !file.startsWith(SUPPORT) && i.fileName.startsWith('.')) relativeIntoSupport.push(`${file} → ${i.fileName}`);
        return target ? [target] : [];
      });
      return [file, [...new Set(targets)]];
    }),
  );
  return { edges, relativeIntoSupport };
}

/** Strongly connected components of more than one file (or a file importing itself): the import cycles. */
function importCycles(edges: Map<string, string[]>): string[] {
  // Tarjan's algorithm.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)!.includes(file)) cycles.push(component.sort().join(' '));
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return cycles.sort();
}

/** The layers a source file may import from (tests and tools may import anything). */
const LAYERS: Array<{ layer: RegExp; mayImport: RegExp }> = [
  { layer: /^packages\/[^/]+\/src\//, mayImport: /^packages\/[^/]+\/src\// },
  { layer: /^api\/src\//, mayImport: /^(api\/src|packages\/[^/]+\/src)\// },
  { layer: /^worker\/src\//, mayImport: /^(worker\/src|packages\/[^/]+\/src)\// },
  { layer: /^server\/src\//, mayImport: /^(server\/src|api\/src|worker\/src|packages\/[^/]+\/src)\// },
];

describe('import graph', () => {
  const { edges, relativeIntoSupport } = importGraph();
  const cycles = importCycles(edges);

  it('imports the test support code as its package (@hookline/test-support/…), not by ../ paths', () => {
    expect(relativeIntoSupport).toEqual([]);
  });

  it('points from the host to the apps to the libraries, never back', () => {
    const against = [...edges].flatMap(([file, targets]) => {
      const rule = LAYERS.find((l) => l.layer.test(file));
      return rule ? targets.filter((t) => !rule.mayImport.test(t)).map((t) => `${file} → ${t}`) : [];
    });
    expect(against).toEqual([]);
  });

  it('has no import cycle but the known ones', () => {
    expect(cycles.filter((c) => !(c in KNOWN_CYCLES))).toEqual([]);
  });

  it('lists no known cycle that is gone (delete its entry)', () => {
    expect(Object.keys(KNOWN_CYCLES).filter((c) => !cycles.includes(c))).toEqual([]);
  });
});
