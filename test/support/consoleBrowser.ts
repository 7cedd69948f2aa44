import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '@hookline/core';
import { expectAccessible } from './axe.ts';
import { sessionAs, TEST_PASSWORD, type ConsoleSession } from './console.ts';
import type { TestHookline } from './hookline.ts';

// The vendor console in a real headless Chromium (Debian's, never a downloaded one), for
// test/e2e/console*.test.ts: open it, sign in (through its form, or with a session made through
// the API for tests about other pages), and check each page visited: no serious or critical axe
// violation, in light and dark, with a screenshot of each in docs/screenshots.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** What went wrong in the page: CSP violations, uncaught errors (expect it to stay empty). */
  problems: string[];
}

export interface OpenOptions {
  /** Console-relative, e.g. '/team' (default '/'). */
  path?: string;
  width?: number;
  height?: number;
  /** A session cookie (`hookline_session=…`) to start with; none by default. */
  cookie?: string;
}

/** A fresh browser context with the console open at `path`. */
export async function openConsole(browser: Browser, h: TestHookline, options: OpenOptions = {}): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1200, height: options.height ?? 800 } });
  if (options.cookie) {
    const [name, value] = options.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: h.url, httpOnly: true, sameSite: 'Lax' }]);
  }
  const page = await context.newPage();
  const problems: string[] = [];
  // Chromium logs each CSP violation to the console.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(10_000);
  await page.goto(`${h.url}/console${options.path ?? '/'}`);
  return { context, page, problems };
}

/** Signs in through the console's form (the page must show it) and waits for the shell's navigation. */
export async function signInWithPassword(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Waits until the signed-in shell shows (its navigation). */
export async function waitForShell(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/**
 * A person with `role` in the tenant (made through an operator invitation and the API), and a
 * console tab already signed in as them at `path`: for tests of a page rather than of sign-in.
 */
export async function openConsoleAs(
  browser: Browser,
  h: TestHookline,
  tenantId: string,
  role: Role,
  options: Omit<OpenOptions, 'cookie'> = {},
): Promise<ConsoleTab & { person: ConsoleSession }> {
  const person = await sessionAs(h, tenantId, role);
  const tab = await openConsole(browser, h, { ...options, cookie: person.headers.cookie });
  await waitForShell(tab.page);
  return { ...tab, person };
}

export type Theme = 'light' | 'dark';

/** Shows the page in `theme` (as the console's toggle would). */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
}

/**
 * Checks a console page as it is now, in light and in dark: no serious or critical axe violation,
 * and a full-page screenshot docs/screenshots/console-<name>-<theme>.png. Call it on every page a test visits.
 */
export async function checkConsolePage(page: Page, name: string, options: { screenshot?: boolean } = {}): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const before = await page.evaluate(() => document.documentElement.dataset.theme ?? null);
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await expectAccessible(page, `console ${name} (${theme})`);
    if (options.screenshot !== false) await page.screenshot({ path: `${SCREENSHOTS}console-${name}-${theme}.png`, fullPage: true, animations: 'disabled' });
  }
  await page.evaluate((t) => (t ? (document.documentElement.dataset.theme = t) : delete document.documentElement.dataset.theme), before);
}
