import pg from 'pg';
import { expect, it } from 'vitest';
import { inject } from 'vitest';
import { startTestHookline } from '@hookline/test-support/hookline';

it("/health and Svix's /api/v1/health/ping say the process is up; /ready checks the database and the queue", async () => {
  const h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  try {
    expect((await h.http.get('/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await h.http.get('/ready').expect(200)).body).toEqual({ ready: true, checks: { database: 'ok', queue: 'ok' } });
    // Svix's ping: 204 with no body, to GET and HEAD, without credentials (load balancers probe it).
    const ping = await h.http.get('/api/v1/health/ping').expect(204);
    expect(ping.text).toBe('');
    await h.http.head('/api/v1/health/ping').expect(204);

    // Take the database away for real: readiness fails, liveness does not.
    const admin = new pg.Client({ connectionString: inject('pgServer') });
    await admin.connect();
    await admin.query(`DROP DATABASE "${new URL(h.connectionString).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
    const notReady = await h.http.get('/ready').expect(503);
    expect(notReady.body).toEqual({ ready: false, checks: { database: 'failing', queue: 'failing' } });
    await h.http.get('/health').expect(200);
    await h.http.get('/api/v1/health/ping').expect(204);
  } finally {
    await h.stop().catch(() => {});
  }
});
