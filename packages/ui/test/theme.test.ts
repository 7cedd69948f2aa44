// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { applyThemeChoice, nextThemeChoice, storedTheme } from '../src/theme.ts';

afterEach(() => localStorage.clear());

describe('theme choice', () => {
  it('is system unless light or dark was chosen, and sets data-theme only for a choice', () => {
    expect(storedTheme()).toBe('system');
    localStorage.setItem('hookline-theme', 'dark');
    expect(storedTheme()).toBe('dark');
    localStorage.setItem('hookline-theme', 'purple');
    expect(storedTheme()).toBe('system');
    const root = document.createElement('html');
    applyThemeChoice('dark', root);
    expect(root.dataset.theme).toBe('dark');
    applyThemeChoice('system', root);
    expect(root.dataset.theme).toBeUndefined();
    expect(['system', 'light', 'dark'].map((c) => nextThemeChoice(c as 'system'))).toEqual(['light', 'dark', 'system']);
  });
});
