import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import tls from 'node:tls';
import { ValidationError } from '../../errors.ts';
import type { MtlsCertificateOut } from './mtlsSchemas.ts';

// The PEM an endpoint's mutual TLS settings are given in, checked with node:crypto before it is
// stored, so a bad certificate is a 422 on its field rather than a failed attempt later. Messages
// name what is wrong, never the material.

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
/** Blocks that come with a key from common tools and carry nothing TLS needs. */
const IGNORED_LABELS = new Set(['EC PARAMETERS']);

/** A checked client identity: the certificate chain (PEM, leaf first) and the key (PEM). */
export interface ClientIdentity {
  certChain: string;
  key: string;
}

function blocksOf(pem: string): Array<{ label: string; text: string }> {
  return [...pem.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, text: m[0].replaceAll('\r\n', '\n') }));
}

function parseCertificate(text: string, loc: string[], which: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch {
    throw new ValidationError(loc, `${which} is not a valid X.509 certificate`);
  }
}

/**
 * Checks `identity` (Svix's field: the client certificate chain and its private key, PEM): one
 * unencrypted key, at least one certificate, the first certificate's key is that key, it has not
 * expired, and TLS accepts the pair.
 */
export function parseClientIdentity(identity: string, now: Date): ClientIdentity {
  const loc = ['body', 'identity'];
  const blocks = blocksOf(identity);
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  const keys = blocks.filter((b) => KEY_LABELS.has(b.label));
  if (blocks.some((b) => b.label === 'ENCRYPTED PRIVATE KEY')) {
    throw new ValidationError(loc, 'the private key is encrypted with a passphrase: give it unencrypted (Hookline encrypts it at rest)');
  }
  const other = blocks.find((b) => b.label !== 'CERTIFICATE' && !KEY_LABELS.has(b.label) && !IGNORED_LABELS.has(b.label));
  if (other) throw new ValidationError(loc, `unexpected PEM block "${other.label}": expected CERTIFICATE blocks and one PRIVATE KEY`);
  if (certs.length === 0) throw new ValidationError(loc, 'no PEM certificate (-----BEGIN CERTIFICATE-----) found: give the client certificate, then its private key');
  if (keys.length !== 1) throw new ValidationError(loc, keys.length === 0 ? 'no PEM private key (-----BEGIN PRIVATE KEY-----) found' : 'more than one private key');

  const chain = certs.map((c, i) => parseCertificate(c.text, loc, i === 0 ? 'the client certificate' : `certificate ${i + 1} of the chain`));
  const leaf = chain[0]!;
  let key: KeyObject;
  try {
    key = createPrivateKey(keys[0]!.text);
  } catch {
    throw new ValidationError(loc, 'the private key cannot be read (expected PKCS#8, PKCS#1 or SEC1 PEM)');
  }
  if (!leaf.checkPrivateKey(key)) throw new ValidationError(loc, 'the private key does not belong to the first certificate (the client certificate)');
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() <= now.getTime()) throw new ValidationError(loc, `the client certificate expired on ${notAfter.toISOString()}`);

  const result = { certChain: certs.map((c) => c.text).join('\n'), key: keys[0]!.text };
  try {
    tls.createSecureContext({ cert: result.certChain, key: result.key });
  } catch (err) {
    throw new ValidationError(loc, `the certificate and key cannot be used for TLS: ${(err as Error).message}`.slice(0, 300));
  }
  return result;
}

/** Checks a CA bundle (PEM certificates only) and returns it as its certificate blocks alone. */
export function parseCaBundle(bundle: string): string {
  const loc = ['body', 'serverCaCert'];
  const blocks = blocksOf(bundle);
  const other = blocks.find((b) => b.label !== 'CERTIFICATE');
  // A key here would be stored and shown as it is: refused, whatever else the bundle holds.
  if (other) throw new ValidationError(loc, `unexpected PEM block "${other.label}": a CA bundle holds CERTIFICATE blocks only`);
  if (blocks.length === 0) throw new ValidationError(loc, 'no PEM certificate (-----BEGIN CERTIFICATE-----) found');
  blocks.forEach((b, i) => parseCertificate(b.text, loc, blocks.length === 1 ? 'the CA certificate' : `CA certificate ${i + 1}`));
  const pem = blocks.map((b) => b.text).join('\n');
  try {
    tls.createSecureContext({ ca: pem });
  } catch (err) {
    throw new ValidationError(loc, `the CA bundle cannot be used for TLS: ${(err as Error).message}`.slice(0, 300));
  }
  return pem;
}

/** What the API shows of a stored certificate chain: its leaf's names, serial, fingerprint and validity. */
export function describeCertificateChain(certChain: string): MtlsCertificateOut {
  const blocks = blocksOf(certChain);
  const leaf = new X509Certificate(blocks[0]!.text);
  return {
    subject: leaf.subject.replaceAll('\n', ', '),
    issuer: leaf.issuer.replaceAll('\n', ', '),
    serialNumber: leaf.serialNumber,
    fingerprint256: leaf.fingerprint256,
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
    chainLength: blocks.length,
  };
}
