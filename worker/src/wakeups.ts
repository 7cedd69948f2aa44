import pg from 'pg';
import type { Logger } from 'pino';
import { connectionSettings, type Connection } from '@hookline/db';

/**
 * A dedicated connection that LISTENs for new work (DELIVERY_WAKEUP_CHANNEL: deliveries were
 * enqueued; FANOUT_WAKEUP_CHANNEL: the api NOTIFYs once a publish has committed, see Wakeup), so a
 * published message is picked up within milliseconds instead of at the next poll. `onWake` maps
 * each channel to what it wakes. A NOTIFY whose payload is `self` is this worker's own (its fan-out
 * already woke its delivery loop) and is ignored: answered, it cost a fetch that found nothing.
 * Reconnects after a dropped connection; polling covers the gap.
 */
export function listenForWakeups(connection: Connection, logger: Logger, onWake: Record<string, () => void>, self?: string): { close(): Promise<void> } {
  const wakeAll = () => {
    for (const wake of Object.values(onWake)) wake();
  };
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ ...connectionSettings(connection), application_name: 'hookline-worker-listen', keepAlive: true });
    c.on('error', (err) => {
      logger.debug({ err }, 'wake-up connection lost');
      void c.end().catch(() => {});
      if (client === c) client = undefined;
      schedule();
    });
    c.on('notification', (n) => {
      if (self === undefined || n.payload !== self) onWake[n.channel]?.();
    });
    try {
      await c.connect();
      for (const channel of Object.keys(onWake)) await c.query(`LISTEN ${channel}`);
      client = c;
      wakeAll(); // anything enqueued while we were not listening
    } catch (err) {
      logger.debug({ err }, 'wake-up connection failed');
      await c.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (!closed && !retry)
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1000);
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
