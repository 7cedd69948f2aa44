import { useState } from 'react';
import { useApi } from '../api/apiContext.tsx';
import { useBranding } from '../api/useBranding.ts';
import { useApplication } from '../api/useEndpoints.ts';
import { EndpointDetail } from './EndpointDetail.tsx';
import { EndpointFormPage } from './EndpointFormPage.tsx';
import { EndpointList } from './EndpointList.tsx';
import { EventCatalog } from './EventCatalog.tsx';
import { Logs } from './Logs.tsx';
import type { Route } from './route.ts';

const TABS: { view: 'endpoints' | 'catalog' | 'logs'; label: string }[] = [
  { view: 'endpoints', label: 'Endpoints' },
  { view: 'catalog', label: 'Event catalog' },
  { view: 'logs', label: 'Logs' },
];

export function Portal() {
  const [route, setRoute] = useState<Route>({ view: 'endpoints' });
  const app = useApplication();
  const logo = useBranding().data?.logo;
  const { session } = useApi();
  const readOnly = !session.capabilities.has('ManageEndpoint');
  const section = route.view === 'catalog' || route.view === 'logs' ? route.view : 'endpoints';
  const go = (r: Route) => {
    setRoute(r);
    window.scrollTo?.(0, 0);
  };
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          {logo ? (
            <img className="brand-logo" src={logo} alt="Logo" />
          ) : (
            <span className="logo" aria-hidden="true">
              ⚓
            </span>
          )}
          <div>
            <p className="eyebrow">Webhooks</p>
            <p className="app-name">{app.data?.name ?? ' '}</p>
          </div>
        </div>
        {readOnly && (
          <span className="badge badge-neutral" title="Your link lets you view, not change">
            Read-only access
          </span>
        )}
      </header>
      <nav className="tabs" aria-label="Portal sections">
        {TABS.map((t) => (
          <button
            key={t.view}
            type="button"
            className={section === t.view ? 'tab active' : 'tab'}
            aria-current={section === t.view ? 'page' : undefined}
            onClick={() => go({ view: t.view })}
          >
            {t.label}
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
      </main>
    </div>
  );
}
