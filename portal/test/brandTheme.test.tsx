// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { brandVariables, type BrandLook } from '../src/brand/brandVariables.ts';
import { contrastRatio } from '../src/brand/contrast.ts';
import { useBrandTheme } from '../src/brand/useBrandTheme.ts';

const NONE: BrandLook = { primaryColor: null, accentColor: null, fontFamily: null, radius: null };
const BRAND: BrandLook = { primaryColor: '#0f766e', accentColor: '#1e3a8a', fontFamily: 'Georgia, serif', radius: 4 };

function Probe({ brand }: { brand: BrandLook | undefined }) {
  useBrandTheme(brand);
  return null;
}

const root = document.documentElement;
const variable = (name: string) => root.style.getPropertyValue(name);

afterEach(() => {
  cleanup();
  root.removeAttribute('style');
  delete root.dataset.theme;
  window.history.replaceState(null, '', '/portal/');
});

describe('the brand as CSS variables', () => {
  it('sets every variable of a brand on the root while shown, and takes them off after', () => {
    root.dataset.theme = 'light';
    const { unmount } = render(<Probe brand={BRAND} />);
    expect(variable('--primary')).toBe('#0f766e');
    expect(variable('--on-primary')).toBe('#ffffff');
    expect(variable('--accent')).toBe('#1e3a8a');
    expect(variable('--link')).toBe('#1e3a8a'); // already readable on the light background
    expect(variable('--font')).toBe('Georgia, serif');
    expect(variable('--radius')).toBe('4px');
    expect(variable('--radius-control')).toBe('4px');
    unmount();
    expect(variable('--primary')).toBe('');
    expect(variable('--radius')).toBe('');
  });

  it('sets nothing for an unbranded portal', () => {
    render(<Probe brand={NONE} />);
    expect(root.getAttribute('style') ?? '').toBe('');
  });

  it("keeps the link's own primaryColor and fontFamily (an embed's theme)", () => {
    window.history.replaceState(null, '', '/portal/?primaryColor=%23aa0000&fontFamily=Inter');
    render(<Probe brand={BRAND} />);
    expect(variable('--primary')).toBe('');
    expect(variable('--font')).toBe('');
    expect(variable('--accent')).toBe('#1e3a8a');
  });
});

describe('contrast', () => {
  it('lightens a dark accent for links in the dark theme until it reads (4.5:1)', () => {
    const dark = brandVariables(BRAND, { dark: true });
    expect(dark['--link']).not.toBe('#1e3a8a');
    expect(contrastRatio(dark['--link']!, '#1f232c')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(dark['--link']!, '#0f1115')).toBeGreaterThanOrEqual(4.5);
  });

  it('darkens a pale accent in the light theme, and puts dark text on a pale primary', () => {
    const pale = brandVariables({ ...NONE, primaryColor: '#fde68a' }, { dark: false });
    expect(pale['--on-primary']).toBe('#111827');
    expect(pale['--accent']).toBe('#fde68a');
    expect(contrastRatio(pale['--link']!, '#f1f3f6')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(pale['--link']!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('caps the control radius at 8 px and ignores values outside 0-24', () => {
    expect(brandVariables({ ...NONE, radius: 20 }, { dark: false })).toEqual({ '--radius': '20px', '--radius-control': '8px' });
    expect(brandVariables({ ...NONE, radius: 0 }, { dark: false })).toEqual({ '--radius': '0px', '--radius-control': '0px' });
    expect(brandVariables({ ...NONE, radius: 99 }, { dark: false })).toEqual({});
    expect(brandVariables({ ...NONE, primaryColor: 'red;}' }, { dark: false })).toEqual({});
  });
});
