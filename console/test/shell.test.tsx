// @vitest-environment happy-dom
import { QueryClient } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { can, type Role } from '../src/api/access.ts';
import { ME_KEY, type Me } from '../src/api/me.ts';
import { App } from '../src/App.tsx';

// The shell as each role sees it, from a known `me` (seeded, fresh for a minute: nothing is fetched).

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
beforeEach(() => window.history.replaceState(null, '', '/console/'));

const meAs = (role: Role, tenants = 1): Me => ({
  id: 'psn_1',
  email: 'pat@example.com',
  name: 'Pat',
  currentTenantId: 'org_1',
  role,
  totpEnabled: false,
  hasPassword: true,
  tenants: Array.from({ length: tenants }, (_, i) => ({ id: `org_${i + 1}`, name: `Tenant ${i + 1}`, role: i === 0 ? role : 'viewer' })),
});

function renderAs(me: Me | null, ssoOffered: Record<string, boolean> = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 60_000, retry: false } } });
  queryClient.setQueryData(ME_KEY, me);
  for (const [tenant, enabled] of Object.entries(ssoOffered)) queryClient.setQueryData(['sso-discover', tenant], enabled);
  render(<App queryClient={queryClient} />);
}

const navLinks = () =>
  within(screen.getByRole('navigation', { name: 'Console' }))
    .getAllByRole('link')
    .map((a) => a.textContent);

describe('console shell', () => {
  it('mirrors the API’s access rules', () => {
    expect(can('viewer', 'read')).toBe(true);
    expect(can('viewer', 'write')).toBe(false);
    expect(can('developer', 'secret')).toBe(true);
    expect(can('developer', 'manage')).toBe(false);
    expect(can('admin', 'manage')).toBe(true);
    expect(can('admin', 'owner')).toBe(false);
    expect(can(null, 'read')).toBe(false);
  });

  it('shows an owner every page, and a viewer none that needs `manage`', async () => {
    renderAs(meAs('owner'));
    await screen.findByRole('heading', { name: 'Overview', level: 1 });
    expect(navLinks()).toEqual(['Overview', 'Applications', 'Messages', 'Endpoints', 'Event catalog', 'API keys', 'Team', 'Settings', 'Audit log']);
    cleanup();
    renderAs(meAs('viewer'));
    await screen.findByRole('heading', { name: 'Overview', level: 1 });
    expect(navLinks()).toEqual(['Overview', 'Applications', 'Messages', 'Endpoints', 'Event catalog', 'Team']);
  });

  it('says so when a role reaches a page it may not see, or a page does not exist', async () => {
    window.history.replaceState(null, '', '/console/settings');
    renderAs(meAs('developer'));
    await screen.findByRole('heading', { name: 'Your role does not include this page' });
    cleanup();
    window.history.replaceState(null, '', '/console/nowhere');
    renderAs(meAs('owner'));
    await screen.findByRole('heading', { name: 'Page not found', level: 1 });
  });

  it('offers a tenant chooser only to a person in several tenants', async () => {
    renderAs(meAs('admin'));
    await screen.findByRole('heading', { name: 'Overview', level: 1 });
    expect(screen.queryByLabelText('Tenant')).toBeNull();
    expect(screen.getByText('Tenant 1')).toBeTruthy();
    cleanup();
    renderAs(meAs('admin', 2));
    const chooser = await screen.findByLabelText('Tenant');
    expect([...(chooser as HTMLSelectElement).options].map((o) => o.text)).toEqual(['Tenant 1 (admin)', 'Tenant 2 (viewer)']);
  });

  it('signed out: the sign-in page at any address; the public pages whatever the session', async () => {
    window.history.replaceState(null, '', '/console/team');
    renderAs(null);
    await screen.findByRole('heading', { name: 'Sign in', level: 1 });
    expect(screen.getByRole('button', { name: 'Sign in with SSO' })).toBeTruthy();
    cleanup();
    window.history.replaceState(null, '', '/console/invite');
    renderAs(meAs('owner'));
    await screen.findByRole('heading', { name: 'Invitation link needed', level: 1 });
  });

  it('signed out with a known tenant: the SSO button only where that tenant offers SSO', async () => {
    window.history.replaceState(null, '', '/console/?tenant=org_sso');
    renderAs(null, { org_sso: true });
    await screen.findByRole('button', { name: 'Sign in with SSO' });
    cleanup();
    window.history.replaceState(null, '', '/console/?tenant=org_plain');
    renderAs(null, { org_plain: false });
    await screen.findByRole('button', { name: 'Use SSO of another tenant' });
    expect(screen.queryByRole('button', { name: 'Sign in with SSO' })).toBeNull();
  });

  it('signed in as the operator only: the operator page is the whole navigation', async () => {
    sessionStorage.setItem('hookline-operator-token', 'op-token');
    renderAs(null);
    await screen.findByRole('heading', { name: 'Operator', level: 1 });
    expect(navLinks()).toEqual(['Operator']);
    expect(window.location.pathname).toBe('/console/operator');
  });
});
