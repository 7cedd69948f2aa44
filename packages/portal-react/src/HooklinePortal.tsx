import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { buildPortalSrc, isPortalResizeMessage, type PortalTheme } from './portalUrl.ts';

/** Props of {@link HooklinePortal}. */
export interface HooklinePortalProps {
  /** The `url` returned by `POST /api/v1/auth/app-portal-access/{app}`, with its `#token=…` fragment. */
  url: string;
  /** Colours and font of the portal; passed to it as URL parameters. */
  theme?: PortalTheme;
  /** Least height in pixels; also the height until the portal first reports its own (then 400 when unset). */
  minHeight?: number;
  /** Accessible name of the iframe. Default "Webhooks portal". */
  title?: string;
  className?: string;
  style?: CSSProperties;
}

/**
 * The Hookline customer portal of one application, embedded as an iframe that grows and shrinks
 * with its content (the portal posts its height to this page; messages from any other origin
 * are ignored).
 *
 * Get `url` on your server with the API key (never expose the key to the browser), then render:
 *
 * @example
 * ```tsx
 * import { HooklinePortal } from '@hookline/portal-react';
 *
 * // const { url } = await svix.authentication.appPortalAccess('acme', {}); // on your server
 * export function WebhooksPage({ url }: { url: string }) {
 *   return <HooklinePortal url={url} theme={{ primaryColor: '#6d28d9', darkMode: false, fontFamily: 'Inter, sans-serif' }} />;
 * }
 * ```
 *
 * The portal must be allowed to be framed by your site: set `HOOKLINE_PORTAL_FRAME_ANCESTORS`.
 */
export function HooklinePortal({ url, theme, minHeight, title = 'Webhooks portal', className, style }: HooklinePortalProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number | undefined>(undefined);
  const { primaryColor, darkMode, fontFamily } = theme ?? {};
  // Only primitive inputs in the deps: a theme object literal re-created on every render must not reload the iframe.
  const src = useMemo(() => buildPortalSrc(url, { primaryColor, darkMode, fontFamily }, window.location.origin), [url, primaryColor, darkMode, fontFamily]);
  const portalOrigin = useMemo(() => new URL(url).origin, [url]);

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      // Another frame or origin could post the same shape: only our portal's own window counts.
      if (event.origin !== portalOrigin || !isPortalResizeMessage(event.data)) return;
      if (frame.current && event.source !== frame.current.contentWindow) return;
      setHeight(Math.ceil(event.data.height));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [portalOrigin]);

  return (
    <iframe
      ref={frame}
      src={src}
      title={title}
      className={className}
      style={{ width: '100%', border: 0, display: 'block', ...style, height: height === undefined ? (minHeight ?? 400) : Math.max(height, minHeight ?? 0) }}
    />
  );
}
