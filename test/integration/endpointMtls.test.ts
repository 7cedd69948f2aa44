import { createPrivateKey, X509Certificate } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsKeyPlace, parseEncryptionKeys, reencryptSecrets, SecretBox } from '@hookline/core';
import { connectDatabase, type Database } from '@hookline/db';
import { createCertificateAuthority, type CertificateAuthority, type Pem } from '@hookline/test-support/certificates';
import { startTestHookline, TEST_ENCRYPTION_KEYS, type TestHookline } from '@hookline/test-support/hookline';
import { waitUntil } from '@hookline/test-support/process';
import { startTlsReceiver, type TlsReceiver } from '@hookline/test-support/tlsReceiver';

// Endpoint mutual TLS end to end: an HTTPS receiver on loopback whose server certificate a
// private CA signed (made here), demanding a client certificate from another private CA. The
// settings go through Svix's …/mtls routes; the worker presents the client certificate, trusts
// the CA bundle, reuses its connections, and records a clear reason when TLS fails either way.

let h: TestHookline;
let auth: { authorization: string };
let appId: string;
let serverCa: CertificateAuthority;
let clientCa: CertificateAuthority;
let client: Pem & { serialNumber: string };
let rx: TlsReceiver;
let db: Database;

const identityOf = (pem: Pem) => `${pem.cert}\n${pem.key}`;
const mtlsPath = (ep: string) => `/api/v1/app/${appId}/endpoint/${ep}/mtls`;

async function endpoint(path: string, url = rx.url): Promise<{ id: string; secret: string }> {
  const { id } = (
    await h.http
      .post(`/api/v1/app/${appId}/endpoint`)
      .set(auth)
      .send({ url: `${url}${path}` })
      .expect(201)
  ).body;
  const secret = (await h.http.get(`/api/v1/app/${appId}/endpoint/${id}/secret`).set(auth).expect(200)).body.key as string;
  return { id, secret };
}

async function publish(payload: unknown): Promise<string> {
  return (await h.http.post(`/api/v1/app/${appId}/msg`).set(auth).send({ eventType: 'invoice.paid', payload }).expect(202)).body.id as string;
}

type Attempt = { response: string; responseStatusCode: number; msgId: string };
async function attempts(endpointId: string): Promise<Attempt[]> {
  return (await h.http.get(`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`).set(auth).expect(200)).body.data;
}

async function failureOf(endpointId: string, msgId: string): Promise<string> {
  let found: Attempt | undefined;
  await waitUntil(
    async () => {
      found = (await attempts(endpointId)).find((a) => a.msgId === msgId);
      return found !== undefined;
    },
    20_000,
    'the failed attempt',
  );
  expect(found!.responseStatusCode).toBe(0);
  return found!.response;
}

const at = (path: string) => rx.requests.filter((r) => r.path === path);

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_RETRY_SCHEDULE: '3600', HOOKLINE_ENDPOINT_CONCURRENCY: '4' });
  db = connectDatabase({ connectionString: h.connectionString, max: 2 });
  const { apiKey } = await h.createTenant('mtls');
  auth = { authorization: `Bearer ${apiKey}` };
  [serverCa, clientCa] = await Promise.all([createCertificateAuthority('Receiver Server CA'), createCertificateAuthority('Receiver Client CA')]);
  client = await clientCa.issue({ client: true, commonName: 'hookline-client' });
  rx = await startTlsReceiver(await serverCa.issue(), { clientCa: clientCa.cert });
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'paid' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'mtls' }).expect(201)).body.id;
});
afterAll(async () => {
  await rx?.close();
  await db?.destroy();
  await h?.stop();
});

describe('the mtls routes', () => {
  it('stores the identity with its key encrypted, shows the certificate and CA bundle but never the key, and audits without it', async () => {
    const { id } = await endpoint('/routes');
    expect((await h.http.get(mtlsPath(id)).set(auth).expect(404)).body.code).toBe('not_found');
    await h.http
      .put(mtlsPath(id))
      .set(auth)
      .send({ identity: identityOf(client), serverCaCert: serverCa.cert })
      .expect(204);

    const got = await h.http.get(mtlsPath(id)).set(auth).expect(200);
    const leaf = new X509Certificate(client.cert);
    expect(got.body).toMatchObject({
      serverCaCert: serverCa.cert.replaceAll('\r\n', '\n').trim(),
      clientCertificate: { subject: 'CN=hookline-client', issuer: 'CN=Receiver Client CA', fingerprint256: leaf.fingerprint256, chainLength: 1 },
    });
    expect(got.body.clientCertificate.serialNumber.toLowerCase()).toBe(client.serialNumber.toLowerCase());
    expect(Date.parse(got.body.clientCertificate.notAfter)).toBe(Date.parse(leaf.validTo));
    expect(got.text).not.toContain('PRIVATE KEY');
    expect(got.text).not.toContain(keyLine(client.key));

    // At rest: a bound envelope, decryptable only at its own place.
    const row = await db.selectFrom('endpointMtls').selectAll().where('endpointId', '=', id).executeTakeFirstOrThrow();
    expect(row.clientKey).toMatch(/^hl2:test:/);
    expect(row.clientKey).not.toContain(keyLine(client.key));
    const box = new SecretBox(parseEncryptionKeys(TEST_ENCRYPTION_KEYS));
    expect(createPrivateKey(box.decrypt(row.clientKey!, mtlsKeyPlace(row))).asymmetricKeyType).toBe('rsa');
    expect(() => box.decrypt(row.clientKey!, mtlsKeyPlace({ ...row, endpointId: 'ep_other' }))).toThrow(/does not decrypt/);

    const audit = (await h.http.get('/api/v1/audit-log').set(auth).query({ action: 'endpoint.mtls.updated' }).expect(200)).body.data;
    const mine = audit.filter((r: { target: { id: string } }) => r.target.id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0].changes).toEqual({ clientCertificate: { to: leaf.fingerprint256 }, serverCaCert: { changed: true } });
    expect(JSON.stringify(audit)).not.toContain(keyLine(client.key));

    // A CA bundle alone (Hookline's extension): the client identity is removed.
    await h.http.put(mtlsPath(id)).set(auth).send({ serverCaCert: serverCa.cert }).expect(204);
    expect((await h.http.get(mtlsPath(id)).set(auth).expect(200)).body.clientCertificate).toBeNull();

    await h.http.delete(mtlsPath(id)).set(auth).expect(204);
    await h.http.get(mtlsPath(id)).set(auth).expect(404);
    await h.http.delete(mtlsPath(id)).set(auth).expect(204);
    const deleted = (await h.http.get('/api/v1/audit-log').set(auth).query({ action: 'endpoint.mtls.deleted' }).expect(200)).body.data;
    expect(deleted.filter((r: { target: { id: string } }) => r.target.id === id)).toHaveLength(1);

    // The settings go with their endpoint; another app's endpoint id is a 404.
    await h.http
      .put(mtlsPath(id))
      .set(auth)
      .send({ identity: identityOf(client) })
      .expect(204);
    await h.http.delete(`/api/v1/app/${appId}/endpoint/${id}`).set(auth).expect(204);
    expect(await db.selectFrom('endpointMtls').select('endpointId').where('endpointId', '=', id).execute()).toEqual([]);
    await h.http.get(mtlsPath(id)).set(auth).expect(404);
  });

  it('refuses bad PEM, a key of another certificate, an expired certificate, an encrypted key, a key in the CA bundle and an empty body with 422 on the field, changing nothing', async () => {
    const { id } = await endpoint('/refused');
    const other = await clientCa.issue({ client: true, commonName: 'other' });
    const expired = await clientCa.issue({ client: true, notAfter: new Date(Date.now() - 3_600_000) });
    const encryptedKey = createPrivateKey(client.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    const cases: Array<[object, string, RegExp]> = [
      [{ identity: 'not a pem' }, 'identity', /no PEM certificate/],
      [{ identity: client.cert }, 'identity', /no PEM private key/],
      [{ identity: `${client.cert}\n${other.key}` }, 'identity', /does not belong to the first certificate/],
      [{ identity: identityOf(expired) }, 'identity', /expired on/],
      [{ identity: `${client.cert}\n${encryptedKey}` }, 'identity', /encrypted with a passphrase/],
      [{ identity: client.cert.replace(/[A-Za-z]{20}/, 'A'.repeat(20)) + client.key }, 'identity', /not a valid X.509 certificate|does not belong/],
      [{ serverCaCert: `${serverCa.cert}\n${serverCa.key}` }, 'serverCaCert', /unexpected PEM block "PRIVATE KEY"/],
      [{ serverCaCert: 'nothing' }, 'serverCaCert', /no PEM certificate/],
      [{ identity: 'x'.repeat(64 * 1024 + 1) }, 'identity', /./],
      [{}, 'identity', /identity .* serverCaCert/],
    ];
    for (const [body, field, msg] of cases) {
      const res = await h.http.put(mtlsPath(id)).set(auth).send(body).expect(422);
      expect(res.body.detail[0].loc, JSON.stringify(body).slice(0, 60)).toEqual(['body', field]);
      expect(res.body.detail[0].msg).toMatch(msg);
      expect(res.text).not.toContain(keyLine(client.key));
    }
    await h.http.get(mtlsPath(id)).set(auth).expect(404);
  });
});

describe('delivery over mutual TLS', () => {
  it('presents the client certificate, trusts the private CA, and reuses its connection across deliveries', async () => {
    const { id, secret } = await endpoint('/mtls');
    await h.http
      .put(mtlsPath(id))
      .set(auth)
      .send({ identity: identityOf(client), serverCaCert: serverCa.cert })
      .expect(204);
    const before = rx.handshakes;
    for (let i = 0; i < 5; i++) {
      await publish({ n: i });
      await waitUntil(() => at('/mtls').length === i + 1, 20_000, `delivery ${i + 1}`);
    }
    const first = at('/mtls')[0]!;
    expect(first.clientName).toBe('hookline-client');
    expect(new Webhook(secret).verify(first.body, first.headers as Record<string, string>)).toEqual({ n: 0 });
    // One handshake, then the same keep-alive connection for every delivery after it.
    expect(rx.handshakes - before).toBe(1);

    // A burst: new connections only up to the endpoint's concurrency, not one per delivery.
    const burst = 20;
    for (let i = 0; i < burst; i++) await publish({ burst: i });
    await waitUntil(() => at('/mtls').length === 5 + burst, 30_000, 'the burst');
    expect(rx.handshakes - before).toBeLessThanOrEqual(1 + 4);

    // A new identity replaces the agent: the next delivery shows the new certificate.
    const renewed = await clientCa.issue({ client: true, commonName: 'hookline-client-renewed' });
    await h.http
      .put(mtlsPath(id))
      .set(auth)
      .send({ identity: identityOf(renewed), serverCaCert: serverCa.cert })
      .expect(204);
    await publish({ renewed: true });
    await waitUntil(() => at('/mtls').length === 6 + burst, 20_000, 'the delivery with the renewed certificate');
    expect(at('/mtls').at(-1)!.clientName).toBe('hookline-client-renewed');
  });

  it('fails with a clear reason when no client certificate is sent, when the CA bundle does not match, and when the client CA is not trusted', async () => {
    const { id: none } = await endpoint('/none');
    await h.http.put(mtlsPath(none)).set(auth).send({ serverCaCert: serverCa.cert }).expect(204);
    const { id: wrongCa } = await endpoint('/wrong-ca');
    await h.http
      .put(mtlsPath(wrongCa))
      .set(auth)
      .send({ identity: identityOf(client), serverCaCert: clientCa.cert })
      .expect(204);
    const { id: untrusted } = await endpoint('/untrusted');
    const stranger = await serverCa.issue({ client: true, commonName: 'stranger' });
    await h.http
      .put(mtlsPath(untrusted))
      .set(auth)
      .send({ identity: identityOf(stranger), serverCaCert: serverCa.cert })
      .expect(204);
    const { id: plain } = await endpoint('/plain');

    const msg = await publish({ failing: true });
    expect(await failureOf(none, msg)).toMatch(/^TLS error: the endpoint requires a client certificate \(mutual TLS\) and none was sent/);
    expect(await failureOf(wrongCa, msg)).toMatch(/^TLS error: the endpoint's certificate is not signed by a trusted CA/);
    // Node's server refuses a client certificate it does not trust by closing, without an alert.
    expect(await failureOf(untrusted, msg)).toMatch(/^connection closed by server without answering \(a server may refuse a client certificate this way\)/);
    // Without settings, the system's roots do not know the private CA either.
    expect(await failureOf(plain, msg)).toMatch(/^TLS error: the endpoint's certificate is not signed by a trusted CA/);
    for (const path of ['/none', '/wrong-ca', '/untrusted', '/plain']) expect(at(path)).toEqual([]);
  });

  it('re-encrypts the client key under a new master key, still bound to its row', async () => {
    const { id } = await endpoint('/reencrypt');
    await h.http
      .put(mtlsPath(id))
      .set(auth)
      .send({ identity: identityOf(client) })
      .expect(204);
    const k2 = `k2:${Buffer.alloc(32, 9).toString('base64')}`;
    const box = new SecretBox(parseEncryptionKeys(`${k2},${TEST_ENCRYPTION_KEYS}`));
    const result = await reencryptSecrets(db, box);
    expect(result.mtlsKeys).toBeGreaterThanOrEqual(1);
    const row = await db.selectFrom('endpointMtls').selectAll().where('endpointId', '=', id).executeTakeFirstOrThrow();
    expect(row.clientKey).toMatch(/^hl2:k2:/);
    expect(box.decrypt(row.clientKey!, mtlsKeyPlace(row))).toBe(client.key.trim());
  });
});

/** A line from the middle of a PEM key: what a leak of it would contain. */
function keyLine(pem: string): string {
  return pem.split(/\r?\n/)[5]!;
}
