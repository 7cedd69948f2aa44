import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768–60999 by default): a port from it (what `listen(0)` hands
// out) is also the kernel's pick for the local end of outgoing connections, so with the suite's
// thousands of loopback connections one of them could take the port between this check and the
// server's bind, or while a server restarts on it. CI saw exactly that as an embedded PostgreSQL
// that "failed to start".
const LOW = 20_000;
const HIGH = 32_000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A TCP port free on 127.0.0.1 right now (for servers that must keep a fixed port across restarts). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = randomInt(LOW, HIGH);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH}`);
}
