/**
 * Thrown when a signing secret or key (`whsec_`, `whsk_`, `whpk_` or bare
 * base64) is malformed. This is a configuration problem on your side, not a
 * problem with the incoming request.
 */
export class InvalidSecretError extends Error {
  override name = 'InvalidSecretError';
}

/**
 * Thrown when a webhook cannot be verified: missing or malformed headers, a
 * timestamp outside the tolerance window, or no matching signature. Respond
 * with a 4xx status and do not process the payload.
 */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}
