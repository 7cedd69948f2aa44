import pg from 'pg';
import type { Logger } from 'pino';
import { DELIVERY_WAKEUP_CHANNEL } from '@hookline/core';

/**
 * A dedicated connection that LISTENs for new delivery jobs (publishers NOTIFY in the same
 * transaction that enqueues them), so a published message is picked up within milliseconds instead
 * of at the next poll. Reconnects after a dropped connection; polling covers the gap.
 */
export function listenForDeliveries(connectionString: string, logger: Logger, onWake: () => void): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: 'hookline-worker-listen', keepAlive: true });
    c.on('error', (err) => {
      logger.debug({ err }, 'delivery wake-up connection lost');
      void c.end().catch(() => {});
      if (client === c) client = undefined;
      schedule();
    });
    c.on('notification', () => onWake());
    try {
      await c.connect();
      await c.query(`LISTEN ${DELIVERY_WAKEUP_CHANNEL}`);
      client = c;
      onWake(); // anything enqueued while we were not listening
    } catch (err) {
      logger.debug({ err }, 'delivery wake-up connection failed');
      await c.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (!closed && !retry) retry = setTimeout(() => { retry = undefined; void connect(); }, 1000);
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('notification');
        await c.end().catch(() => {});
      }
    },
  };
}
