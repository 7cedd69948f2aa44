import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';

/** How often the certificate files are checked for a change (a stat each; follows symlinks, as Kubernetes swaps them). */
const TLS_WATCH_INTERVAL_MS = 2000;

/**
 * The api's HTTP server, or HTTPS with `tls`'s PEM files. A renewed certificate is picked up
 * without a restart: when either file changes, both are read again for new connections; a pair
 * that does not load (half written, a key for another certificate) is logged and the one in use
 * kept, so a botched renewal never takes the listener down.
 */
export function createListener(app: RequestListener, tls: { certFile: string; keyFile: string } | undefined, logger: Logger): Server {
  if (!tls) return createHttpServer(app);
  const read = () => ({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  const server = createHttpsServer(read(), app);
  let pending: NodeJS.Timeout | undefined;
  // A renewal writes two files: wait for both before loading them.
  const changed = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      try {
        server.setSecureContext(read());
        logger.info({ certFile: tls.certFile }, 'TLS certificate reloaded');
      } catch (err) {
        logger.error({ err, certFile: tls.certFile, keyFile: tls.keyFile }, 'TLS certificate not reloaded; the previous one stays in use');
      }
    }, 200);
  };
  for (const file of [tls.certFile, tls.keyFile]) watchFile(file, { interval: TLS_WATCH_INTERVAL_MS, persistent: false }, changed);
  server.on('close', () => {
    clearTimeout(pending);
    for (const file of [tls.certFile, tls.keyFile]) unwatchFile(file, changed);
  });
  return server;
}
