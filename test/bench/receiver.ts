import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { wallNow } from './stats.ts';

/**
 * A loopback webhook receiver for the bench. Each path is one endpoint with its own secret; every
 * request's signature is verified (a forged or broken one is counted and answered 400). Paths
 * registered as hanging verify, then never answer: the sender's timeout ends them; others answer
 * their `status` (200 unless told, e.g. 500 for a failing endpoint).
 */
export interface BenchReceiver {
  url: string;
  /** Registers an endpoint path (e.g. `/ep/3`) with the secret its requests must be signed with. */
  register(path: string, secret: string, options?: { hang?: boolean; status?: number }): void;
  /** Verified requests, in total and per path. */
  verified(): number;
  verifiedAt(path: string): number;
  invalid(): number;
  /** Paths that have received at least one verified request. */
  pathsReached(): number;
  /** First arrival time (ms, wallNow) of each message id at a path; only when `recordArrivals`. */
  arrivals(path: string): Map<string, number>;
  close(): Promise<void>;
}

export async function startBenchReceiver(options: { recordArrivals?: boolean } = {}): Promise<BenchReceiver> {
  const endpoints = new Map<string, { webhook: Webhook; hang: boolean; status: number; count: number; arrivals: Map<string, number> }>();
  let verified = 0;
  let invalid = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = wallNow();
      const ep = endpoints.get(req.url ?? '');
      try {
        if (!ep) throw new Error('unknown path');
        ep.webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      } catch {
        invalid++;
        res.statusCode = 400;
        res.end('invalid signature');
        return;
      }
      verified++;
      ep.count++;
      if (options.recordArrivals) {
        const id = String(req.headers['webhook-id']);
        if (!ep.arrivals.has(id)) ep.arrivals.set(id, at);
      }
      if (ep.hang) return;
      res.statusCode = ep.status;
      res.end(ep.status < 300 ? 'ok' : 'failing on purpose');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    register(path, secret, { hang = false, status = 200 } = {}) {
      endpoints.set(path, { webhook: new Webhook(secret), hang, status, count: 0, arrivals: new Map() });
    },
    verified: () => verified,
    verifiedAt: (path) => endpoints.get(path)?.count ?? 0,
    invalid: () => invalid,
    pathsReached: () => [...endpoints.values()].filter((e) => e.count > 0).length,
    arrivals: (path) => endpoints.get(path)?.arrivals ?? new Map(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
