import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadCatalog, type Catalog, type Message } from '../src/i18n/catalog.ts';
import { en } from '../src/i18n/messages/en.ts';

// Every translation is complete: each English key, the same kind of message (text or plural
// forms), and the same {placeholders}, so no reader sees a missing text or a raw {name}.

const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
const sorted = (s: Set<string | undefined>) => [...s].sort();

/** What is wrong with `message` compared with the English `source`, as lines. */
function problems(key: string, source: Message, message: Message | undefined): string[] {
  if (message === undefined) return [`${key}: missing`];
  if (typeof source === 'string') {
    if (typeof message !== 'string') return [`${key}: plural forms where English has a text`];
    if (!message.trim()) return [`${key}: empty`];
    const want = sorted(placeholders(source));
    const got = sorted(placeholders(message));
    return JSON.stringify(want) === JSON.stringify(got) ? [] : [`${key}: placeholders ${got.join(',') || '(none)'}, English has ${want.join(',') || '(none)'}`];
  }
  if (typeof message === 'string') return [`${key}: a text where English has plural forms`];
  const want = placeholders(source.other);
  const out: string[] = [];
  // A form may leave out the count ("one hour", Arabic "ساعتين"), never add a placeholder; `other` has them all.
  for (const [form, text] of Object.entries(message)) {
    const extra = [...placeholders(text ?? '')].filter((p) => !want.has(p));
    if (extra.length) out.push(`${key}.${form}: unknown placeholder ${extra.join(',')}`);
  }
  if (JSON.stringify(sorted(placeholders(message.other))) !== JSON.stringify(sorted(want))) out.push(`${key}.other: placeholders differ from English`);
  return out;
}

function catalogProblems(catalog: Record<string, Message | undefined>): string[] {
  const source = en as Record<string, Message>;
  const out = Object.entries(source).flatMap(([key, message]) => problems(key, message, catalog[key]));
  for (const key of Object.keys(catalog)) if (!(key in source)) out.push(`${key}: not an English key`);
  return out;
}

describe('message catalogs', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every English key with the same placeholders', async (language) => {
    const catalog = await loadCatalog(language);
    expect(catalogProblems(catalog)).toEqual([]);
    // A translation, not a copy: most texts differ from the English ones.
    const same = Object.entries(catalog).filter(([key, text]) => typeof text === 'string' && text === en[key as keyof typeof en]).length;
    expect(same).toBeLessThan(Object.keys(en).length / 5);
  });

  it('finds a missing key, a changed placeholder and a wrong kind of message', () => {
    const broken: Record<string, Message | undefined> = {
      ...en,
      'form.headerName': 'Header {x}',
      'endpoints.retrying': 'retrying',
      'stats.title': undefined,
      extra: 'x',
    };
    expect(catalogProblems(broken)).toEqual([
      'endpoints.retrying: a text where English has plural forms',
      'form.headerName: placeholders x, English has n',
      'stats.title: missing',
      'extra: not an English key',
    ]);
    const plural = { ...en, 'secret.rotated': { one: 'for {hours} hour', other: 'for {count} hours' } } satisfies Catalog;
    expect(catalogProblems(plural)).toEqual(['secret.rotated.one: unknown placeholder hours']);
  });
});
