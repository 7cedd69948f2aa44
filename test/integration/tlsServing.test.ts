import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCertificateAuthority, type CertificateAuthority, type Pem } from '@hookline/test-support/certificates';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import { REPO_ROOT } from '@hookline/test-support/process';

// HOOKLINE_TLS_CERT / HOOKLINE_TLS_KEY: the api's listeners (public and operator) serve HTTPS with
// a certificate made here by a private CA; a renewed pair is picked up without a restart, and a
// bad one is refused with the working certificate kept.

let ca: CertificateAuthority;
let h: TestHookline;
let dir: string;
const logs: string[] = [];
const certFile = () => path.join(dir, 'tls.crt');
const keyFile = () => path.join(dir, 'tls.key');
const install = (pem: Pem) => {
  writeFileSync(certFile(), pem.cert);
  writeFileSync(keyFile(), pem.key);
};

beforeAll(async () => {
  ca = await createCertificateAuthority();
  dir = mkdtempSync(path.join(tmpdir(), 'hookline-tls-'));
  const first = await ca.issue();
  install(first);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  h = await startTestHookline({ HOOKLINE_ROLE: 'api', HOOKLINE_TLS_CERT: certFile(), HOOKLINE_TLS_KEY: keyFile(), HOOKLINE_ADMIN_PORT: '0' }, logger);
});
afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** GET over a new TLS connection trusting only the test CA: the status, the body and the certificate's serial. */
function get(port: number, pathname: string, host = '127.0.0.1'): Promise<{ status: number; body: string; serial: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host, port, path: pathname, ca: ca.cert, agent: false }, (res) => {
      const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber.toLowerCase();
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, serial }));
    });
    req.on('error', reject);
  });
}

it('serves the API and the operator listener over HTTPS with the configured certificate, and no plain HTTP', async () => {
  const port = h.hookline.api!.port;
  const health = await get(port, '/health');
  expect(health).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  expect(await get(port, '/health', 'localhost')).toMatchObject({ status: 200 });
  const metrics = await get(h.hookline.api!.admin!.port, '/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.serial).toBe(health.serial);

  // Plain HTTP on the HTTPS port gets no API answer.
  const plain = await new Promise<number | string>((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  expect(plain).not.toBe(200);
});

it('reloads a renewed certificate for new connections, and keeps the working one when the new pair is bad', async () => {
  const port = h.hookline.api!.port;
  const renewed = await ca.issue();
  install(renewed);
  await expect.poll(async () => (await get(port, '/health')).serial, { timeout: 15_000 }).toBe(renewed.serialNumber);
  await expect.poll(() => logs.some((l) => l.includes('TLS certificate reloaded'))).toBe(true);

  // A certificate with another certificate's key: refused, logged, the renewed one stays.
  const other = await ca.issue();
  install({ cert: other.cert, key: renewed.key });
  await expect.poll(() => logs.some((l) => l.includes('TLS certificate not reloaded')), { timeout: 15_000 }).toBe(true);
  expect(await get(port, '/health')).toMatchObject({ status: 200, serial: renewed.serialNumber });
  expect(logs.join('\n')).not.toContain('PRIVATE KEY');
});

it("the container's health check probes the HTTPS listener", async () => {
  const probe = (env: Record<string, string>) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      const env0 = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(h.hookline.api!.port), HOOKLINE_ROLE: 'api', ...env };
      execFile(process.execPath, [path.join(REPO_ROOT, 'bin/healthcheck.ts')], { env: env0, timeout: 20_000 }, (err, _out, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
      );
    });
  expect(await probe({ HOOKLINE_TLS_CERT: certFile(), HOOKLINE_TLS_KEY: keyFile() })).toEqual({ code: 0, stderr: '' });
  expect((await probe({})).code).toBe(1); // plain HTTP to the HTTPS port
});
