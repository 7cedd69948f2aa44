import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionAs, type ConsoleSession } from '@hookline/test-support/console';
import { checkConsolePage, launchChromium, openConsole, openConsoleAs, signInWithPassword, waitForShell, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// The console's Team, API keys and Settings pages in a real Chromium against a running Hookline:
// an owner invites a viewer who then can change nothing anywhere (and whose forged writes get 403),
// an API key made in the page works against the API until revoked, and settings saved in the page
// are what the API holds.

let h: TestHookline;
let browser: Browser;
let tenantId: string;
let apiKey: string;
let receiver: Receiver;
let owner: ConsoleTab & { person: ConsoleSession };
const tabs: ConsoleTab[] = [];

beforeAll(async () => {
  [h, browser, receiver] = await Promise.all([startTestHookline(), launchChromium(), startReceiver()]);
  ({ tenantId, apiKey } = await h.createTenant('Acme'));
  owner = await openConsoleAs(browser, h, tenantId, 'owner', { path: '/team' });
  tabs.push(owner);
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  await browser?.close();
  await receiver?.close();
  await h?.stop();
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function goTo(page: Page, path: string, title: string): Promise<void> {
  await page.goto(`${h.url}/console${path}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  // Wait for the page's data: no "Loading …" left.
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

/**
 * Every enabled control in the page's main area that could change something: buttons, inputs,
 * selects and text areas, except those that only look (search, filters, paging, tabs, copy, retry,
 * show/hide, the overview's time window) and those in `personal` sections (a person's own sessions and sign-in).
 */
function writeControls(page: Page, personal: string[] = []): Promise<string[]> {
  return page.evaluate((personalTitles) => {
    const main = document.querySelector('main')!;
    const looking =
      /^(search|filter|clear|apply|reset filters|next|previous|newer|older|load more|more|try again|copy|show|hide|details|refresh|close|cancel|last (hour|day|week))\b/i;
    const inReadOnlyPlace = (el: Element) =>
      el.closest('[role="search"], .filters, .pager, [role="tablist"]') !== null ||
      personalTitles.some((t) => el.closest('section')?.querySelector(':scope > h2')?.textContent === t);
    const nameOf = (el: Element) =>
      (el.getAttribute('aria-label') || (el as HTMLInputElement).labels?.[0]?.textContent || el.textContent || (el as HTMLInputElement).name || '').trim();
    return [...main.querySelectorAll('button, input, select, textarea')]
      .filter((el) => !(el as HTMLButtonElement).disabled && !inReadOnlyPlace(el))
      .filter((el) => !(el.tagName === 'BUTTON' && looking.test(nameOf(el))))
      .map((el) => `${el.tagName.toLowerCase()}: ${nameOf(el)}`);
  }, personal);
}

describe('Team: inviting a viewer', () => {
  let viewer: ConsoleTab;
  const viewerEmail = `vera-${Date.now()}@example.com`;

  it('lets the owner invite through the page, shows the link, and the viewer joins with it and signs in', async () => {
    const { page } = owner;
    await goTo(page, '/team', 'Team');
    // The members the page lists are the API's.
    const before = await h.http.get('/console/v1/members').set(owner.person.headers).expect(200);
    const rows = page.locator('table:has(caption:text("Members")) tbody tr');
    await expect.poll(() => rows.count()).toBe(before.body.data.length);
    await expect(rows.first().textContent()).resolves.toContain(owner.person.email);
    await checkConsolePage(page, 'team');

    await page.getByLabel('Email to invite').fill(viewerEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const link = (await page.getByLabel('Invitation link').textContent())!;
    expect(link).toMatch(new RegExp(`^${h.url}/console/invite#hki_`));
    await checkConsolePage(page, 'team-invited');

    // The viewer takes the link in their own browser…
    const joining = await openConsole(browser, h, { path: link.slice(`${h.url}/console`.length) });
    tabs.push(joining);
    await joining.page.getByLabel('Your name').fill('Vera Viewer');
    await joining.page.getByLabel('Password').fill('a viewer password of some length');
    await joining.page.getByRole('button', { name: 'Join and sign in' }).click();
    await waitForShell(joining.page);
    await joining.context.close();

    // …and later signs in with the password they chose.
    viewer = await openConsole(browser, h);
    tabs.push(viewer);
    await signInWithPassword(viewer.page, viewerEmail, 'a viewer password of some length');
    await waitForShell(viewer.page);

    const after = await h.http.get('/console/v1/members').set(owner.person.headers).expect(200);
    expect(after.body.data.find((m: { email: string }) => m.email === viewerEmail)).toMatchObject({ name: 'Vera Viewer', role: 'viewer' });
    await page.reload();
    await page.getByRole('combobox', { name: `Role of ${viewerEmail}` }).waitFor();
    await expect(page.getByRole('combobox', { name: `Role of ${viewerEmail}` }).inputValue()).resolves.toBe('viewer');
  });

  it('shows the viewer no control that changes anything, on every page they may open', async () => {
    const { page } = viewer;
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect(nav.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
    await expect(nav.getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);
    const pages = [
      ['/', 'Overview'],
      ['/applications', 'Applications'],
      ['/messages', 'Messages'],
      ['/endpoints', 'Endpoints'],
      ['/event-catalog', 'Event catalog'],
    ] as const;
    for (const [path, title] of pages) {
      await goTo(page, path, title);
      expect(await writeControls(page), `${title}: controls a viewer cannot use`).toEqual([]);
      // Other helpers' pages: axe only, their own tests take their screenshots.
      await checkConsolePage(page, `viewer-${title}`, { screenshot: false });
    }
    await goTo(page, '/team', 'Team');
    // A viewer's Team page is their own account only: no members, no single sign-on.
    await expect(page.getByRole('heading', { name: 'Members' }).count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'Single sign-on' }).count()).resolves.toBe(0);
    await page.getByRole('heading', { name: 'Your sessions' }).waitFor();
    expect(await writeControls(page, ['Your sessions', 'Two-step sign-in'])).toEqual([]);
    // The check sees controls at all (it would pass on an empty page otherwise): the personal ones count without the exemption.
    expect(await writeControls(page)).toContain('button: Turn on two-step sign-in');
    await checkConsolePage(page, 'team-viewer');
  });

  it("refuses the viewer's forged writes with 403 (their session and the CSRF header, from the page)", async () => {
    const statuses = await viewer.page.evaluate(async () => {
      const send = (method: string, url: string, body: unknown) =>
        fetch(url, { method, headers: { 'content-type': 'application/json', 'x-hookline-csrf': '1' }, body: JSON.stringify(body) }).then((r) => r.status);
      return [
        await send('POST', '/api/v1/app', { name: 'forged' }),
        await send('POST', '/console/v1/members/invites', { email: 'mallory@example.com', role: 'owner' }),
        await send('PATCH', '/console/v1/settings', { retentionDays: 1 }),
        await send('POST', '/console/v1/api-keys', { name: 'forged' }),
      ];
    });
    expect(statuses).toEqual([403, 403, 403, 403]);
    // Nothing changed: the session is the viewer's, it just may not write.
    expect(await viewer.page.evaluate(() => fetch('/api/v1/app').then((r) => r.status))).toBe(200);
    const apps = await h.http.get('/api/v1/app').set(bearer(apiKey)).expect(200);
    expect(apps.body.data.map((a: { name: string }) => a.name)).not.toContain('forged');
    const keys = await h.http.get('/console/v1/api-keys').set(bearer(apiKey)).expect(200);
    expect(keys.body.data.map((k: { name: string }) => k.name)).not.toContain('forged');
  });
});

describe('Team: pending invitations', () => {
  it('lists what the API holds, resends (the old link stops working) and revokes (the link stops working), audited', async () => {
    const { page } = owner;
    const email = `pending-${Date.now()}@example.com`;
    const sent = await h.http.post('/console/v1/members/invites').set(owner.person.headers).send({ email, role: 'developer' }).expect(201);
    const firstToken = new URL(sent.body.url as string).hash.slice(1);
    await goTo(page, '/team', 'Team');
    const table = page.getByRole('table', { name: 'Pending invitations' });
    const row = table.locator('tbody tr', { hasText: email });
    await row.waitFor();
    const listed = (await h.http.get('/console/v1/members/invites').set(owner.person.headers).expect(200)).body.data as Array<{
      email: string;
      invitedBy: { personId: string; name: string };
    }>;
    const mine = listed.find((i) => i.email === email)!;
    expect(mine.invitedBy.personId).toBe(owner.person.personId);
    await expect(row.innerText()).resolves.toMatch(new RegExp(`^${email}\\s+developer\\s+${mine.invitedBy.name}\\s+\\w`));
    await checkConsolePage(page, 'team-invitations');

    await page.getByRole('button', { name: `Resend the invitation of ${email}` }).click();
    const newLink = (await page.getByLabel('New invitation link').textContent())!;
    expect(newLink).toMatch(new RegExp(`^${h.url}/console/invite#hki_`));
    const preview = (token: string) => h.http.post('/console/v1/invites/preview').send({ token });
    await preview(firstToken).expect(404);
    const newToken = new URL(newLink).hash.slice(1);
    await preview(newToken).expect(200);

    await page.getByRole('button', { name: `Revoke the invitation of ${email}` }).click();
    await checkConsolePage(page, 'team-invitation-revoke', { screenshot: false });
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await preview(newToken).expect(404);
    // The revoked link, opened in a browser, says it is spent.
    const spent = await openConsole(browser, h, { path: `/invite#${newToken}` });
    tabs.push(spent);
    await spent.page.getByRole('alert').waitFor();
    await spent.context.close();
    const pending = (await h.http.get('/console/v1/members/invites').set(owner.person.headers).expect(200)).body.data as Array<{ email: string }>;
    expect(pending.map((i) => i.email)).not.toContain(email);
    const audit = (await h.http.get('/api/v1/audit-log').set(owner.person.headers).expect(200)).body.data as Array<{ action: string; actor: { id: string } }>;
    for (const action of ['member.invite.resent', 'member.invite.revoked']) {
      expect(audit.find((r) => r.action === action)?.actor.id, action).toBe(owner.person.personId);
    }
  });
});

describe('Team: managing a member', () => {
  it("changes a member's role and removes them through the page, as the API then holds", async () => {
    const { page } = owner;
    const dev = await sessionAs(h, tenantId, 'developer');
    await goTo(page, '/team', 'Team');
    await page.getByLabel(`Role of ${dev.email}`).selectOption('admin');
    const roleOf = async () =>
      ((await h.http.get('/console/v1/members').set(owner.person.headers).expect(200)).body.data as { email: string; role: string }[]).find((m) => m.email === dev.email)
        ?.role;
    await expect.poll(roleOf).toBe('admin');
    await page.getByRole('button', { name: `Remove ${dev.email}` }).click();
    await checkConsolePage(page, 'team-remove');
    await page.getByRole('button', { name: 'Remove member' }).click();
    await expect.poll(roleOf).toBeUndefined();
    await expect.poll(() => page.getByLabel(`Role of ${dev.email}`).count()).toBe(0);
    // Their session no longer reaches the tenant.
    await h.http.get('/api/v1/app').set(dev.headers).expect(403);
  });
});

describe('API keys', () => {
  it('creates a key shown once that works against the API, rotates it, and revokes it (401)', async () => {
    const { page } = owner;
    await goTo(page, '/api-keys', 'API keys');
    await checkConsolePage(page, 'api-keys');
    await page.getByLabel('Key name').fill('CI deploys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByLabel('New API key').textContent())!;
    await checkConsolePage(page, 'api-keys-created');

    await h.http.get('/api/v1/app').set(bearer(key)).expect(200);
    const listed = await h.http.get('/console/v1/api-keys').set(bearer(apiKey)).expect(200);
    const made = listed.body.data.find((k: { name: string }) => k.name === 'CI deploys');
    expect(key.startsWith(made.prefix)).toBe(true);
    // The last use is recorded after the answer (apiKeys.ts), so a loaded machine may list it a moment later.
    const lastUsed = async () =>
      ((await h.http.get('/console/v1/api-keys').set(bearer(apiKey)).expect(200)).body.data as Array<{ id: string; lastUsedAt: string | null }>).find(
        (k) => k.id === made.id,
      )?.lastUsedAt;
    await expect.poll(lastUsed).not.toBeNull();
    // The page shows the key's last use once it reloads its list.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    const row = page.locator(`tr[data-key-id="${made.id}"]`);
    await expect(row.locator('td').nth(4).textContent()).resolves.not.toBe('Never');
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('Active');

    // Rotate with no overlap: the old key stops now, the new one works.
    await page.getByRole('button', { name: 'Rotate CI deploys' }).click();
    await page.getByLabel('Old key keeps working for').selectOption('0');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const rotated = (await page.getByLabel('New API key').textContent())!;
    expect(rotated).not.toBe(key);
    await h.http.get('/api/v1/app').set(bearer(rotated)).expect(200);
    await h.http.get('/api/v1/app').set(bearer(key)).expect(401);

    // Revoke the new one in the page: its next request is refused.
    const newId = (await h.http.get('/console/v1/api-keys').set(bearer(apiKey)).expect(200)).body.data.find(
      (k: { name: string; expiresAt: string | null }) => k.name === 'CI deploys' && k.expiresAt === null,
    ).id as string;
    await page.locator(`tr[data-key-id="${newId}"]`).getByRole('button', { name: 'Revoke CI deploys' }).click();
    await checkConsolePage(page, 'api-keys-revoke');
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => page.locator(`tr[data-key-id="${newId}"] td`).nth(2).textContent()).toBe('Revoked');
    await h.http.get('/api/v1/app').set(bearer(rotated)).expect(401);
  });
});

describe('Settings', () => {
  it("shows the API's 422 on its field and changes nothing, then saves what the API then holds, with the preview in the chosen theme", async () => {
    const { page } = owner;
    await goTo(page, '/settings', 'Settings');
    await checkConsolePage(page, 'settings');
    const before = (await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body;

    const retention = page.getByLabel('Retention (days)');
    await retention.fill(String(before.installation.messageRetentionDays + 1));
    await page.getByLabel('Retry schedule (seconds)').fill('5, 60, 600');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => retention.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await retention.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toContain(String(before.installation.messageRetentionDays));
    expect(await page.getByLabel('Retry schedule (seconds)').getAttribute('aria-invalid')).toBeNull();
    expect((await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body).toEqual(before);
    await checkConsolePage(page, 'settings-invalid');

    await retention.fill('7');
    await page.getByLabel('Primary colour').fill('#0a7d5a');
    await page.getByLabel('Dark mode').check();
    // The preview follows the form before anything is saved.
    const preview = page.locator('.portal-preview');
    await expect(preview.evaluate((el) => getComputedStyle(el).getPropertyValue('--primary').trim())).resolves.toBe('#0a7d5a');
    await expect(preview.getAttribute('class')).resolves.toContain('theme-dark');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const after = (await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body;
    expect(after).toMatchObject({ retrySchedule: [5, 60, 600], retentionDays: 7, portal: { theme: { primaryColor: '#0a7d5a', darkMode: true } } });
    // A reload shows what the API holds.
    await page.reload();
    await expect(page.getByLabel('Retry schedule (seconds)').inputValue()).resolves.toBe('5, 60, 600');
    await checkConsolePage(page, 'settings-saved');
    // On a phone the form and the preview stack, and nothing is cut off.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await checkConsolePage(page, 'settings-narrow');
    await page.setViewportSize({ width: 1200, height: 800 });
  });

  it('refuses a bad brand field on itself, and saves the brand the portal reads', async () => {
    const { page } = owner;
    await goTo(page, '/settings', 'Settings');
    const main = page.getByLabel('Main colour');
    const radius = page.getByLabel('Corner radius (px)');
    await main.fill('teal');
    await radius.fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => main.getAttribute('aria-invalid')).toBe('true');
    expect(await radius.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await main.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toContain('#rrggbb');
    await checkConsolePage(page, 'settings-brand-invalid', { screenshot: false });

    await main.fill('#0f766e');
    await radius.fill('6');
    await page.getByLabel('Brand name').fill('Acme Cloud');
    await page.getByLabel('Typeface').fill('Georgia, serif');
    await page.getByLabel('Show “Powered by Hookline”').uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const brand = { name: 'Acme Cloud', primaryColor: '#0f766e', fontFamily: 'Georgia, serif', radius: 6, poweredBy: false };
    expect((await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body.portal.brand).toEqual(brand);
    await h.http
      .patch('/console/v1/settings')
      .set(bearer(apiKey))
      .send({ portal: { brand: null } })
      .expect(200);
  });

  it('refuses a bad logo on its field, previews an uploaded one, saves it, and the customer portal shows it', async () => {
    const { page } = owner;
    await goTo(page, '/settings', 'Settings');
    const logo = page.getByLabel('Logo', { exact: true });
    await logo.fill('http://cdn.example.com/logo.png');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => logo.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await logo.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toContain('https URL');
    expect((await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body.portal.logo).toBeNull();

    // A 1x1 PNG, uploaded from "this computer".
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.locator('input[type="file"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
    const previewLogo = page.locator('.portal-preview img');
    await expect.poll(() => previewLogo.getAttribute('src')).toBe(dataUrl);
    await expect.poll(() => logo.inputValue()).toBe('An uploaded image');
    await checkConsolePage(page, 'settings-logo', { screenshot: false });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body.portal.logo).toBe(dataUrl);

    // The customer portal of this tenant shows it (and its CSP lets it).
    const app = (await h.http.post('/api/v1/app').set(bearer(apiKey)).send({ name: 'Logo customer' }).expect(201)).body.id as string;
    const access = await h.http.post(`/api/v1/auth/app-portal-access/${app}`).set(bearer(apiKey)).send({}).expect(200);
    const portalTab = await openConsole(browser, h);
    tabs.push(portalTab);
    await portalTab.page.goto(access.body.url as string);
    const portalLogo = portalTab.page.getByRole('img', { name: 'Logo' });
    await portalLogo.waitFor();
    expect(await portalLogo.getAttribute('src')).toBe(dataUrl);
    await expect.poll(() => portalLogo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    await portalTab.context.close();

    // Removed again: the portal shows its own mark.
    await page.getByRole('button', { name: 'Remove logo' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await h.http.get('/console/v1/settings').set(bearer(apiKey)).expect(200)).body.portal.logo).toBeNull();
  });

  it('adds an operational webhook endpoint that receives signed events, and deletes it', async () => {
    const { page } = owner;
    await goTo(page, '/settings', 'Settings');
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('Description').fill('Ops alerts');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const row = page.locator('table:has(caption:text("Operational webhook endpoints")) tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    const listed = (await h.http.get('/api/v1/operational-webhook/endpoint').set(bearer(apiKey)).expect(200)).body.data;
    expect(listed).toMatchObject([{ url: receiver.url, description: 'Ops alerts' }]);
    await expect(row.first().textContent()).resolves.toContain('Ops alerts');
    await checkConsolePage(page, 'settings-operational');

    // An endpoint made through the API is an operational event: it arrives signed with the endpoint's secret.
    const app = await h.http.post('/api/v1/app').set(bearer(apiKey)).send({ name: 'Ops test' }).expect(201);
    await h.http.post(`/api/v1/app/${app.body.id}/endpoint`).set(bearer(apiKey)).send({ url: 'https://example.com/hook' }).expect(201);
    const [delivered] = await receiver.waitFor(1, 20_000);
    const secret = (await h.http.get(`/api/v1/operational-webhook/endpoint/${listed[0].id}/secret`).set(bearer(apiKey)).expect(200)).body.key as string;
    expect(new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)).toMatchObject({ type: 'endpoint.created' });

    await page.getByRole('button', { name: `Delete ${receiver.url}` }).click();
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText('No operational webhook endpoints').waitFor();
    expect((await h.http.get('/api/v1/operational-webhook/endpoint').set(bearer(apiKey)).expect(200)).body.data).toEqual([]);
  });
});
