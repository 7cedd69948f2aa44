import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Pem } from './certificates.ts';

export interface TlsRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The common name of the client certificate the connection presented, if any. */
  clientName: string | undefined;
  /** Its serial number (upper-case hex), to tell certificates of one name apart. */
  clientSerial: string | undefined;
}

export interface TlsReceiver {
  url: string;
  requests: TlsRequest[];
  /** TLS handshakes completed (`secureConnection` events): one per new connection. */
  readonly handshakes: number;
  close(): Promise<void>;
}

/**
 * A real HTTPS receiver on 127.0.0.1 with the given server certificate; with `clientCa`, it
 * demands a client certificate signed by that CA (requestCert + rejectUnauthorized). Answers 200.
 */
export async function startTlsReceiver(server: Pem, options: { clientCa?: string } = {}): Promise<TlsReceiver> {
  const requests: TlsRequest[] = [];
  let handshakes = 0;
  const https: Server = createServer(
    {
      cert: server.cert,
      key: server.key,
      ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const has = peer && Object.keys(peer).length > 0;
        requests.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          clientName: has ? (peer.subject?.CN as string | undefined) : undefined,
          clientSerial: has ? peer.serialNumber : undefined,
        });
        res.end('ok');
      });
    },
  );
  https.on('secureConnection', () => handshakes++);
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const { port } = https.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise((resolve) => {
        https.closeAllConnections();
        https.close(() => resolve());
      }),
  };
}
