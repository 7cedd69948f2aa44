// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { allowedApiOrigins, mountPath, resolveApiBase } from '../src/api/apiOrigin.ts';

const production = { ownOrigin: 'https://hooks.vendor.com', allowed: ['https://api.vendor.com'], development: false };

describe('the API origin a portal link may name', () => {
  it('is the page origin by default, and another one only when the server allows it', () => {
    expect(resolveApiBase('', production)).toBe('https://hooks.vendor.com');
    expect(resolveApiBase('https://hooks.vendor.com/', production)).toBe('https://hooks.vendor.com');
    expect(resolveApiBase('https://api.vendor.com', production)).toBe('https://api.vendor.com');
    for (const refused of ['https://elsewhere.example', 'http://api.vendor.com', 'https://api.vendor.com.evil.example', 'javascript:alert(1)', 'not a url']) {
      expect(resolveApiBase(refused, production), refused).toBeNull();
    }
  });

  it('takes any http(s) origin in a development build', () => {
    expect(resolveApiBase('http://localhost:8080/', { ...production, development: true })).toBe('http://localhost:8080');
    expect(resolveApiBase('file:///etc/passwd', { ...production, development: true })).toBeNull();
  });

  it('is under the mount path of a Hookline mounted in a host app, on its own origin only', () => {
    const mounted = { ...production, basePath: '/webhooks' };
    expect(resolveApiBase('', mounted)).toBe('https://hooks.vendor.com/webhooks');
    expect(resolveApiBase('https://hooks.vendor.com', mounted)).toBe('https://hooks.vendor.com/webhooks');
    expect(resolveApiBase('https://api.vendor.com', mounted)).toBe('https://api.vendor.com');
  });

  it('reads the mount path from the page, and only a plain absolute path', () => {
    const meta = document.createElement('meta');
    meta.name = 'hookline-base-path';
    document.head.append(meta);
    for (const [content, path] of [
      ['/webhooks', '/webhooks'],
      ['/a/b/', '/a/b'],
      ['', ''],
      ['https://evil.example', ''],
      ['webhooks', ''],
      ['/x?y', ''],
      ['/x\\y', ''],
    ]) {
      meta.content = content!;
      expect(mountPath(), content).toBe(path);
    }
    meta.remove();
    expect(mountPath()).toBe('');
  });

  it("reads the server's list from the page", () => {
    const meta = document.createElement('meta');
    meta.name = 'hookline-api-origins';
    meta.content = 'https://api.vendor.com  https://eu.api.vendor.com';
    document.head.append(meta);
    expect(allowedApiOrigins()).toEqual(['https://api.vendor.com', 'https://eu.api.vendor.com']);
    meta.remove();
    expect(allowedApiOrigins()).toEqual([]);
  });
});
