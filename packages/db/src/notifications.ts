import pg from 'pg';
import { connectionSettings, type Connection } from './connect.ts';

export interface NotificationListener {
  /** Whether the connection is LISTENing now: while it is not, NOTIFYs are missed. */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** `application_name` of the connection, as pg_stat_activity shows it. */
  applicationName: string;
  /** Called each time the connection LISTENs again (first connect, reconnects): whatever was sent meanwhile was missed. */
  onListening?: () => void;
  /** Called when a listening connection is lost (before the reconnect). */
  onLost?: () => void;
  onError?: (err: unknown, what: 'lost' | 'connect') => void;
}

/**
 * A dedicated connection that LISTENs on `channels` and hands each NOTIFY's payload to its
 * channel's handler. Reconnects a second after a dropped or failed connection; what was sent while
 * it was not listening is lost, which `onListening` and `onLost` let the caller make up for.
 */
export function listenForNotifications(connection: Connection, channels: Record<string, (payload: string) => void>, options: ListenOptions): NotificationListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ ...connectionSettings(connection), application_name: options.applicationName, keepAlive: true });
    c.on('error', (err) => {
      options.onError?.(err, 'lost');
      void c.end().catch(() => {});
      if (client === c) {
        client = undefined;
        options.onLost?.();
      }
      schedule();
    });
    c.on('notification', (n) => channels[n.channel]?.(n.payload ?? ''));
    try {
      await c.connect();
      for (const channel of Object.keys(channels)) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await c.end().catch(() => {});
        return;
      }
      client = c;
      options.onListening?.();
    } catch (err) {
      options.onError?.(err, 'connect');
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
    get listening() {
      return client !== undefined;
    },
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
