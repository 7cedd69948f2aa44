/** Theme of the embedded portal, passed to it as URL parameters of the same names. */
export interface PortalTheme {
  /** Accent colour of buttons and links, any CSS colour (e.g. `#6d28d9`). */
  primaryColor?: string;
  /** Dark colour scheme. */
  darkMode?: boolean;
  /** CSS `font-family` of the portal's text (a font the portal page can load, e.g. a system font stack). */
  fontFamily?: string;
}

/** The message the portal posts to its parent window whenever its content height changes. */
export interface PortalResizeMessage {
  type: 'hookline:portal:resize';
  height: number;
}

/**
 * The iframe `src` for a portal access `url`: the theme and the embedding page's origin (where
 * the portal posts its height) added as query parameters. The `#token=…` fragment stays at the
 * end, untouched, so the token never reaches a server.
 *
 * @example
 * ```ts
 * buildPortalSrc('https://hooks.example.com/portal/#token=ey…', { darkMode: true }, 'https://app.example.com');
 * // 'https://hooks.example.com/portal/?darkMode=true&parentOrigin=https%3A%2F%2Fapp.example.com#token=ey…'
 * ```
 */
export function buildPortalSrc(url: string, theme: PortalTheme | undefined, parentOrigin: string): string {
  const src = new URL(url);
  if (theme?.primaryColor) src.searchParams.set('primaryColor', theme.primaryColor);
  if (theme?.darkMode !== undefined) src.searchParams.set('darkMode', String(theme.darkMode));
  if (theme?.fontFamily) src.searchParams.set('fontFamily', theme.fontFamily);
  src.searchParams.set('parentOrigin', parentOrigin);
  // URL keeps the hash as given (serialising does not re-encode it), after the new query.
  return src.href;
}

/** Whether a `message` event's data is the portal's resize message with a usable height. */
export function isPortalResizeMessage(data: unknown): data is PortalResizeMessage {
  if (typeof data !== 'object' || data === null) return false;
  const { type, height } = data as { type?: unknown; height?: unknown };
  return type === 'hookline:portal:resize' && typeof height === 'number' && Number.isFinite(height) && height >= 0 && height < 1_000_000;
}
