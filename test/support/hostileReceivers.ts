import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

/** A listening server that counts the TCP connections it accepted. */
export interface CountingServer {
  port: number;
  /** `http://host:port` with IPv6 hosts bracketed. */
  url: string;
  connections(): number;
  close(): Promise<void>;
}

async function listenCounting(server: HttpServer | NetServer, host: string): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads the request body first, as a real receiver would, then lets `answer` misbehave. */
function httpReceiver(host: string, answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<CountingServer> {
  const server = createHttpServer((req, res) => {
    res.on('error', () => {});
    req.resume();
    req.on('end', () => answer(req, res));
  });
  return listenCounting(server, host);
}

/** Answers 200 at once. */
export function healthyReceiver(host: string): Promise<CountingServer> {
  return httpReceiver(host, (_req, res) => res.end('ok'));
}

/** Sends a status line and headers, then one byte every `everyMs` for as long as the connection lives. */
export function tricklingReceiver(host: string, everyMs = 200): Promise<CountingServer> {
  return httpReceiver(host, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.flushHeaders();
    const timer = setInterval(() => res.write('x'), everyMs);
    res.on('close', () => clearInterval(timer));
  });
}

/**
 * Streams a `totalBytes` body (generated, never buffered) as fast as the client reads it.
 * `maxSent()` is the most one response got handed to its socket before the client hung up.
 */
export async function floodingReceiver(host: string, totalBytes: number): Promise<CountingServer & { maxSent(): number; responses(): number }> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const sentPerResponse: number[] = [];
  const server = await httpReceiver(host, (_req, res) => {
    const index = sentPerResponse.push(0) - 1;
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(totalBytes) });
    const pump = (): void => {
      while (!closed && (sentPerResponse[index] ?? 0) < totalBytes) {
        const part = Math.min(chunk.length, totalBytes - (sentPerResponse[index] ?? 0));
        sentPerResponse[index] = (sentPerResponse[index] ?? 0) + part;
        if (!res.write(part === chunk.length ? chunk : chunk.subarray(0, part))) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
  });
  return { ...server, maxSent: () => Math.max(0, ...sentPerResponse), responses: () => sentPerResponse.length };
}

/** Accepts connections and never reads, answers or closes them. */
export function silentReceiver(host: string): Promise<CountingServer> {
  return listenCounting(
    createNetServer(() => {}),
    host,
  );
}

/** Answers every request with `status` and a Location header. */
export function redirectingReceiver(host: string, status: number, location: string): Promise<CountingServer> {
  return httpReceiver(host, (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  });
}
