import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme, readPortalParams, startResizeReporting } from './embed.ts';
import { allowedApiOrigins, mountPath, resolveApiBase } from './api/apiOrigin.ts';
import { takeTokenFromLocation } from './api/session.ts';
import '@hookline/ui/tokens.css';
import '@hookline/ui/components.css';
import './styles.css';

const params = readPortalParams();
applyTheme(params);
startResizeReporting(params.parentOrigin);
const token = takeTokenFromLocation();
const apiBase = resolveApiBase(params.apiBase, {
  ownOrigin: window.location.origin,
  allowed: allowedApiOrigins(),
  basePath: mountPath(),
  development: import.meta.env.MODE === 'development',
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App initialToken={token} apiBase={apiBase} />
    </StrictMode>,
  );
}
