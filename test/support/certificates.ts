import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

// Certificates made in the test run (no openssl, no files checked in): a private CA and the
// server or client certificates it signs, for HTTPS listeners and receivers on loopback.

/** A certificate (PEM) and its private key (PEM). */
export interface Pem {
  cert: string;
  key: string;
}

export interface CertificateAuthority extends Pem {
  /** A certificate it signs: for a server by default (valid for localhost, 127.0.0.1 and ::1), or for a client. */
  issue(options?: { commonName?: string; client?: boolean; notAfter?: Date }): Promise<Pem & { serialNumber: string }>;
}

/** An RSA key pair made by Node (forge's own generator is pure JavaScript and slow). */
function keyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: forge.pki.publicKeyFromPem(publicKey), privateKey: forge.pki.privateKeyFromPem(privateKey), privatePem: privateKey };
}

function certificate(subject: string, issuer: string, publicKey: forge.pki.rsa.PublicKey, extensions: object[], notAfter?: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive (high bit clear) and unique: a reloaded certificate is told apart by it.
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notAfter = notAfter ?? new Date(Date.now() + 7 * 86_400_000);
  cert.validity.notBefore = new Date(Math.min(Date.now() - 60_000, cert.validity.notAfter.getTime() - 86_400_000));
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setIssuer([{ name: 'commonName', value: issuer }]);
  cert.setExtensions(extensions);
  return cert;
}

export async function createCertificateAuthority(name = 'Hookline Test CA'): Promise<CertificateAuthority> {
  const caKeys = keyPair();
  const caCert = certificate(name, name, caKeys.publicKey, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  caCert.sign(caKeys.privateKey, forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(caCert),
    key: caKeys.privatePem,
    async issue({ commonName = 'localhost', client = false, notAfter } = {}) {
      const keys = keyPair();
      const cert = certificate(
        commonName,
        name,
        keys.publicKey,
        [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: !client, clientAuth: client },
          ...(client
            ? []
            : [
                {
                  name: 'subjectAltName',
                  altNames: [
                    { type: 2, value: 'localhost' },
                    { type: 7, ip: '127.0.0.1' },
                    { type: 7, ip: '::1' },
                  ],
                },
              ]),
        ],
        notAfter,
      );
      cert.sign(caKeys.privateKey, forge.md.sha256.create());
      return { cert: forge.pki.certificateToPem(cert), key: keys.privatePem, serialNumber: cert.serialNumber };
    },
  };
}
