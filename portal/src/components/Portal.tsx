import { useState } from 'react';
import { useApi } from '../api/apiContext.tsx';
import { useBranding } from '../api/useBranding.ts';
import { useBrandTheme } from '../brand/useBrandTheme.ts';
import { useApplication } from '../api/useEndpoints.ts';
import { EndpointDetail } from './EndpointDetail.tsx';
import { EndpointFormPage } from './EndpointFormPage.tsx';
import { EndpointList } from './EndpointList.tsx';
import { EventCatalog } from './EventCatalog.tsx';
import { Logs } from './Logs.tsx';
import { Pollers } from './Pollers.tsx';
import { NotificationSettings } from './NotificationSettings.tsx';
import type { Route } from './route.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';

const TABS = [
  { view: 'endpoints', label: 'portal.tabs.endpoints' },
  { view: 'catalog', label: 'portal.tabs.catalog' },
  { view: 'logs', label: 'portal.tabs.logs' },
  { view: 'pollers', label: 'portal.tabs.pollers' },
  { view: 'notifications', label: 'portal.tabs.notifications' },
] as const;

export function Portal() {
  const { t } = useI18n();
  const [route, setRoute] = useState<Route>({ view: 'endpoints' });
  const app = useApplication();
  const brand = useBranding().data;
  useBrandTheme(brand);
  const logo = brand?.logo;
  const brandName = brand?.name;
  const { session } = useApi();
  const readOnly = !session.capabilities.has('ManageEndpoint');
  const section = route.view === 'catalog' || route.view === 'logs' || route.view === 'pollers' || route.view === 'notifications' ? route.view : 'endpoints';
  const go = (r: Route) => {
    setRoute(r);
    window.scrollTo?.(0, 0);
  };
  return (
    <div className="shell portal-shell">
      <header className="topbar">
        <div className="brand">
          {logo ? (
            <img className="brand-logo" src={logo} alt={brandName ? t('brand.logoAlt', { name: brandName }) : t('portal.logoAlt')} />
          ) : (
            <span className="logo" aria-hidden="true">
              ⚓
            </span>
          )}
          <div>
            <p className="eyebrow">{brandName ?? t('portal.eyebrow')}</p>
            <p className="app-name">{app.data?.name ?? ' '}</p>
          </div>
        </div>
        {readOnly && (
          <span className="badge badge-neutral" title={t('portal.readOnlyHint')}>
            {t('portal.readOnly')}
          </span>
        )}
      </header>
      <nav className="tabs" aria-label={t('portal.tabsLabel')}>
        {TABS.map((tab) => (
          <button
            key={tab.view}
            type="button"
            className={section === tab.view ? 'tab active' : 'tab'}
            aria-current={section === tab.view ? 'page' : undefined}
            onClick={() => go({ view: tab.view })}
          >
            {t(tab.label)}
          </button>
        ))}
      </nav>
      <main className="content">
        {route.view === 'endpoints' && <EndpointList go={go} />}
        {route.view === 'new-endpoint' && <EndpointFormPage go={go} />}
        {route.view === 'edit-endpoint' && <EndpointFormPage go={go} id={route.id} />}
        {route.view === 'endpoint' && <EndpointDetail id={route.id} go={go} />}
        {route.view === 'catalog' && <EventCatalog />}
        {route.view === 'logs' && <Logs />}
        {route.view === 'pollers' && <Pollers />}
        {route.view === 'notifications' && <NotificationSettings />}
      </main>
      {brand && brand.poweredBy && (
        <footer className="powered-by">
          <p>{t('brand.poweredBy')}</p>
        </footer>
      )}
    </div>
  );
}
