import { LANGUAGES, RTL_LANGUAGES, type Language } from './catalog.ts';

/** The first supported language among `wanted` (BCP 47 tags: `de-AT` counts as `de`). */
function firstSupported(wanted: readonly string[]): Language | null {
  for (const tag of wanted) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    const found = LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return null;
}

/** The `lang` URL parameter if the portal speaks it, else the browser's languages in order, else English. */
export function pickLanguage(langParam: string | null, browserLanguages: readonly string[]): Language {
  return (langParam ? firstSupported([langParam]) : null) ?? firstSupported(browserLanguages) ?? 'en';
}

/** Sets `<html lang dir>`, so the browser, screen readers and the CSS's logical properties follow the language. */
export function applyLanguage(language: Language, root: HTMLElement = document.documentElement): void {
  root.lang = language;
  root.dir = RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}
