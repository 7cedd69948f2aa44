import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../src/config.ts';

// The documentation a user reads (README.md and docs/*.md) must not send them to a missing file or
// heading, and must name exactly the settings the config schema has. No database needed.

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const CONFIG_TABLE = 'docs/configuration.md';

/**
 * HOOKLINE_ variables the docs may name that are not keys of the schema, each with the file that
 * reads it (checked below, so an entry cannot outlive its variable).
 */
const OUTSIDE_SCHEMA: Record<string, string> = {
  HOOKLINE_CONFIG_FILE: 'bin/cli.ts', // names the file the schema's values may come from
  HOOKLINE_OTEL: 'packages/core/src/telemetry/otelSdk.ts', // read with the OTEL_* variables, before config
  HOOKLINE_FUZZ_RUNS: 'test/support/fuzzHarness.ts', // test knobs, documented for contributors
  HOOKLINE_FUZZ_SEED: 'test/support/fuzzHarness.ts',
  HOOKLINE_FUZZ_SHRINK: 'test/support/fuzzHarness.ts',
};

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** The text outside fenced code blocks and inline code spans, line by line (code is not a link). */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, '');
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a markdown file: `[text](target)` and `![alt](target)`, titles dropped. */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const line of prose(markdown)) {
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
    }
  }
  return links;
}

/** Why a link from `file` is broken, or undefined when it resolves (file, folder, and heading in a .md). */
function brokenLink(file: string, target: string): string | undefined {
  const [rawPath = '', anchor] = target.split('#', 2);
  const targetFile = rawPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(rawPath)));
  const absolute = path.join(ROOT, targetFile);
  if (!absolute.startsWith(ROOT) || !existsSync(absolute)) return `${targetFile} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(absolute).isDirectory() || !targetFile.endsWith('.md')) return undefined;
  return headingAnchors(read(targetFile)).has(decodeURIComponent(anchor)) ? undefined : `${targetFile} has no heading #${anchor}`;
}

describe('documentation', () => {
  it('finds the files it checks', () => {
    expect(DOCS).toContain('README.md');
    expect(DOCS).toContain(CONFIG_TABLE);
    expect(DOCS.length).toBeGreaterThan(5);
  });

  it('has no broken relative link or anchor in README.md and docs/', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of DOCS) {
      for (const target of relativeLinks(read(file))) {
        checked++;
        const why = brokenLink(file, target);
        if (why) broken.push(`${file}: (${target}): ${why}`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(broken).toEqual([]);
  });

  it('names only files and folders of the repository that exist', () => {
    // A path in code quotes that starts at a top folder, e.g. `worker/src/deliveryLoop.ts`: code moves, docs must follow.
    const missing: string[] = [];
    let checked = 0;
    for (const file of DOCS) {
      for (const [, name] of read(file).matchAll(/`((?:api|worker|portal|packages|test|bin|docs)\/[\w./-]*\w)\/?`/g)) {
        if (name!.includes('*') || name!.includes('…')) continue;
        checked++;
        if (!existsSync(path.join(ROOT, name!))) missing.push(`${file}: ${name}`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('names only HOOKLINE_ variables that exist', () => {
    const known = new Set([...Object.keys(envSchema.shape), ...Object.keys(OUTSIDE_SCHEMA)]);
    const unknown: string[] = [];
    for (const file of DOCS) {
      for (const [name] of read(file).matchAll(/\bHOOKLINE_[A-Z0-9_]*[A-Z0-9]/g)) {
        if (!known.has(name)) unknown.push(`${file}: ${name}`);
      }
    }
    expect([...new Set(unknown)]).toEqual([]);
    for (const [name, reader] of Object.entries(OUTSIDE_SCHEMA)) expect(read(reader), `${name} in ${reader}`).toContain(name);
  });

  it('documents every variable of the config schema in the configuration table', () => {
    const rows = new Set([...read(CONFIG_TABLE).matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]!));
    const undocumented = Object.keys(envSchema.shape).filter((name) => !rows.has(name));
    expect(Object.keys(envSchema.shape).length).toBeGreaterThan(10);
    expect(undocumented).toEqual([]);
  });
});
