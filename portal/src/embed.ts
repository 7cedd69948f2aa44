/** Portal options from the URL query: theme, language, API base and the embedding parent's origin. */
export interface PortalParams {
  apiBase: string;
  parentOrigin: string | null;
  primaryColor: string | null;
  darkMode: boolean;
  fontFamily: string | null;
  /** `lang`: a BCP 47 tag the portal should speak (see i18n/language.ts); null: the browser's languages. */
  lang: string | null;
}

const COLOR = /^(#?[0-9a-fA-F]{6}|#?[0-9a-fA-F]{8}|#[0-9a-fA-F]{3,4}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([\d\s.,%]+\))$/;
const FONT = /^[\w\s,'"-]{1,120}$/;

export function readPortalParams(search: string = window.location.search): PortalParams {
  const p = new URLSearchParams(search);
  const primary = p.get('primaryColor');
  const font = p.get('fontFamily');
  const origin = p.get('parentOrigin');
  let parentOrigin: string | null = null;
  try {
    if (origin) parentOrigin = new URL(origin).origin;
  } catch {
    parentOrigin = null;
  }
  return {
    apiBase: (p.get('apiBase') ?? '').replace(/\/+$/, ''),
    parentOrigin,
    // Only plain colour and font values: they end up in CSS.
    primaryColor: primary && COLOR.test(primary) ? (/^([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(primary) ? `#${primary}` : primary) : null,
    darkMode: p.get('darkMode') === 'true',
    fontFamily: font && FONT.test(font) ? font : null,
    lang: p.get('lang'),
  };
}

/** Sets the theme's CSS variables on the document root. */
export function applyTheme(params: PortalParams, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = params.darkMode ? 'dark' : 'light';
  if (params.primaryColor) root.style.setProperty('--primary', params.primaryColor);
  if (params.fontFamily) root.style.setProperty('--font', params.fontFamily);
}

/**
 * Reports the content height to the embedding page (`hookline:portal:resize`), only to the origin
 * the embedder named in `parentOrigin`: never '*', so no other page learns about the portal.
 */
export function startResizeReporting(parentOrigin: string | null): () => void {
  if (!parentOrigin || window.parent === window) return () => {};
  let last = -1;
  const post = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'hookline:portal:resize', height }, parentOrigin);
  };
  const observer = new ResizeObserver(post);
  observer.observe(document.body);
  post();
  return () => observer.disconnect();
}
