import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;
let restricted: TestHookline;

const csp = (connect: string, frame: string) =>
  `default-src 'self'; img-src 'self' data: https:; connect-src ${connect}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${frame}`;

beforeAll(async () => {
  [h, restricted] = await Promise.all([
    startTestHookline({ HOOKLINE_ROLE: 'api' }),
    startTestHookline({
      HOOKLINE_ROLE: 'api',
      HOOKLINE_PORTAL_FRAME_ANCESTORS: "'self' https://app.example.com",
      HOOKLINE_PORTAL_API_ORIGINS: 'https://api.example.com, http://127.0.0.1:9999',
    }),
  ]);
});
afterAll(async () => Promise.all([h?.stop(), restricted?.stop()]));

describe('portal serving', () => {
  it("sends a CSP that loads only the portal's own files, connects only to its own origin and lets only itself frame it by default", async () => {
    const open = await h.http.get('/portal/').expect(200);
    expect(open.headers['content-security-policy']).toBe(csp("'self'", "'self'"));
    expect(open.headers['content-type']).toMatch(/text\/html/);
    expect(open.headers['cache-control']).toBe('no-cache');
    expect(open.text).toContain('<meta name="hookline-api-origins" content="">');
    // The built page has no inline script or style that this CSP would block.
    expect(open.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/i);
  });

  it('connects to the configured API origins and lets the configured origins frame it', async () => {
    const closed = await restricted.http.get('/portal/').expect(200);
    expect(closed.headers['content-security-policy']).toBe(csp("'self' https://api.example.com http://127.0.0.1:9999", "'self' https://app.example.com"));
    expect(closed.text).toContain('<meta name="hookline-api-origins" content="https://api.example.com http://127.0.0.1:9999">');
    const loader = await restricted.http.get('/portal/embed.js').expect(200);
    expect(loader.headers['content-security-policy']).toBe(closed.headers['content-security-policy']);
    expect(loader.text).toContain('HooklinePortal');
  });

  it('answers client-side routes with the app and a missing asset with 404', async () => {
    const index = await h.http.get('/portal/').expect(200);
    for (const path of ['/portal/endpoints/ep_123', '/portal/index.html']) {
      const route = await h.http.get(path).expect(200);
      expect(route.text).toBe(index.text);
      expect(route.headers['content-security-policy']).toBe(csp("'self'", "'self'"));
    }
    expect((await h.http.get('/portal?x=1').expect(301)).headers.location).toBe('/portal/?x=1');
    await h.http.get('/portal/assets/missing.js').expect(404);
  });
});
