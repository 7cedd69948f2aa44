import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '@hookline/test-support/console';
import { checkConsolePage, launchChromium, openConsoleAs, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

// A person's own account on the Team page, in a real Chromium against a running Hookline: whether
// two-step sign-in is on (as /console/v1/me says), and turning it on and off there.

let h: TestHookline;
let browser: Browser;
let tenantId: string;
const tabs: ConsoleTab[] = [];
// The state follows /console/v1/me, fetched again after each change: allow a loaded machine its time.
const SLOW = { timeout: 10_000 };

beforeAll(async () => {
  [h, browser] = await Promise.all([startTestHookline(), launchChromium()]);
  ({ tenantId } = await h.createTenant('Acme'));
});

afterAll(async () => {
  for (const tab of tabs) await tab.context.close().catch(() => {});
  await browser?.close();
  await h?.stop();
});

afterEach(() => {
  for (const tab of tabs) expect(tab.problems.splice(0)).toEqual([]);
});

describe('Team: two-step sign-in', () => {
  it('shows whether it is on, turns it on with a code from the key shown, and off with the password and a recovery code', async () => {
    const me = await openConsoleAs(browser, h, tenantId, 'developer', { path: '/team' });
    tabs.push(me);
    const { page } = me;
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    const state = page.getByTestId('totp-state');
    await expect.poll(() => state.innerText(), SLOW).toBe('Two-step sign-in: Off');
    // Only the way that applies is offered.
    expect(await page.getByRole('button', { name: 'Turn off two-step sign-in' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    const key = (await page.getByLabel('Authenticator key').textContent())!.trim();
    const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(key) }).generate();
    await page.getByLabel('Code from the app').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    const recovery = (await page.getByLabel('Recovery codes').textContent())!.split('\n');
    await expect.poll(() => state.innerText(), SLOW).toBe('Two-step sign-in: On');
    expect((await h.http.get('/console/v1/me').set(me.person.headers).expect(200)).body.totpEnabled).toBe(true);
    await checkConsolePage(page, 'team-totp-on', { screenshot: false });

    await page.reload();
    await expect.poll(() => state.innerText(), SLOW).toBe('Two-step sign-in: On');
    expect(await page.getByRole('button', { name: 'Turn on two-step sign-in' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
    await page.getByLabel('Your password').fill(TEST_PASSWORD);
    await page.getByLabel('Code or recovery code').fill(recovery[0]!);
    await page.getByRole('button', { name: 'Turn off', exact: true }).click();
    await expect.poll(() => state.innerText(), SLOW).toBe('Two-step sign-in: Off');
    expect((await h.http.get('/console/v1/me').set(me.person.headers).expect(200)).body.totpEnabled).toBe(false);
    await me.context.close();
  });
});
