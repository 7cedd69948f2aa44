import type { Logger } from 'pino';
import { listenForNotifications, type Connection } from '@hookline/db';

/**
 * A dedicated connection that LISTENs for new work (DELIVERY_WAKEUP_CHANNEL: deliveries were
 * enqueued; FANOUT_WAKEUP_CHANNEL: the api NOTIFYs once a publish has committed, see Wakeup), so a
 * published message is picked up within milliseconds instead of at the next poll. `onWake` maps
 * each channel to what it wakes. A NOTIFY whose payload is `self` is this worker's own (its fan-out
 * already woke its delivery loop) and is ignored: answered, it cost a fetch that found nothing.
 * Reconnects after a dropped connection; polling covers the gap.
 */
export function listenForWakeups(connection: Connection, logger: Logger, onWake: Record<string, () => void>, self?: string): { close(): Promise<void> } {
  const channels = Object.fromEntries(
    Object.entries(onWake).map(([channel, wake]) => [channel, (payload: string) => (self === undefined || payload !== self ? wake() : undefined)]),
  );
  return listenForNotifications(connection, channels, {
    applicationName: 'hookline-worker-listen',
    // Anything enqueued while we were not listening.
    onListening: () => {
      for (const wake of Object.values(onWake)) wake();
    },
    onError: (err, what) => logger.debug({ err }, what === 'lost' ? 'wake-up connection lost' : 'wake-up connection failed'),
  });
}
