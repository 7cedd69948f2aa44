// TLS failures as attempt reasons a tenant can act on: whether the endpoint refused Hookline's
// client certificate, or Hookline refused the endpoint's server certificate. The code stays in
// the reason, for searching.

const CLIENT_CERT_REQUIRED = new Set(['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE_NO_CERTIFICATE']);

/** Alerts a server sends when it does not accept the client certificate it got. */
const CLIENT_CERT_REFUSED = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

/** Node's verdicts on the server's certificate. */
const SERVER_CERT_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** The reason for a failed exchange whose errors carry a TLS code; undefined when none does. */
export function describeTlsFailure(codes: ReadonlySet<string>): string | undefined {
  for (const code of codes) {
    if (CLIENT_CERT_REQUIRED.has(code)) return `TLS error: the endpoint requires a client certificate (mutual TLS) and none was sent (${code})`;
    if (CLIENT_CERT_REFUSED.has(code)) return `TLS error: the endpoint refused the client certificate (${code})`;
    if (SERVER_CERT_UNTRUSTED.has(code)) return `TLS error: the endpoint's certificate is not signed by a trusted CA (${code})`;
    if (code === 'CERT_HAS_EXPIRED') return `TLS error: the endpoint's certificate has expired (${code})`;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return `TLS error: the endpoint's certificate is not valid for its host name (${code})`;
  }
  for (const code of codes) if (TLS_CODE.test(code)) return `TLS error: ${code}`;
  return undefined;
}

/**
 * A close without an answer, on a mutual TLS connection: some servers (Node's among them) refuse
 * a client certificate by closing the connection without an alert, so the reason says so.
 */
export function withMtlsHint<R extends { error: string }>(reason: R): R {
  if (reason.error !== 'connection closed by server') return reason;
  return { ...reason, error: `${reason.error} without answering (a server may refuse a client certificate this way)` };
}
