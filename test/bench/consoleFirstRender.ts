// `node test/bench/consoleFirstRender.ts`: the console's size on the wire and its time to first
// render in Debian's Chromium against a running Hookline on loopback (docs/performance.md). A
// measurement, not a test: it prints medians and fails only when the console does not render.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@hookline/test-support/consoleBrowser';
import { benchEnv, startDatabases, startRole } from './cluster.ts';
import { ADMIN_TOKEN } from './tenant.ts';

const ROUNDS = 7;
const assets = fileURLToPath(new URL('../../console/dist/assets/', import.meta.url));
const files = readdirSync(assets).map((name) => {
  const body = readFileSync(`${assets}${name}`);
  return { name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
});
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const entry = files.filter((f) => /^index-.*\.(js|css)$/.test(f.name));
const pages = files.filter((f) => /Page-.*\.js$/.test(f.name));
console.log(`entry (shell, React, TanStack Query, client): ${entry.map((f) => `${f.name} ${kib(f.raw)} (${kib(f.gzip)} gzip)`).join(', ')}`);
console.log(`pages, loaded when first visited: ${pages.length}, ${kib(Math.min(...pages.map((p) => p.gzip)))}-${kib(Math.max(...pages.map((p) => p.gzip)))} gzip each`);
console.log(`all assets: ${kib(files.reduce((n, f) => n + f.raw, 0))} (${kib(files.reduce((n, f) => n + f.gzip, 0))} gzip)`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dbs = await startDatabases(process.env.DATABASE_URL);
const api = await startRole('api', benchEnv(await dbs.create('render')));
const browser = await launchChromium();
/** JSON from the api, failing on any other status than `status`. */
async function call(path: string, init: RequestInit, status: number): Promise<Response> {
  const res = await fetch(`${api.url}${path}`, init);
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}
try {
  // An owner signed in the browser's way: an operator invitation, taken with a password.
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const tenant = (await (await call('/admin/v1/tenants', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'render' }) }, 201)).json()) as { id: string };
  const invite = (await (
    await call(`/admin/v1/tenants/${tenant.id}/invites`, { method: 'POST', headers: admin, body: JSON.stringify({ email: 'render@example.com', role: 'owner' }) }, 201)
  ).json()) as { url: string };
  const accepted = await call(
    '/console/v1/invites/accept',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api.url, 'x-hookline-csrf': '1' },
      body: JSON.stringify({ token: new URL(invite.url).hash.slice(1), password: 'correct horse battery staple', name: 'Render' }),
    },
    200,
  );
  const [name, value] = accepted.headers
    .getSetCookie()
    .find((c) => c.startsWith('hookline_session='))!
    .split(';')[0]!
    .split('=') as [string, string];
  const signedOut: number[] = [];
  const overview: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [cookie, heading, into] of [
      [false, 'Sign in', signedOut],
      [true, 'Overview', overview],
    ] as const) {
      // A fresh context each time: nothing cached, as a first visit.
      const context = await browser.newContext();
      if (cookie) await context.addCookies([{ name, value, url: api.url, httpOnly: true, sameSite: 'Lax' }]);
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${api.url}/console/`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor({ timeout: 20_000 });
      into.push(performance.now() - t0);
      await context.close();
    }
  }
  console.log(
    `first render, cold cache, median of ${ROUNDS}: sign-in page ${median(signedOut).toFixed(0)} ms; signed in, the Overview's heading ${median(overview).toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  await api.stop();
  await dbs.close();
}
