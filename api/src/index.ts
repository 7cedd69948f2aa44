import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Connection } from '@hookline/db';
import {
  type Config,
  ApiKeyCache,
  ApiRateLeases,
  AuthFailureLimiter,
  PasswordResetThrottle,
  SignInThrottle,
  smtpInviteMailer,
  smtpPasswordResetMailer,
} from '@hookline/core';
import { createApp, type AppOptions } from './app.ts';
import { createListener } from './http/listener.ts';
import type { ApiDeps } from './http/route.ts';

export { createApp, type AppOptions } from './app.ts';
/** The api's Express app: what a host app mounts (`host.use('/webhooks', app)`). */
export type ApiApp = Express;
export { routes } from './routes/index.ts';
export type { ApiDeps, RouteDefinition } from './http/route.ts';

export interface RunningApi {
  server: Server;
  port: number;
  /** The operator listener (/metrics, /admin/v1) when HOOKLINE_ADMIN_PORT is set. */
  admin?: { server: Server; port: number };
  close(): Promise<void>;
  /** Cuts every connection, requests still running included (after a shutdown timeout). */
  closeAllConnections(): void;
}

async function listen(app: Express, port: number, host: string, tls: Config['tls'], logger: Logger): Promise<{ server: Server; port: number }> {
  const server = createListener(app, tls, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

// New connections are refused at once. Requests already running finish; keep-alive connections
// are closed as soon as they fall idle (Node alone would keep them for keepAliveTimeout), and a
// request that still arrives on one is answered with `Connection: close`.
const closeGracefully = (server: Server) =>
  new Promise<void>((resolve) => {
    server.prependListener('request', (_req, res) => res.setHeader('connection', 'close'));
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });

/** What the api is built from; the rest of ApiDeps (limiters, the mailer, the key cache, the rate leases) it makes itself. */
export type ApiInputs = Omit<
  ApiDeps,
  'authFailures' | 'signInThrottle' | 'inviteMailer' | 'passwordResetMailer' | 'passwordResetThrottle' | 'apiKeys' | 'apiRateLeases'
> & {
  /** Where the key cache LISTENs for key changes (a connection of its own). */
  connection: Connection;
};

/** The api's own parts over `inputs`, and how to close what they opened (the mailer's and the key cache's connections). */
function completeDeps({ connection, ...inputs }: ApiInputs, logger: Logger): { deps: ApiDeps; close: () => Promise<void> } {
  const { config } = inputs;
  const apiKeys = new ApiKeyCache().listen(connection, (err) => logger.debug({ err }, 'the API key cache lost its connection; keys are looked up until it is back'));
  const authFailures = new AuthFailureLimiter({ limit: config.authFailureLimit, windowSeconds: config.authFailureWindowSeconds });
  const signInThrottle = new SignInThrottle({ perAccount: config.signInAccountLimit, perClient: config.signInClientLimit, windowSeconds: config.signInWindowSeconds });
  const inviteMailer = config.smtpUrl ? smtpInviteMailer(config.smtpUrl, config.smtpFrom) : undefined;
  const passwordResetMailer = config.smtpUrl ? smtpPasswordResetMailer(config.smtpUrl, config.smtpFrom) : undefined;
  const passwordResetThrottle = new PasswordResetThrottle(config.passwordResetClientLimit);
  return {
    deps: { ...inputs, apiKeys, apiRateLeases: new ApiRateLeases(), authFailures, signInThrottle, inviteMailer, passwordResetMailer, passwordResetThrottle },
    close: async () => {
      inviteMailer?.close?.();
      passwordResetMailer?.close?.();
      await apiKeys.close();
    },
  };
}

/**
 * The api as an Express app that listens nowhere, for a host app to mount (library mode): the
 * public surface (tenant API, portal, health), and the operator's (/admin/v1, /metrics) when
 * `operator` is set.
 */
export function createMountableApi(inputs: ApiInputs, logger: Logger, options: { operator: boolean } & AppOptions): { app: ApiApp; close: () => Promise<void> } {
  const { deps, close } = completeDeps(inputs, logger);
  const { operator, ...appOptions } = options;
  return { app: createApp(deps, logger, operator ? 'all' : 'public', appOptions), close };
}

/**
 * Starts the HTTP API on the configured host and port; with HOOKLINE_ADMIN_PORT, the operator's
 * routes on a listener of their own (and not on the public one).
 */
export async function startApi(inputs: ApiInputs, logger: Logger): Promise<RunningApi> {
  const { config } = inputs;
  const { deps, close: closeDeps } = completeDeps(inputs, logger);
  const separate = config.adminPort !== undefined;
  const main = await listen(createApp(deps, logger, separate ? 'public' : 'all'), config.port, config.host, config.tls, logger);
  let admin: { server: Server; port: number } | undefined;
  if (config.adminPort !== undefined) {
    try {
      admin = await listen(createApp(deps, logger, 'operator'), config.adminPort, config.adminHost, config.tls, logger);
    } catch (err) {
      await closeGracefully(main.server);
      await closeDeps();
      throw err;
    }
  }
  const servers = admin ? [main.server, admin.server] : [main.server];
  return {
    ...main,
    ...(admin ? { admin } : {}),
    close: async () => {
      await Promise.all(servers.map(closeGracefully));
      await closeDeps();
    },
    closeAllConnections: () => {
      for (const s of servers) s.closeAllConnections();
    },
  };
}
