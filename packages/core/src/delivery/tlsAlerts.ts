import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/**
 * TLS alerts endpoints sent, remembered by connection. Under TLS 1.3 a server checks the client
 * certificate after the client's handshake is done, so its refusal (an alert, then a close)
 * reaches undici while a request is in flight, and undici reports only "other side closed". The
 * sockets of mutual TLS agents are watched here, and the alert is found again by the ports the
 * socket error names.
 */
export class TlsAlerts {
  readonly #alerts = new Map<string, Error>();

  /** Wraps a connector so that the alerts on its sockets are remembered. */
  watching(connect: buildConnector.connector): buildConnector.connector {
    return (options, callback) =>
      connect(options, (err: Error | null, socket: Socket | null) => {
        if (socket) this.#watch(socket);
        (callback as (err: Error | null, socket: Socket | null) => void)(err, socket);
      });
  }

  /** The alert behind an error that undici reported as a closed socket, if one arrived on it. */
  alertBehind(err: unknown): Error | undefined {
    const info = (err as { socket?: { localPort?: number; remotePort?: number } } | null)?.socket;
    return info ? this.#alerts.get(`${info.localPort}/${info.remotePort}`) : undefined;
  }

  #watch(socket: Socket): void {
    const key = `${socket.localPort}/${socket.remotePort}`;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code?.startsWith('ERR_SSL_')) this.#alerts.set(key, err);
    });
    // Kept a little after the close: the request learns of its failure after the socket's events.
    socket.once('close', () => setTimeout(() => this.#alerts.delete(key), 5_000).unref());
  }
}
