import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.deliveryTimeoutMs).toBe(15_000);
    expect(c.role).toBe('all');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads HOOKLINE_RETRY_SCHEDULE as seconds', () => {
    expect(loadConfig({ HOOKLINE_RETRY_SCHEDULE: '1, 2,30' }).retrySchedule).toEqual([1, 2, 30]);
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
});
