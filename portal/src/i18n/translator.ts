import { createElement, Fragment, type ReactNode } from 'react';
import { en } from './messages/en.ts';
import type { Catalog, Language, Message, MessageKey, Params, Placeholders } from './catalog.ts';

type Args<K extends MessageKey> = [Placeholders<K>] extends [never] ? [] : [params: Params<K>];
export type Translate = <K extends MessageKey>(key: K, ...args: Args<K>) => string;

/** The portal's words and formats in one language. */
export interface Translator {
  language: Language;
  t: Translate;
  /** A message with elements in its placeholders (a URL in <code>), as React children. */
  rich: <K extends MessageKey>(key: K, parts: Record<Placeholders<K>, ReactNode>) => ReactNode;
  /** A date and time, e.g. "7 Dez. 2026, 14:05:09". */
  dateTime: (iso: string | Date) => string;
  /** A day of a chart, e.g. "7. Dez.". */
  day: (date: Date) => string;
  number: (n: number) => string;
  /** A share in [0, 1] as a percentage with at most one decimal. */
  percent: (share: number) => string;
  /** How long ago or ahead a time is, e.g. "vor 5 Minuten". */
  relative: (iso: string | Date, now?: Date) => string;
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

export function createTranslator(language: Language, catalog: Catalog): Translator {
  const numbers = new Intl.NumberFormat(language);
  const percents = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  const dateTimes = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
  const days = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' });
  const plurals = new Intl.PluralRules(language);
  const relatives = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });

  const fill = (text: string, params: Record<string, string | number>) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  const pick = (message: Message, params: Record<string, string | number>) => {
    if (typeof message === 'string') return message;
    const count = typeof params.count === 'number' ? params.count : Number(params.count);
    return message[plurals.select(count)] ?? message.other;
  };
  const t: Translate = (key, ...args) => {
    const params: Record<string, string | number> = args[0] ?? {};
    return fill(pick(catalog[key] ?? en[key], params), params);
  };
  const rich = <K extends MessageKey>(key: K, parts: Record<Placeholders<K>, ReactNode>): ReactNode => {
    const text = pick(catalog[key] ?? en[key], {});
    const named = parts as Record<string, ReactNode>;
    // split with a capture group: odd indexes are placeholder names.
    return text.split(/\{(\w+)\}/).map((piece, i) => createElement(Fragment, { key: i }, i % 2 === 1 ? (named[piece] ?? `{${piece}}`) : piece));
  };
  return {
    language,
    t,
    rich,
    dateTime: (value) => dateTimes.format(new Date(value)),
    day: (date) => days.format(date),
    number: (n) => numbers.format(n),
    percent: (share) => percents.format(share),
    relative: (value, now = new Date()) => {
      const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000);
      const [unit, size] = RELATIVE_UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
      return relatives.format(Math.round(seconds / size), unit);
    },
  };
}

/** English, always at hand: the default before a language is chosen, and in tests. */
export const english: Translator = createTranslator('en', en);
