import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkConsolePage, launchChromium, openConsole, openConsoleAs, setTheme, type ConsoleTab } from '@hookline/test-support/consoleBrowser';
import { ADMIN_TOKEN, startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';

// Every console page on a 375 px screen, in light and dark: the page body never scrolls sideways
// and every control is on screen (a wide table may scroll inside its own container); and by
// keyboard alone: each page is reached from the navigation with Tab and Enter, Tab reaches every
// control of the page, and each shows where the focus is.

let h: TestHookline;
let browser: Browser;
let receiver: Receiver;
let tenantId: string;
const tabs: ConsoleTab[] = [];
const NARROW = { width: 375, height: 740 };

beforeAll(async () => {
  [h, browser, receiver] = await Promise.all([startTestHookline(), launchChromium(), startReceiver()]);
  let apiKey: string;
  ({ tenantId, apiKey } = await h.createTenant('Narrow'));
  // Something on every page: an event type, an application with an endpoint, a delivered message.
  const key = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(key).send({ name: 'invoice.paid', description: 'An invoice was paid' }).expect(201);
  const app = (await h.http.post('/api/v1/app').set(key).send({ name: 'A customer with a rather long application name' }).expect(201)).body.id as string;
  await h.http
    .post(`/api/v1/app/${app}/endpoint`)
    .set(key)
    .send({ url: `${receiver.url}/a/rather/long/path/that/could/push/the/page/sideways`, description: 'Receives invoices' })
    .expect(201);
  await h.http
    .post(`/api/v1/app/${app}/msg`)
    .set(key)
    .send({ eventType: 'invoice.paid', payload: { invoiceId: 'in_42' } })
    .expect(202);
  await h.http.post('/console/v1/members/invites').set(key).send({ email: 'someone-invited@example.com', role: 'viewer' }).expect(201);
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

/** What is wrong with the page's width: sideways scrolling of the body, and controls off screen outside a scrolling container. */
function widthProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways (${root.scrollWidth} px wide in ${root.clientWidth})`);
    const scrollsInside = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (p === document.body) return false;
        if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (el.closest('.sr-only') || el.classList.contains('sr-only') || el.classList.contains('skip-link')) continue;
      if ((r.left < -1 || r.right > window.innerWidth + 1) && !scrollsInside(el)) {
        problems.push(
          `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" is off screen (${Math.round(r.left)}–${Math.round(r.right)})`,
        );
      }
    }
    return problems;
  });
}

/** The focused element: a name for it, whether it is in main, and whether its focus can be seen. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    const id = el.getAttribute('data-narrow-id') ?? String(Math.random());
    el.setAttribute('data-narrow-id', id);
    return { id, name, ring, inMain: el.closest('main') !== null };
  });

/**
 * Tabs through the whole page from its top: every control of main is reached, and each focus is
 * visible. Returns the problems found.
 */
async function keyboardProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  const tabbable = await page.evaluate(() => {
    document.querySelectorAll('[data-narrow-id]').forEach((el) => el.removeAttribute('data-narrow-id'));
    const main = document.querySelector('main')!;
    return [...main.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')]
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked && el.form?.querySelector(`input[name="${el.name}"]:checked`)))
      .map((el, i) => {
        el.setAttribute('data-tabbable', String(i));
        return i;
      }).length;
  });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen = new Set<string>();
  let last: string | null = null;
  let reachedInMain = new Set<string>();
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) continue;
    // A date and time field takes one Tab per part (day, month, …): the same element again is not a cycle.
    if (f.id === last) continue;
    if (seen.has(f.id)) break;
    last = f.id;
    seen.add(f.id);
    if (!f.ring) problems.push(`${f.name}: focus not visible`);
    if (f.inMain) {
      const index = await page.evaluate(() => document.activeElement?.getAttribute('data-tabbable') ?? null);
      if (index !== null) reachedInMain = new Set([...reachedInMain, index]);
    }
  }
  if (reachedInMain.size < tabbable) {
    const missed = await page.evaluate(
      (reached) => {
        return [...document.querySelectorAll('[data-tabbable]')]
          .filter((el) => !reached.includes(el.getAttribute('data-tabbable')!))
          .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`);
      },
      [...reachedInMain],
    );
    problems.push(...missed.map((m) => `${m}: not reached by Tab`));
  }
  await page.evaluate(() => document.querySelectorAll('[data-tabbable]').forEach((el) => el.removeAttribute('data-tabbable')));
  return problems;
}

/** Goes to a page the way a keyboard does: Tab until its link in the navigation has focus, then Enter. */
async function goByKeyboard(page: Page, title: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.closest('nav[aria-label="Console"]') ? el.textContent?.trim() : null;
    });
    if (here === title) {
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      return;
    }
  }
  throw new Error(`the navigation link to ${title} was not reached by Tab`);
}

async function checkNarrowPage(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    expect(await widthProblems(page), `${name} (${theme}) at 375 px`).toEqual([]);
  }
  expect(await keyboardProblems(page), `${name} by keyboard`).toEqual([]);
  await checkConsolePage(page, `${name}-narrow`, { screenshot: false });
}

describe('every console page at 375 px, in light and dark, by keyboard', () => {
  it("an owner's pages: reached from the navigation by Tab, nothing off screen, every control reached with a visible focus", async () => {
    const tab = await openConsoleAs(browser, h, tenantId, 'owner', NARROW);
    tabs.push(tab);
    const { page } = tab;
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await checkNarrowPage(page, 'overview');
    for (const title of ['Applications', 'Messages', 'Endpoints', 'Event catalog', 'API keys', 'Team', 'Settings', 'Audit log']) {
      await goByKeyboard(page, title);
      await checkNarrowPage(page, title.toLowerCase().replace(/ /g, '-'));
    }
    // A detail page too: the first application's.
    await goByKeyboard(page, 'Applications');
    await page.getByRole('link', { name: 'A customer with a rather long application name' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'A customer with a rather long application name' }).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
    await checkNarrowPage(page, 'application-detail');
  });

  it("the operator's page", async () => {
    const tab = await openConsole(browser, h, { path: '/operator', ...NARROW });
    tabs.push(tab);
    const { page } = tab;
    await page.getByRole('heading', { name: 'Operator sign-in', level: 1 }).waitFor();
    await checkNarrowPage(page, 'operator-sign-in');
    await page.getByLabel('Operator token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in as operator' }).click();
    await page.getByRole('heading', { name: 'Operator', level: 1 }).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
    await checkNarrowPage(page, 'operator');
  });

  it('the sign-in page', async () => {
    const tab = await openConsole(browser, h, NARROW);
    tabs.push(tab);
    await tab.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await checkNarrowPage(tab.page, 'sign-in');
  });
});
