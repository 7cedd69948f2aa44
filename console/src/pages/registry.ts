import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Access } from '../api/access.ts';
import type { PageProps } from './pageProps.ts';

// Every page of the console, in navigation order. A page is one module under pages/<slug>/ whose
// default export takes PageProps (pageProps.ts); it is loaded when first visited (React.lazy), so the first render
// carries only the shell. To build a page, replace its module's body: nothing here changes.

export interface ConsolePage {
  /** The first path segment ('' for the overview at /console/). */
  slug: string;
  title: string;
  /** Who sees it: a signed-in person whose role allows `access`, or the operator (token). */
  audience: { person: Access } | 'operator';
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

export const PAGES: readonly ConsolePage[] = [
  { slug: '', title: 'Overview', audience: { person: 'read' }, component: lazy(() => import('./overview/OverviewPage.tsx')) },
  { slug: 'applications', title: 'Applications', audience: { person: 'read' }, component: lazy(() => import('./applications/ApplicationsPage.tsx')) },
  { slug: 'messages', title: 'Messages', audience: { person: 'read' }, component: lazy(() => import('./messages/MessagesPage.tsx')) },
  { slug: 'endpoints', title: 'Endpoints', audience: { person: 'read' }, component: lazy(() => import('./endpoints/EndpointsPage.tsx')) },
  { slug: 'event-catalog', title: 'Event catalog', audience: { person: 'read' }, component: lazy(() => import('./eventCatalog/EventCatalogPage.tsx')) },
  { slug: 'api-keys', title: 'API keys', audience: { person: 'manage' }, component: lazy(() => import('./apiKeys/ApiKeysPage.tsx')) },
  // Everyone has a Team page: their own sessions and two-step sign-in; members and SSO need `manage`/`owner`.
  { slug: 'team', title: 'Team', audience: { person: 'read' }, component: lazy(() => import('./team/TeamPage.tsx')) },
  { slug: 'settings', title: 'Settings', audience: { person: 'manage' }, component: lazy(() => import('./settings/SettingsPage.tsx')) },
  { slug: 'audit-log', title: 'Audit log', audience: { person: 'manage' }, component: lazy(() => import('./auditLog/AuditLogPage.tsx')) },
  { slug: 'operator', title: 'Operator', audience: 'operator', component: lazy(() => import('./operator/OperatorPage.tsx')) },
];

/** The page a console-relative path's first segment names, or undefined (not found). */
export function pageOf(segments: readonly string[]): ConsolePage | undefined {
  return PAGES.find((p) => p.slug === (segments[0] ?? ''));
}
