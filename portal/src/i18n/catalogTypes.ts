import type { en } from './messages/en.ts';

// The catalog's types apart from its loader, so the translations can import them without an import cycle.

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
