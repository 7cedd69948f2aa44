import type { Catalog } from './catalogTypes.ts';
import { en } from './messages/en.ts';

// An in-house catalog rather than i18next or FormatJS: the portal needs only placeholders and
// plurals, which Intl.PluralRules gives for free, and the keys and placeholders are then typed.

export type { Catalog, English, Message, MessageKey, Params, Placeholders, PluralForms } from './catalogTypes.ts';

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
