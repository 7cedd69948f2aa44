// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/i18n/catalog.ts';
import { applyLanguage, pickLanguage } from '../src/i18n/language.ts';
import { createTranslator, english } from '../src/i18n/translator.ts';

describe('language choice', () => {
  it('takes the lang parameter, then the browser languages in order, then English', () => {
    expect(pickLanguage('de', ['fr-FR', 'en'])).toBe('de');
    expect(pickLanguage('ar-EG', [])).toBe('ar');
    expect(pickLanguage('JA_jp', [])).toBe('ja');
    expect(pickLanguage(null, ['pt-BR', 'es-MX', 'fr'])).toBe('es');
    // A language the portal does not speak falls through to the browser's, not to English at once.
    expect(pickLanguage('xx', ['fr-CA'])).toBe('fr');
    expect(pickLanguage('', ['ko', 'zh'])).toBe('en');
  });

  it('sets <html lang dir>: right to left for Arabic only', () => {
    const root = document.createElement('html');
    applyLanguage('ar', root);
    expect([root.lang, root.dir]).toEqual(['ar', 'rtl']);
    applyLanguage('ja', root);
    expect([root.lang, root.dir]).toEqual(['ja', 'ltr']);
  });
});

describe('translator', () => {
  it('fills placeholders, formatting numbers in the language', async () => {
    const de = createTranslator('de', await loadCatalog('de'));
    expect(de.t('endpoint.rate', { rate: 12500 })).toBe('12.500 Nachrichten/s');
    expect(english.t('endpoint.rate', { rate: 12500 })).toBe('12,500 messages/s');
    expect(de.t('logs.http', { code: '503' })).toBe('HTTP 503');
    expect(de.percent(0.975)).toBe('97,5\u00a0%');
    expect(english.percent(0.975)).toBe('97.5%');
  });

  it('picks the plural form of the count by the language’s rules', async () => {
    expect(english.t('endpoints.eventTypeCount', { count: 1 })).toBe('1 event type');
    expect(english.t('endpoints.eventTypeCount', { count: 3 })).toBe('3 event types');
    const ar = createTranslator('ar', await loadCatalog('ar'));
    expect(ar.t('secret.rotated', { count: 2 })).toContain('ساعتين');
    expect(ar.t('secret.rotated', { count: 5 })).toContain('ساعات');
    expect(ar.t('secret.rotated', { count: 24 })).toMatch(/ساعة\.$/);
    const ja = createTranslator('ja', await loadCatalog('ja'));
    expect(ja.t('endpoints.eventTypeCount', { count: 1 })).toBe('1 件のイベントタイプ');
  });

  it('formats dates and relative times in the language', async () => {
    const when = new Date('2026-12-07T14:05:09Z');
    const de = createTranslator('de', await loadCatalog('de'));
    expect(de.dateTime(when)).toMatch(/07\.12\.2026|7\. Dez\. 2026/);
    expect(english.dateTime(when)).toMatch(/Dec 7, 2026/);
    expect(de.relative(new Date(when.getTime() - 5 * 60_000), when)).toBe('vor 5 Minuten');
    expect(english.relative(new Date(when.getTime() - 86_400_000), when)).toBe('yesterday');
    const fr = createTranslator('fr', await loadCatalog('fr'));
    expect(fr.relative(new Date(when.getTime() + 3 * 3_600_000), when)).toBe('dans 3 heures');
  });

  it('builds a message with elements in its placeholders', () => {
    const parts = english.rich('testing.waiting', { id: 'msg_1' });
    expect(Array.isArray(parts) ? parts.length : 0).toBe(3);
  });
});
