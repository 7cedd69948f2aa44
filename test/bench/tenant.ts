import { randomBytes } from 'node:crypto';
import { undici } from './deps.ts';

/** The bench cluster's operator token: its processes are started with it (cluster.ts), tenants are made with it here. */
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** The JSON answer of one API call; anything but the expected status is an error. */
async function call(url: string, method: string, token: string, body: unknown, expected: number): Promise<Record<string, unknown>> {
  const res = await undici.request(url, {
    method: method as 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode !== expected) throw new Error(`${method} ${url}: ${res.statusCode} ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export interface BenchTenant {
  tenantId: string;
  apiKey: string;
  /** Creates an application and returns its id. */
  createApp(name: string): Promise<string>;
  /** Creates endpoints (20 at a time) and returns their ids, in order. */
  createEndpoints(appId: string, endpoints: Array<{ url: string; secret: string }>): Promise<string[]>;
  /** The publish URL of an application. */
  publishUrl(appId: string): string;
  /** Publishes one message from this process; resolves with its id once accepted. */
  publishOne(appId: string, body: string): Promise<string>;
}

/** A tenant with an API key, created through the operator API of a running api process. */
export async function createBenchTenant(apiUrl: string): Promise<BenchTenant> {
  const tenant = await call(`${apiUrl}/admin/v1/tenants`, 'POST', ADMIN_TOKEN, { name: 'bench' }, 201);
  const key = await call(`${apiUrl}/admin/v1/tenants/${String(tenant.id)}/api-keys`, 'POST', ADMIN_TOKEN, { name: 'bench' }, 201);
  const apiKey = String(key.key);
  return {
    tenantId: String(tenant.id),
    apiKey,
    async createApp(name) {
      return String((await call(`${apiUrl}/api/v1/app`, 'POST', apiKey, { name }, 201)).id);
    },
    async createEndpoints(appId, endpoints) {
      const ids: string[] = new Array<string>(endpoints.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(20, endpoints.length) }, async () => {
          for (let i = next++; i < endpoints.length; i = next++) {
            ids[i] = String((await call(`${apiUrl}/api/v1/app/${appId}/endpoint`, 'POST', apiKey, endpoints[i], 201)).id);
          }
        }),
      );
      return ids;
    },
    publishUrl: (appId) => `${apiUrl}/api/v1/app/${appId}/msg`,
    async publishOne(appId, body) {
      return String((await call(`${apiUrl}/api/v1/app/${appId}/msg`, 'POST', apiKey, JSON.parse(body), 202)).id);
    },
  };
}

/** A publish body whose payload (about 250 bytes) carries the request's sequence number. */
export const PUBLISH_BODY = JSON.stringify({
  eventType: 'bench.event',
  payload: { seq: '__N__', customer: 'cus_0123456789', amount: 4200, currency: 'eur', note: 'x'.repeat(160) },
});
