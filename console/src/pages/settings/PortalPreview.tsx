import type { CSSProperties } from 'react';
import './portalPreview.css';

/**
 * What the portal will look like with these defaults, drawn with the shared tokens and components
 * (the portal is built from the same ones): the theme's colour, font, light or dark mode and logo.
 */
export function PortalPreview({
  primaryColor,
  darkMode,
  fontFamily,
  logo,
  radius = '',
}: {
  primaryColor: string;
  darkMode: boolean;
  fontFamily: string;
  logo: string;
  /** The brand's corner radius in pixels, as typed. */
  radius?: string;
}) {
  // Only plain values reach CSS (as the portal itself accepts them); anything else keeps the default.
  const style = {
    ...(/^#?[0-9a-fA-F]{3,8}$|^[a-zA-Z]{3,20}$|^(rgb|hsl)a?\([\d\s.,%]+\)$/.test(primaryColor) ? { '--primary': primaryColor } : {}),
    ...(/^[\w\s,'"-]{1,120}$/.test(fontFamily) ? { '--font': fontFamily } : {}),
    ...(/^\d+$/.test(radius) && Number(radius) <= 24 ? { '--radius': `${radius}px` } : {}),
  } as CSSProperties;
  return (
    <figure className="portal-preview-figure">
      <figcaption className="muted small">Preview of the portal</figcaption>
      <div className={`portal-preview ${darkMode ? 'theme-dark' : 'theme-light'}`} style={style}>
        <p className="portal-preview-title">
          {/^(https:\/\/|data:image\/)/.test(logo) ? <img className="portal-preview-logo" src={logo} alt="Logo" /> : null}
          <span>Webhooks</span>
        </p>
        <div className="card">
          <p>
            <strong>https://example.com/webhooks</strong>
          </p>
          <p className="muted small">Receives invoice.paid, invoice.failed</p>
          <span className="btn primary small">Add endpoint</span> <span className="portal-preview-link">View messages</span>
        </div>
      </div>
    </figure>
  );
}
