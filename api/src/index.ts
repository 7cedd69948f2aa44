import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import type { ApiDeps } from './http/route.ts';

export { createApp } from './app.ts';
export { routes } from './routes/index.ts';
export type { ApiDeps, RouteDefinition } from './http/route.ts';

export interface RunningApi {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP API on the configured host and port. */
export async function startApi(deps: ApiDeps, logger: Logger): Promise<RunningApi> {
  const app = createApp(deps, logger);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(deps.config.port, deps.config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : deps.config.port;
  return {
    server,
    port,
    // New connections are refused at once. Requests already running finish; keep-alive connections
    // are closed as soon as they fall idle (Node alone would keep them for keepAliveTimeout), and a
    // request that still arrives on one is answered with `Connection: close`.
    close: () => new Promise<void>((resolve) => {
      server.prependListener('request', (_req, res) => res.setHeader('connection', 'close'));
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearInterval(sweep);
        resolve();
      });
      server.closeIdleConnections();
    }),
  };
}
