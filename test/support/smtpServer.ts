import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the server took: its envelope's recipients and its raw text (headers and body). */
export interface Mail {
  to: string[];
  text: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for HOOKLINE_SMTP_URL. */
  url: string;
  /** Every message taken so far, oldest first. */
  mails: Mail[];
  close(): Promise<void>;
}

/** A real SMTP server on loopback (no TLS, no authentication) that keeps every message it is sent. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

/** The text of a mail with quoted-printable's soft line breaks joined, so a long link reads whole. */
export const unwrapped = (mail: Mail): string => mail.text.replace(/=\r?\n/g, '');
