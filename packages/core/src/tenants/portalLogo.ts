import { z } from 'zod';

// A tenant's portal logo: an https URL (the portal loads it from there), or the image itself as a
// small base64 data: URL. Raster types only: an SVG can carry script and outside references.

export const LOGO_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/** The largest image a data: URL may hold, decoded. */
export const LOGO_MAX_BYTES = 48 * 1024;
const URL_MAX = 2048;
const DATA_URL = /^data:([\w/+.-]+);base64,([A-Za-z0-9+/]*={0,2})$/;

const decodedBytes = (base64: string) => Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);

/** Why `value` is not an acceptable logo, or undefined when it is. */
export function logoProblem(value: string): string | undefined {
  if (value.startsWith('data:')) {
    const m = DATA_URL.exec(value);
    if (!m) return 'a data: URL must be base64: data:<image type>;base64,<data>';
    if (!(LOGO_IMAGE_TYPES as readonly string[]).includes(m[1]!)) return `the image type must be one of ${LOGO_IMAGE_TYPES.join(', ')} (got ${m[1]})`;
    const bytes = decodedBytes(m[2]!);
    if (bytes === 0) return 'the image is empty';
    if (bytes > LOGO_MAX_BYTES)
      return `the image is ${bytes} bytes; at most ${LOGO_MAX_BYTES} bytes (${LOGO_MAX_BYTES / 1024} KiB) fit in a data: URL: use an https URL for a larger one`;
    return undefined;
  }
  if (value.length > URL_MAX) return `an https URL of at most ${URL_MAX} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected an https URL or a data:image URL';
  }
  if (url.protocol !== 'https:') return 'expected an https URL or a data:image URL';
  if (url.username || url.password) return 'the URL must not carry a user name or password';
  return undefined;
}

export const portalLogoSchema = z
  .string()
  .max(100_000, 'at most 100000 characters')
  .superRefine((value, ctx) => {
    const problem = logoProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(`An https URL, or a base64 data: URL of a ${LOGO_IMAGE_TYPES.join(', ')} image of at most ${LOGO_MAX_BYTES} bytes`);

/** What the audit log says of a logo: the URL, or a data: URL's type and size (not the image). */
export function logoForAudit(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = DATA_URL.exec(value);
  return m ? `${m[1]} image, ${decodedBytes(m[2]!)} bytes` : value;
}
