import { readableOn, textOn } from './contrast.ts';

/** The brand the portal applies (GET /api/v1/portal-branding): null fields keep Hookline's look. */
export interface BrandLook {
  primaryColor: string | null;
  accentColor: string | null;
  fontFamily: string | null;
  radius: number | null;
}

// The darkest backgrounds text sits on in each theme (tokens.css --surface-2): the worst case for contrast.
const BACKGROUND = { light: '#f1f3f6', dark: '#1f232c' } as const;
const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * The CSS variables of a brand (docs/portal.md lists them). Links and focus rings use the accent
 * (else the primary) lightened or darkened until it reads on the theme's background; text on a
 * primary button is white or near-black, whichever reads. `keep` names what the link's URL already set.
 */
export function brandVariables(brand: BrandLook, options: { dark: boolean; keep?: { primary?: boolean; font?: boolean } }): Record<string, string> {
  const vars: Record<string, string> = {};
  const primary = !options.keep?.primary && brand.primaryColor && HEX.test(brand.primaryColor) ? brand.primaryColor : null;
  const accent = brand.accentColor && HEX.test(brand.accentColor) ? brand.accentColor : primary;
  if (primary) {
    vars['--primary'] = primary;
    vars['--on-primary'] = textOn(primary);
  }
  if (accent) {
    vars['--accent'] = accent;
    vars['--link'] = readableOn(accent, BACKGROUND[options.dark ? 'dark' : 'light']);
  }
  if (brand.fontFamily && !options.keep?.font) vars['--font'] = brand.fontFamily;
  if (brand.radius !== null && Number.isInteger(brand.radius) && brand.radius >= 0 && brand.radius <= 24) {
    vars['--radius'] = `${brand.radius}px`;
    vars['--radius-control'] = `${Math.min(brand.radius, 8)}px`;
  }
  return vars;
}

/** Sets the variables on the root element; the returned function takes them off again. */
export function applyBrandVariables(vars: Record<string, string>, root: HTMLElement = document.documentElement): () => void {
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
  return () => {
    for (const name of Object.keys(vars)) root.style.removeProperty(name);
  };
}
