import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { AuthFailureLimiter, PasswordResetThrottle, SignInThrottle, smtpInviteMailer, smtpPasswordResetMailer } from '@hookline/core';
import { createApp } from './app.ts';
import type { ApiDeps } from './http/route.ts';

export { createApp } from './app.ts';
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

async function listen(app: Express, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
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

/**
 * Starts the HTTP API on the configured host and port; with HOOKLINE_ADMIN_PORT, the operator's
 * routes on a listener of their own (and not on the public one).
 */
export async function startApi(
  inputs: Omit<ApiDeps, 'authFailures' | 'signInThrottle' | 'inviteMailer' | 'passwordResetMailer' | 'passwordResetThrottle'>,
  logger: Logger,
): Promise<RunningApi> {
  const { config } = inputs;
  const authFailures = new AuthFailureLimiter({ limit: config.authFailureLimit, windowSeconds: config.authFailureWindowSeconds });
  const signInThrottle = new SignInThrottle({ perAccount: config.signInAccountLimit, perClient: config.signInClientLimit, windowSeconds: config.signInWindowSeconds });
  const inviteMailer = config.smtpUrl ? smtpInviteMailer(config.smtpUrl, config.smtpFrom) : undefined;
  const passwordResetMailer = config.smtpUrl ? smtpPasswordResetMailer(config.smtpUrl, config.smtpFrom) : undefined;
  const passwordResetThrottle = new PasswordResetThrottle(config.passwordResetClientLimit);
  const deps: ApiDeps = { ...inputs, authFailures, signInThrottle, inviteMailer, passwordResetMailer, passwordResetThrottle };
  const separate = config.adminPort !== undefined;
  const main = await listen(createApp(deps, logger, separate ? 'public' : 'all'), config.port, config.host);
  let admin: { server: Server; port: number } | undefined;
  if (config.adminPort !== undefined) {
    try {
      admin = await listen(createApp(deps, logger, 'operator'), config.adminPort, config.adminHost);
    } catch (err) {
      await closeGracefully(main.server);
      throw err;
    }
  }
  const servers = admin ? [main.server, admin.server] : [main.server];
  return {
    ...main,
    ...(admin ? { admin } : {}),
    close: async () => {
      await Promise.all(servers.map(closeGracefully));
      inviteMailer?.close?.();
      passwordResetMailer?.close?.();
    },
    closeAllConnections: () => {
      for (const s of servers) s.closeAllConnections();
    },
  };
}
