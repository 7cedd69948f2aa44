import { z } from 'zod';

/** The longest identity (certificate chain and key, PEM) an endpoint may hold. */
export const MAX_MTLS_IDENTITY_CHARS = 64 * 1024;
/** The longest CA bundle (PEM): room for a large public bundle, not for arbitrary data. */
export const MAX_MTLS_CA_BUNDLE_CHARS = 512 * 1024;

/**
 * Svix's EndpointMtlsConfigIn. In Hookline `identity` may be left out when `serverCaCert` is
 * given: a private CA for the endpoint's server certificate, with no client certificate.
 */
export const endpointMtlsConfigInSchema = z
  .object({
    /** PEM: the client certificate (leaf first, then any intermediates) and its unencrypted private key. */
    identity: z.string().min(1).max(MAX_MTLS_IDENTITY_CHARS).nullish(),
    /** PEM: the CA certificates the endpoint's server certificate must chain to (instead of the system's roots). */
    serverCaCert: z.string().min(1).max(MAX_MTLS_CA_BUNDLE_CHARS).nullish(),
  })
  .meta({ id: 'EndpointMtlsConfigIn' });
export type EndpointMtlsConfigIn = z.output<typeof endpointMtlsConfigInSchema>;

/** What Hookline shows of a client certificate (never its key). */
export const mtlsCertificateOutSchema = z
  .object({
    subject: z.string(),
    issuer: z.string(),
    serialNumber: z.string(),
    /** SHA-256 of the DER certificate, colon-separated hex. */
    fingerprint256: z.string(),
    notBefore: z.date(),
    notAfter: z.date(),
    /** Certificates in the chain sent, the leaf included. */
    chainLength: z.number().int(),
  })
  .meta({ id: 'MtlsCertificateOut' });
export type MtlsCertificateOut = z.output<typeof mtlsCertificateOutSchema>;

/** Svix's EndpointMtlsConfigOut (`serverCaCert`), plus Hookline's `clientCertificate` and `updatedAt`. */
export const endpointMtlsConfigOutSchema = z
  .object({
    serverCaCert: z.string().nullable(),
    clientCertificate: mtlsCertificateOutSchema.nullable(),
    updatedAt: z.date(),
  })
  .meta({ id: 'EndpointMtlsConfigOut' });
export type EndpointMtlsConfigOut = z.output<typeof endpointMtlsConfigOutSchema>;
