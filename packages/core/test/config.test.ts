import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, withConfigFile } from '../src/config.ts';

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.deliveryTimeoutMs).toBe(15_000);
    expect(c.role).toBe('all');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('serves HTTPS with both TLS files named, and refuses one without the other', () => {
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ HOOKLINE_TLS_CERT: '/etc/tls/cert.pem', HOOKLINE_TLS_KEY: '/etc/tls/key.pem' }).tls).toEqual({
      certFile: '/etc/tls/cert.pem',
      keyFile: '/etc/tls/key.pem',
    });
    expect(() => loadConfig({ HOOKLINE_TLS_CERT: '/etc/tls/cert.pem' })).toThrow(/HOOKLINE_TLS_CERT and HOOKLINE_TLS_KEY: set both/);
    expect(() => loadConfig({ HOOKLINE_TLS_KEY: '/etc/tls/key.pem' })).toThrow(ConfigError);
  });

  it('limits end customers by default: portal budget per application, endpoints per application, rows per recovery', () => {
    const c = loadConfig({});
    expect([c.portalRateLimit, c.portalRateBurst, c.maxEndpointsPerApp, c.recoverMaxDeliveries]).toEqual([20, 40, 50, 10_000]);
    const set = loadConfig({ HOOKLINE_PORTAL_RATE_LIMIT: '0.5', HOOKLINE_MAX_ENDPOINTS_PER_APP: '1000', HOOKLINE_RECOVER_MAX_DELIVERIES: '5' });
    expect([set.portalRateLimit, set.portalRateBurst, set.maxEndpointsPerApp, set.recoverMaxDeliveries]).toEqual([0.5, 1, 1000, 5]);
    expect(() => loadConfig({ HOOKLINE_MAX_ENDPOINTS_PER_APP: '0' })).toThrow(/HOOKLINE_MAX_ENDPOINTS_PER_APP/);
  });

  it('reads HOOKLINE_RETRY_SCHEDULE as seconds', () => {
    expect(loadConfig({ HOOKLINE_RETRY_SCHEDULE: '1, 2,30' }).retrySchedule).toEqual([1, 2, 30]);
  });

  it('reads HOOKLINE_MAINTENANCE_INTERVAL_MINUTES as a cron step: 10 by default, a divisor of 60', () => {
    expect(loadConfig({}).maintenanceIntervalMinutes).toBe(10);
    expect(loadConfig({ HOOKLINE_MAINTENANCE_INTERVAL_MINUTES: '1' }).maintenanceIntervalMinutes).toBe(1);
    expect(() => loadConfig({ HOOKLINE_MAINTENANCE_INTERVAL_MINUTES: '7' })).toThrow(/HOOKLINE_MAINTENANCE_INTERVAL_MINUTES: must divide 60/);
    expect(() => loadConfig({ HOOKLINE_MAINTENANCE_INTERVAL_MINUTES: '0' })).toThrow(/HOOKLINE_MAINTENANCE_INTERVAL_MINUTES/);
  });

  it('reports every bad variable by name', () => {
    try {
      loadConfig({ PORT: 'eighty', HOOKLINE_RETRY_SCHEDULE: '5,soon', HOOKLINE_ROLE: 'boss', DATABASE_URL: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      for (const name of ['PORT', 'HOOKLINE_RETRY_SCHEDULE', 'HOOKLINE_ROLE', 'DATABASE_URL']) expect(message).toContain(name);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(8080);
  });

  it("reads HOOKLINE_PORTAL_FRAME_ANCESTORS as a CSP source list, 'self' by default", () => {
    expect(loadConfig({}).portalFrameAncestors).toBe("'self'");
    expect(loadConfig({ HOOKLINE_PORTAL_FRAME_ANCESTORS: "'self'  https://app.example.com,https://*.example.com:8443" }).portalFrameAncestors).toBe(
      "'self' https://app.example.com https://*.example.com:8443",
    );
    for (const bad of ["https://a.example.com; script-src 'none'", "'none' https://a.example.com", 'https://a.example.com/path', 'http://x\r\nSet-Cookie: a=b']) {
      expect(() => loadConfig({ HOOKLINE_PORTAL_FRAME_ANCESTORS: bad }), bad).toThrow(/HOOKLINE_PORTAL_FRAME_ANCESTORS/);
    }
  });

  it('reads HOOKLINE_PORTAL_API_ORIGINS as origins only', () => {
    expect(loadConfig({}).portalApiOrigins).toEqual([]);
    expect(loadConfig({ HOOKLINE_PORTAL_API_ORIGINS: 'https://API.example.com, http://127.0.0.1:8080' }).portalApiOrigins).toEqual([
      'https://api.example.com',
      'http://127.0.0.1:8080',
    ]);
    for (const bad of ['https://a.example.com/path', "'self'", 'https://a.example.com; script-src *', 'ftp://a.example.com', '*']) {
      expect(() => loadConfig({ HOOKLINE_PORTAL_API_ORIGINS: bad }), bad).toThrow(/HOOKLINE_PORTAL_API_ORIGINS/);
    }
  });

  it('reads HOOKLINE_PORTAL_SIGNING_KEYS as kid:key pairs, the first one signing', () => {
    const a = 'a'.repeat(32);
    const b = `b:${'b'.repeat(31)}`;
    expect(loadConfig({ HOOKLINE_PORTAL_SIGNING_KEYS: `k2:${b}, k1:${a}` }).portalSigningKeys).toEqual([
      { kid: 'k2', secret: b },
      { kid: 'k1', secret: a },
    ]);
    for (const bad of [`k1:${a},k1:${a}`, 'k1:short', a, `bad kid:${a}`, ':'.repeat(40)]) {
      expect(() => loadConfig({ HOOKLINE_PORTAL_SIGNING_KEYS: bad }), bad).toThrow(/HOOKLINE_PORTAL_SIGNING_KEYS/);
    }
  });

  it('reads a config file beneath the environment, which wins', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hookline-config-')), 'hookline.env');
    writeFileSync(file, 'PORT=9090\nHOOKLINE_RETRY_SCHEDULE=1,2\n# a comment\nHOOKLINE_LOG_LEVEL=warn\n');
    const c = loadConfig(withConfigFile({ HOOKLINE_LOG_LEVEL: 'debug' }, file));
    expect(c.port).toBe(9090);
    expect(c.retrySchedule).toEqual([1, 2]);
    expect(c.logLevel).toBe('debug');
    expect(() => withConfigFile({}, path.join(path.dirname(file), 'missing.env'))).toThrow(ConfigError);
  });

  it('names a bad variable from the file too', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hookline-config-')), 'hookline.env');
    writeFileSync(file, 'HOOKLINE_DELIVERY_TIMEOUT_MS=soon\n');
    expect(() => loadConfig(withConfigFile({}, file))).toThrow(/HOOKLINE_DELIVERY_TIMEOUT_MS/);
  });
});
