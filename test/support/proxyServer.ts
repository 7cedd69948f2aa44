import http from 'node:http';
import type net from 'node:net';
import { createProxy } from 'proxy';

/** A real HTTP proxy (the `proxy` package) on loopback, recording the CONNECT targets it was asked for. */
export interface TestProxy {
  url: string;
  port: number;
  /** `host:port` of every CONNECT, in order (refused ones included). */
  connects: string[];
  /** Basic credentials required from now on (`user:password`), or none. */
  requireCredentials(credentials: string | undefined): void;
  close(): Promise<void>;
}

export async function startProxy(): Promise<TestProxy> {
  const server = createProxy(http.createServer());
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  let required: string | undefined;
  server.prependListener('connect', (req: http.IncomingMessage) => connects.push(req.url ?? ''));
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.authenticate = (req) => required === undefined || req.headers['proxy-authorization'] === `Basic ${Buffer.from(required).toString('base64')}`;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    requireCredentials: (credentials) => {
      required = credentials;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
