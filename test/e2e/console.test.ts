import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { operatorInvite, sessionAs, TEST_PASSWORD, type ConsoleSession } from '@hookline/test-support/console';
import { checkConsolePage, launchChromium, openConsole, openConsoleAs, signInWithPassword, waitForShell, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startOidcProvider, type TestOidcProvider } from '@hookline/test-support/oidcProvider';

// The vendor console's foundation in a real Chromium against a running Hookline: serving, every way
// in (password, TOTP, recovery code, SSO with a real OpenID provider, invitation, operator token),
// tenant switching and signing out. Each page visited is checked with axe in light and dark.

let h: TestHookline;
let browser: Browser;
let idp: TestOidcProvider;
let acme: string;
let globex: string;
const tabs: ConsoleTab[] = [];

beforeAll(async () => {
  // The first start's bootstrap makes the owner invitation the log prints (it names no address).
  [h, browser] = await Promise.all([startTestHookline({ HOOKLINE_BOOTSTRAP: 'true' }), launchChromium()]);
  ({ tenantId: acme } = await h.createTenant('Acme'));
  ({ tenantId: globex } = await h.createTenant('Globex'));
  idp = await startOidcProvider(`${h.url}/console/v1/sso/callback`);
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  await browser?.close();
  await idp?.stop();
  await h?.stop();
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

async function open(options: Parameters<typeof openConsole>[2] = {}): Promise<ConsoleTab> {
  const tab = await openConsole(browser, h, options);
  tabs.push(tab);
  return tab;
}

/** The signed-in person as the page's own session sees it. */
const meInPage = (tab: ConsoleTab) =>
  tab.page.evaluate(async () => {
    const res = await fetch('/console/v1/me');
    return res.ok ? ((await res.json()) as { email: string; currentTenantId: string | null; role: string | null }) : res.status;
  });

const codeAt = (secret: string, offsetSteps: number) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

/** Turns TOTP on for `who` through the API (with the current step's code); returns the secret and recovery codes. */
async function enrolTotp(who: ConsoleSession): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await h.http.post('/console/v1/me/totp').set(who.headers).expect(201);
  const secret = started.body.secret as string;
  const confirmed = await h.http
    .post('/console/v1/me/totp/confirm')
    .set(who.headers)
    .send({ code: codeAt(secret, 0) })
    .expect(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

describe('serving /console', () => {
  it('answers every console address with the app under a CSP that forbids framing, and leaves /console/v1 to the API', async () => {
    for (const path of ['/console/', '/console/team', '/console/invite']) {
      const res = await h.http.get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.text).toContain('<div id="root">');
    }
    await h.http.get('/console').expect(301).expect('location', '/console/');
    await h.http.get('/console/v1/no-such-route').expect(404).expect('content-type', /json/);
    await h.http.get('/console/assets/no-such-file.js').expect(404);
  });
});

describe('signing in', () => {
  it('takes the first start’s owner invitation: asks for an address, then signs the new owner in', async () => {
    const token = h.hookline.bootstrap!.ownerInviteToken;
    const { page } = await open({ path: `/invite#${token}` });
    await page.getByRole('heading', { name: 'Join your team', level: 1 }).waitFor();
    // The token leaves the address bar at once.
    expect(new URL(page.url()).hash).toBe('');
    // The page asked what the link is for: this one names no address, so the form asks for one.
    await page.getByText('You are invited to default as owner.').waitFor();
    await checkConsolePage(page, 'invite');
    await page.getByLabel('Your email').fill('olivia@example.com');
    await page.getByLabel('Your name').fill('Olivia Owner');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await waitForShell(page);
    await page.getByText('default', { exact: true }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
    // Every page an owner may open is in the navigation.
    const nav = page.getByRole('navigation', { name: 'Console' });
    for (const title of ['Overview', 'Applications', 'Messages', 'Endpoints', 'Event catalog', 'API keys', 'Team', 'Settings', 'Audit log']) {
      await nav.getByRole('link', { name: title, exact: true }).waitFor();
    }
    await checkConsolePage(page, 'overview');
  });

  it('signs in with email and password, visits every page by keyboard-usable links, and signs out', async () => {
    const admin = await sessionAs(h, acme, 'admin');
    const tab = await open();
    const { page } = tab;
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await checkConsolePage(page, 'sign-in');
    await signInWithPassword(page, admin.email, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Could not sign in.' }).waitFor();
    await signInWithPassword(page, admin.email);
    await waitForShell(page);
    await page.getByText('Acme', { exact: true }).waitFor();

    const nav = page.getByRole('navigation', { name: 'Console' });
    for (const [title, path] of [
      ['Applications', '/console/applications'],
      ['Messages', '/console/messages'],
      ['Endpoints', '/console/endpoints'],
      ['Event catalog', '/console/event-catalog'],
      ['API keys', '/console/api-keys'],
      ['Team', '/console/team'],
      ['Settings', '/console/settings'],
      ['Audit log', '/console/audit-log'],
      ['Overview', '/console/'],
    ] as const) {
      await nav.getByRole('link', { name: title, exact: true }).click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(path);
      await expect.poll(() => nav.getByRole('link', { name: title, exact: true }).getAttribute('aria-current')).toBe('page');
      // The new page's heading has focus, so a screen reader announces it.
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      await checkConsolePage(page, title.toLowerCase().replace(/ /g, '-'), { screenshot: false });
    }
    // A reload of a deep address shows the same page (the API serves the app for it).
    await page.goto(`${h.url}/console/team`);
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();

    // The account menu (a disclosure whose button names the person).
    await page.getByText('admin person', { exact: true }).first().click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await meInPage(tab)).toBe(401);
  });

  it('asks for the second factor: a code from the app, or a recovery code', async () => {
    const person = await sessionAs(h, acme, 'developer');
    const { secret, recoveryCodes } = await enrolTotp(person);

    const first = await open();
    await signInWithPassword(first.page, person.email);
    await first.page.getByRole('heading', { name: 'Two-step sign-in', level: 1 }).waitFor();
    await checkConsolePage(first.page, 'sign-in-totp');
    // The next step's code: enrolment used this one, and each step counts once (one step of drift is allowed).
    await first.page.getByLabel('Authentication code').fill(codeAt(secret, 1));
    await first.page.getByRole('button', { name: 'Verify' }).click();
    await waitForShell(first.page);
    expect(await meInPage(first)).toMatchObject({ email: person.email, role: 'developer' });

    const second = await open();
    await signInWithPassword(second.page, person.email);
    await second.page.getByRole('button', { name: 'Use a recovery code' }).click();
    await second.page.getByLabel('Recovery code').fill('not-a-code-000');
    await second.page.getByRole('button', { name: 'Verify' }).click();
    await second.page.getByRole('alert').filter({ hasText: 'Could not sign in.' }).waitFor();
    await second.page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await second.page.getByRole('button', { name: 'Verify' }).click();
    await waitForShell(second.page);
  });

  it('signs in with the tenant’s OpenID provider from the SSO button', async () => {
    const owner = await sessionAs(h, acme, 'owner');
    await h.http
      .put('/console/v1/sso/config')
      .set(owner.headers)
      .send({
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        allowedEmailDomains: ['corp.example'],
        defaultRole: 'viewer',
        jitProvisioning: true,
      })
      .expect(200);
    idp.login({ email: 'sam@corp.example', name: 'Sam Single' });

    // The link an owner shares names the tenant, so the button goes straight to the provider.
    const tab = await open({ path: `/?tenant=${acme}` });
    await tab.page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await waitForShell(tab.page);
    expect(new URL(tab.page.url()).pathname).toBe('/console/');
    expect(await meInPage(tab)).toMatchObject({ email: 'sam@corp.example', currentTenantId: acme, role: 'viewer' });
    // A viewer's navigation has no page that needs `manage`.
    const nav = tab.page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Team', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    // …and says so when reached by its address.
    await tab.page.goto(`${h.url}/console/api-keys`);
    await tab.page.getByRole('heading', { name: 'Your role does not include this page' }).waitFor();
  });

  it('asks for the tenant when the SSO link names none, and says so when that tenant has no SSO', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByLabel('Tenant ID').waitFor();
    await checkConsolePage(page, 'sign-in-sso');
    await page.getByLabel('Tenant ID').fill(globex);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await page.getByRole('alert').filter({ hasText: 'This tenant does not offer single sign-on' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
  });

  it('says why when the provider’s answer was refused, in its own words', async () => {
    const { page } = await open({ path: '/?sso_error=forbidden' });
    const alert = page.getByRole('alert').filter({ hasText: 'Single sign-on did not sign you in.' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('you are not a member');
    await checkConsolePage(page, 'sign-in-sso-refused', { screenshot: false });
  });

  it('shows no SSO button for a tenant without SSO, only the way to another tenant’s', async () => {
    const { page } = await open({ path: `/?tenant=${globex}` });
    await page.getByRole('button', { name: 'Use SSO of another tenant' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in with SSO' }).count()).toBe(0);
  });

  it('asks a person with an account for their current password only, and says when a link is spent', async () => {
    const person = await sessionAs(h, acme, 'developer');
    const token = await operatorInvite(h, globex, person.email, 'admin');
    const { page } = await open({ path: `/invite#${token}` });
    await page.getByText(`You are invited to Globex as admin (${person.email}).`).waitFor();
    expect(await page.getByLabel('Your name').count()).toBe(0);
    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    await waitForShell(page);
    const spent = await open({ path: `/invite#${token}` });
    await spent.page.getByRole('heading', { name: 'Invitation not valid', level: 1 }).waitFor();
    await checkConsolePage(spent.page, 'invite-spent', { screenshot: false });
  });

  it('signs the operator in with the operator token, kept for the tab only', async () => {
    const { page } = await open({ path: '/operator' });
    await page.getByRole('heading', { name: 'Operator sign-in', level: 1 }).waitFor();
    await checkConsolePage(page, 'operator-sign-in');
    await page.getByLabel('Operator token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in as operator' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not sign in as the operator.' }).waitFor();
    await page.getByLabel('Operator token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in as operator' }).click();
    await page.getByRole('heading', { name: 'Operator', level: 1 }).waitFor();
    // The navigation renders beside the page's heading, not before it: wait for it to settle.
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect.poll(() => nav.getByRole('link').allTextContents(), { timeout: 10_000 }).toEqual(['Operator']);
    expect(await page.evaluate(() => [sessionStorage.getItem('hookline-operator-token'), localStorage.getItem('hookline-operator-token')])).toEqual([ADMIN_TOKEN, null]);
  });

  it('shows the password-reset pages (their API is built separately)', async () => {
    const { page } = await open();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password', level: 1 }).waitFor();
    await checkConsolePage(page, 'forgot-password');
    await page.goto(`${h.url}/console/reset#hkr_example`);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await checkConsolePage(page, 'reset-password');
  });
});

describe('the signed-in shell', () => {
  it('switches between the tenants a person belongs to, with the role of each', async () => {
    const person = await sessionAs(h, acme, 'owner');
    const invite = await operatorInvite(h, globex, person.email, 'viewer');
    await h.http.post('/console/v1/invites/accept').set({ origin: h.url, 'x-hookline-csrf': '1' }).send({ token: invite, password: TEST_PASSWORD }).expect(200);

    const tab = await open({ cookie: person.headers.cookie });
    const { page } = tab;
    await waitForShell(page);
    const tenant = page.getByLabel('Tenant');
    const current = (await meInPage(tab)) as { currentTenantId: string };
    const other = current.currentTenantId === acme ? globex : acme;
    await tenant.selectOption(other);
    await expect.poll(async () => ((await meInPage(tab)) as { currentTenantId: string }).currentTenantId).toBe(other);
    // The switcher shows the tenant once the page has the switch's answer, which can come after the check's own request.
    await expect.poll(() => tenant.inputValue()).toBe(other);
    // The navigation follows the role in the tenant now current.
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect.poll(() => nav.getByRole('link', { name: 'API keys' }).count()).toBe(other === globex ? 0 : 1);
    await checkConsolePage(page, 'tenant-switch', { screenshot: false });
  });

  it('fits a 375 px screen, with the navigation as a row under the header', async () => {
    const tab = await openConsoleAs(browser, h, acme, 'developer', { width: 375, height: 740 });
    tabs.push(tab);
    const overflow = await tab.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await checkConsolePage(tab.page, 'overview-narrow');
    // Keyboard: the first Tab reaches the skip link, which moves focus to the page.
    await tab.page.keyboard.press('Tab');
    expect(await tab.page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await tab.page.keyboard.press('Enter');
    expect(await tab.page.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});
