// The loopback receiver of test/container/check.sh: verifies each delivery's signature with the
// `standardwebhooks` package (an implementation independent of Hookline's own signing) and
// appends it to <dir>/deliveries.jsonl, or a forged or unsigned one to <dir>/rejected.jsonl.
// Usage: WEBHOOK_SECRET=whsec_... node test/container/receiver.ts <dir>; <dir>/port names its port.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';

const dir = process.argv[2];
const secret = process.env.WEBHOOK_SECRET;
if (!dir || !secret) {
  console.error('usage: WEBHOOK_SECRET=whsec_... node test/container/receiver.ts <dir>');
  process.exit(2);
}
const webhook = new Webhook(secret);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    try {
      const payload: unknown = webhook.verify(body, headers);
      appendFileSync(path.join(dir, 'deliveries.jsonl'), `${JSON.stringify({ id: headers['webhook-id'], payload })}\n`);
      res.end('ok');
    } catch (err) {
      appendFileSync(path.join(dir, 'rejected.jsonl'), `${JSON.stringify({ id: headers['webhook-id'], error: String(err) })}\n`);
      res.statusCode = 400;
      res.end('bad signature');
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  writeFileSync(path.join(dir, 'port'), String((server.address() as AddressInfo).port));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
