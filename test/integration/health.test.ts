import pg from 'pg';
import { expect, it } from 'vitest';
import { inject } from 'vitest';
import { startTestHookline } from '@hookline/test-support/hookline';

it('/health says the process is up; /ready checks the database and the queue', async () => {
  const h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
  try {
    expect((await h.http.get('/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await h.http.get('/ready').expect(200)).body).toEqual({ ready: true, checks: { database: 'ok', queue: 'ok' } });

    // Take the database away for real: readiness fails, liveness does not.
    const admin = new pg.Client({ connectionString: inject('pgServer') });
    await admin.connect();
    await admin.query(`DROP DATABASE "${new URL(h.connectionString).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
    const notReady = await h.http.get('/ready').expect(503);
    expect(notReady.body).toEqual({ ready: false, checks: { database: 'failing', queue: 'failing' } });
    await h.http.get('/health').expect(200);
  } finally {
    await h.stop().catch(() => {});
  }
});
