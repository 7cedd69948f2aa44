import { pino, type Logger } from 'pino';
import request from 'supertest';
import { loadConfig } from '@hookline/core';
import { startHookline, type Hookline } from '@hookline/server';
import { createTestDatabase } from './database.ts';
import { TEST_DELIVERY_TIMEOUT_MS } from './globalSetup.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** The master key of secrets at rest under test (HOOKLINE_ENCRYPTION_KEYS is required with DATABASE_URL). */
export const TEST_ENCRYPTION_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

/** Environment for a Hookline under test: loopback receivers allowed, a short retry schedule, quiet logs. */
export function testEnv(connectionString: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: connectionString,
    HOST: '127.0.0.1',
    PORT: '0',
    HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN,
    HOOKLINE_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    HOOKLINE_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32,::1/128',
    HOOKLINE_RETRY_SCHEDULE: '1,1,1',
    HOOKLINE_DELIVERY_TIMEOUT_MS: String(TEST_DELIVERY_TIMEOUT_MS),
    HOOKLINE_POLL_INTERVAL_SECONDS: '0.5',
    HOOKLINE_SUPERVISE_INTERVAL_SECONDS: '2',
    HOOKLINE_BOOTSTRAP: 'false',
    HOOKLINE_LOG_LEVEL: 'silent',
    // Enforced (so every test runs through it) but far above what any test sends.
    HOOKLINE_API_RATE_LIMIT: '100000',
    // Likewise: tests that send bad credentials on purpose all come from 127.0.0.1.
    HOOKLINE_AUTH_FAILURE_LIMIT: '100000',
    HOOKLINE_PORTAL_RATE_LIMIT: '100000',
    ...overrides,
  };
}

export interface TestHookline {
  url: string;
  hookline: Hookline;
  connectionString: string;
  /** An HTTP client for the running server. */
  http: ReturnType<typeof request>;
  /** Creates a tenant through the operator API and returns its id and a fresh API key. */
  createTenant(name?: string): Promise<{ tenantId: string; apiKey: string; keyId: string }>;
  stop(): Promise<void>;
}

/** Starts api + worker (or one role) in this process against a fresh database; logs go to `logger` if given. */
export async function startTestHookline(overrides: Record<string, string> = {}, logger?: Logger): Promise<TestHookline> {
  const database = await createTestDatabase();
  const config = loadConfig(testEnv(database.connectionString, overrides));
  const hookline = await startHookline(config, logger ?? pino({ level: 'silent' }));
  const url = hookline.api ? `http://127.0.0.1:${hookline.api.port}` : '';
  const http = request(url);
  return {
    url,
    hookline,
    connectionString: database.connectionString,
    http,
    async createTenant(name = 'tenant') {
      const tenant = await http.post('/admin/v1/tenants').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name }).expect(201);
      const key = await http.post(`/admin/v1/tenants/${tenant.body.id}/api-keys`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 'test' }).expect(201);
      return { tenantId: tenant.body.id as string, apiKey: key.body.key as string, keyId: key.body.id as string };
    },
    async stop() {
      await hookline.stop();
      await database.drop();
    },
  };
}
