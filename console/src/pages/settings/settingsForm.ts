import { ApiError, type Schemas } from '@hookline/ui';

// The Settings form's text fields and the API's patch: an empty field means "the installation's"
// (null), so a tenant can go back to the default by clearing it.

export type TenantSettings = Schemas['TenantSettingsOut'];
export type SettingsPatch = Schemas['TenantSettingsPatch'];

export interface SettingsDraft {
  retrySchedule: string;
  retentionDays: string;
  primaryColor: string;
  darkMode: boolean;
  fontFamily: string;
  frameAncestors: string;
  logo: string;
  brandName: string;
  brandPrimary: string;
  brandAccent: string;
  brandFont: string;
  brandRadius: string;
  poweredBy: boolean;
}

type Brand = NonNullable<TenantSettings['portal']['brand']>;
const BRAND_FIELDS = {
  name: 'brandName',
  primaryColor: 'brandPrimary',
  accentColor: 'brandAccent',
  fontFamily: 'brandFont',
  radius: 'brandRadius',
  poweredBy: 'poweredBy',
} as const satisfies Record<keyof Brand, keyof SettingsDraft>;

export function draftOf(s: TenantSettings): SettingsDraft {
  return {
    retrySchedule: s.retrySchedule?.join(', ') ?? '',
    retentionDays: s.retentionDays === null ? '' : String(s.retentionDays),
    primaryColor: s.portal.theme?.primaryColor ?? '',
    darkMode: s.portal.theme?.darkMode ?? false,
    fontFamily: s.portal.theme?.fontFamily ?? '',
    frameAncestors: s.portal.frameAncestors ?? '',
    logo: s.portal.logo ?? '',
    brandName: s.portal.brand?.name ?? '',
    brandPrimary: s.portal.brand?.primaryColor ?? '',
    brandAccent: s.portal.brand?.accentColor ?? '',
    brandFont: s.portal.brand?.fontFamily ?? '',
    brandRadius: s.portal.brand?.radius === undefined ? '' : String(s.portal.brand.radius),
    poweredBy: s.portal.brand?.poweredBy ?? true,
  };
}

/**
 * A number, or what was typed when it is none: the API answers that with a 422 on its field, where
 * NaN (null in JSON) would read as "the installation's" for the retention.
 */
const numberOf = (text: string): number => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : (text as unknown as number));

export function patchOf(d: SettingsDraft): SettingsPatch {
  const schedule = d.retrySchedule.trim();
  const retention = d.retentionDays.trim();
  const theme = {
    ...(d.primaryColor.trim() ? { primaryColor: d.primaryColor.trim() } : {}),
    ...(d.darkMode ? { darkMode: true } : {}),
    ...(d.fontFamily.trim() ? { fontFamily: d.fontFamily.trim() } : {}),
  };
  const brand: Brand = {
    ...(d.brandName.trim() ? { name: d.brandName.trim() } : {}),
    ...(d.brandPrimary.trim() ? { primaryColor: d.brandPrimary.trim() } : {}),
    ...(d.brandAccent.trim() ? { accentColor: d.brandAccent.trim() } : {}),
    ...(d.brandFont.trim() ? { fontFamily: d.brandFont.trim() } : {}),
    ...(d.brandRadius.trim() ? { radius: numberOf(d.brandRadius.trim()) } : {}),
    ...(d.poweredBy ? {} : { poweredBy: false }),
  };
  return {
    retrySchedule: schedule ? schedule.split(/[\s,]+/).map(numberOf) : null,
    retentionDays: retention ? numberOf(retention) : null,
    portal: {
      theme: Object.keys(theme).length > 0 ? theme : null,
      frameAncestors: d.frameAncestors.trim() || null,
      logo: d.logo.trim() || null,
      brand: Object.keys(brand).length > 0 ? brand : null,
    },
  };
}

/** The first 422 problem under each field of the form, by its dotted path ('portal.theme.primaryColor'). */
export function settingsFieldErrors(error: unknown): Partial<Record<keyof SettingsDraft, string>> {
  if (!(error instanceof ApiError) || typeof error.detail === 'string') return {};
  const out: Partial<Record<keyof SettingsDraft, string>> = {};
  for (const issue of error.detail) {
    const path = issue.loc.slice(1).map(String);
    const field = fieldAt(path);
    if (field) out[field] ??= issue.msg;
  }
  return out;
}

function fieldAt(path: string[]): keyof SettingsDraft | null {
  const [top, second, third] = path;
  if (top === 'retrySchedule' || top === 'retentionDays') return top;
  if (top !== 'portal') return null;
  if (second === 'frameAncestors') return 'frameAncestors';
  if (second === 'logo') return 'logo';
  if (second === 'brand') return third && third in BRAND_FIELDS ? BRAND_FIELDS[third as keyof Brand] : 'brandName';
  if (second === 'theme') return third === 'darkMode' ? 'darkMode' : third === 'fontFamily' ? 'fontFamily' : 'primaryColor';
  return null;
}
