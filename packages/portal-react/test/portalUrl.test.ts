import { describe, expect, it } from 'vitest';
import { buildPortalSrc, isPortalResizeMessage } from '../src/index.ts';

describe('buildPortalSrc', () => {
  it('adds the theme and the parent origin as query parameters and keeps the token fragment last', () => {
    const src = buildPortalSrc(
      'https://hooks.example.com/portal/#token=eyJ.a-b_c.d',
      { primaryColor: '#6d28d9', darkMode: true, fontFamily: 'Inter, sans-serif' },
      'https://app.example.com',
    );
    const url = new URL(src);
    expect(url.origin + url.pathname).toBe('https://hooks.example.com/portal/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      primaryColor: '#6d28d9',
      darkMode: 'true',
      fontFamily: 'Inter, sans-serif',
      parentOrigin: 'https://app.example.com',
    });
    expect(src.endsWith('#token=eyJ.a-b_c.d')).toBe(true);
  });

  it('leaves out what the theme does not set, and keeps darkMode false', () => {
    const url = new URL(buildPortalSrc('http://127.0.0.1:8080/portal/#token=t', { darkMode: false }, 'http://localhost:3000'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ darkMode: 'false', parentOrigin: 'http://localhost:3000' });
    expect(new URL(buildPortalSrc('http://127.0.0.1:8080/portal/#token=t', undefined, 'http://a.test')).search).toBe('?parentOrigin=http%3A%2F%2Fa.test');
  });
});

describe('isPortalResizeMessage', () => {
  it('accepts only the namespaced type with a usable height', () => {
    expect(isPortalResizeMessage({ type: 'hookline:portal:resize', height: 812 })).toBe(true);
    for (const bad of [
      null,
      'hookline:portal:resize',
      { type: 'resize', height: 10 },
      { type: 'hookline:portal:resize', height: '10' },
      { type: 'hookline:portal:resize', height: Number.NaN },
      { type: 'hookline:portal:resize', height: -1 },
      { type: 'hookline:portal:resize', height: 1e9 },
    ]) {
      expect(isPortalResizeMessage(bad)).toBe(false);
    }
  });
});
