import { en } from './messages/en.ts';

// An in-house catalog rather than i18next or FormatJS: the portal needs only placeholders and
// plurals, which Intl.PluralRules gives for free, and the keys and placeholders are then typed.

/** The plural forms of one message, chosen by Intl.PluralRules on its `count`; `other` always. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralForms;

export type English = typeof en;
export type MessageKey = keyof English;

/** A translation: every English key, a plural message stays a plural message. */
export type Catalog = { [K in MessageKey]: English[K] extends string ? string : PluralForms };

type PlaceholdersOf<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | PlaceholdersOf<Rest> : never;
/** The `{name}` placeholders of a key's English text (of any of its plural forms). */
export type Placeholders<K extends MessageKey> = PlaceholdersOf<English[K] extends string ? English[K] : English[K][keyof English[K]]>;
export type Params<K extends MessageKey> = Record<Placeholders<K>, string | number>;

/** The languages the portal speaks; English is the source. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages written right to left. */
export const RTL_LANGUAGES: ReadonlySet<Language> = new Set<Language>(['ar']);

/** Each translation is its own chunk, so a reader downloads only English and their own language. */
export async function loadCatalog(language: Language): Promise<Catalog> {
  switch (language) {
    case 'en':
      return en;
    case 'de':
      return (await import('./messages/de.ts')).de;
    case 'fr':
      return (await import('./messages/fr.ts')).fr;
    case 'es':
      return (await import('./messages/es.ts')).es;
    case 'ja':
      return (await import('./messages/ja.ts')).ja;
    case 'ar':
      return (await import('./messages/ar.ts')).ar;
  }
}
