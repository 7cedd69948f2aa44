import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme, readPortalParams, startResizeReporting } from './embed.ts';
import { allowedApiOrigins, mountPath, resolveApiBase } from './api/apiOrigin.ts';
import { takeTokenFromLocation } from './api/session.ts';
import { loadCatalog } from './i18n/catalog.ts';
import { I18nProvider } from './i18n/I18nProvider.tsx';
import { applyLanguage, pickLanguage } from './i18n/language.ts';
import { createTranslator, english } from './i18n/translator.ts';
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

const language = pickLanguage(params.lang, navigator.languages);
applyLanguage(language);

const root = document.getElementById('root');
if (root) {
  const mount = root;
  void loadCatalog(language)
    .then((catalog) => createTranslator(language, catalog))
    // A translation that does not load (a new deploy replaced its chunk): English, not a blank page.
    .catch(() => {
      applyLanguage('en');
      return english;
    })
    .then((translator) => {
      document.title = translator.t('app.documentTitle');
      createRoot(mount).render(
        <StrictMode>
          <I18nProvider translator={translator}>
            <App initialToken={token} apiBase={apiBase} />
          </I18nProvider>
        </StrictMode>,
      );
    });
}
