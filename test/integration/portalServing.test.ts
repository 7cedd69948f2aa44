import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookline, type TestHookline } from '../support/hookline.ts';

let h: TestHookline;
let restricted: TestHookline;

beforeAll(async () => {
  [h, restricted] = await Promise.all([
    startTestHookline({ HOOKLINE_ROLE: 'api' }),
    startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_PORTAL_FRAME_ANCESTORS: "'self' https://app.example.com" }),
  ]);
});
afterAll(async () => Promise.all([h?.stop(), restricted?.stop()]));

describe('portal serving', () => {
  it('lets any site frame the portal by default, and only the configured origins when set', async () => {
    const open = await h.http.get('/portal/').expect(200);
    expect(open.headers['content-security-policy']).toBe('frame-ancestors *');
    expect(open.headers['content-type']).toMatch(/text\/html/);
    const closed = await restricted.http.get('/portal/').expect(200);
    expect(closed.headers['content-security-policy']).toBe("frame-ancestors 'self' https://app.example.com");
    const loader = await restricted.http.get('/portal/embed.js').expect(200);
    expect(loader.headers['content-security-policy']).toBe("frame-ancestors 'self' https://app.example.com");
    expect(loader.text).toContain('HooklinePortal');
  });

  it('answers client-side routes with the app and a missing asset with 404', async () => {
    const index = await h.http.get('/portal/').expect(200);
    const route = await h.http.get('/portal/endpoints/ep_123').expect(200);
    expect(route.text).toBe(index.text);
    expect(route.headers['content-security-policy']).toBe('frame-ancestors *');
    await h.http.get('/portal/assets/missing.js').expect(404);
  });
});
