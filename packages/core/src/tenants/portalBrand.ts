import { z } from 'zod';
import type { PortalBrand } from '@hookline/db';
import { portalLogoSchema } from './portalLogo.ts';

// A portal's brand, from the tenant's settings and overridable per portal link. Every value ends up
// in CSS or on the page, so each is a plain value of one strict form: nothing that could carry url(), ; or }.

const HEX = /^#[0-9a-fA-F]{6}$/;
/** Letters, digits, spaces, commas, quotes, dashes: a font-family list, never url(…), ; or {. */
const FONT_FAMILY = /^[\w\s,'"-]{1,120}$/;
/** The fonts the console offers; any other family list of the same plain form is accepted too. */
export const SAFE_FONTS = [
  'system-ui, sans-serif',
  'Inter, system-ui, sans-serif',
  'Roboto, Arial, sans-serif',
  'Helvetica Neue, Arial, sans-serif',
  'Georgia, serif',
  'ui-monospace, monospace',
] as const;
export const MAX_BRAND_RADIUS = 24;

const hex = z.string().regex(HEX, 'expected a colour as #rrggbb');

export const portalBrandSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, 'at least 1 character')
      .max(80, 'at most 80 characters')
      .regex(/^[^\p{Cc}<>]*$/u, 'no control characters, < or >')
      .optional()
      .describe('Shown at the top of the portal, above the application name'),
    primaryColor: hex.optional().describe('Buttons, the active tab, focus rings: #rrggbb'),
    accentColor: hex.optional().describe('Links and highlights: #rrggbb'),
    fontFamily: z
      .string()
      .regex(FONT_FAMILY, 'expected a CSS font-family list of letters, digits, spaces, commas, quotes and dashes (at most 120), e.g. "Inter, system-ui, sans-serif"')
      .optional(),
    radius: z
      .number()
      .int('whole pixels')
      .min(0, 'from 0 px')
      .max(MAX_BRAND_RADIUS, `to ${MAX_BRAND_RADIUS} px`)
      .optional()
      .describe('Corner radius of cards, in pixels'),
    poweredBy: z.boolean().optional().describe('false: hide "Powered by Hookline"'),
  })
  .meta({ id: 'PortalBrand' });

/** A portal link's own brand: the tenant's fields it names win; its logo must be an https URL (it travels in the token). */
export const portalBrandOverrideSchema = portalBrandSchema
  .extend({
    logo: portalLogoSchema.refine((v) => !v.startsWith('data:'), 'a link’s logo must be an https URL (a data: image only in the tenant’s settings)').optional(),
  })
  .meta({ id: 'PortalBrandOverride' });
export type PortalBrandOverride = z.output<typeof portalBrandOverrideSchema>;

export const portalBrandingOutSchema = z
  .object({
    logo: z.string().nullable().describe("The portal's logo: an https URL or a data:image URL; null: none"),
    name: z.string().nullable(),
    primaryColor: z.string().nullable(),
    accentColor: z.string().nullable(),
    fontFamily: z.string().nullable(),
    radius: z.number().nullable(),
    poweredBy: z.boolean().describe('Show "Powered by Hookline"'),
  })
  .meta({ id: 'PortalBrandingOut' });
export type PortalBrandingOut = z.output<typeof portalBrandingOutSchema>;

/** The brand a portal shows: the link's override over the tenant's settings, field by field. */
export function mergeBrand(tenant: { brand: PortalBrand | null; logo: string | null }, override: PortalBrandOverride | undefined): PortalBrandingOut {
  const b = { ...tenant.brand, ...override };
  return {
    logo: override?.logo ?? tenant.logo,
    name: b.name ?? null,
    primaryColor: b.primaryColor ?? null,
    accentColor: b.accentColor ?? null,
    fontFamily: b.fontFamily ?? null,
    radius: b.radius ?? null,
    poweredBy: b.poweredBy ?? true,
  };
}
