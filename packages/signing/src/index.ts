export { InvalidSecretError, WebhookVerificationError } from './errors.ts';
export {
  ASYMMETRIC_SECRET_PREFIX,
  PUBLIC_KEY_PREFIX,
  SYMMETRIC_SECRET_PREFIX,
  generateAsymmetricKeyPair,
  generateSecret,
  parseSecret,
  publicKeyFromSecret,
} from './secret.ts';
export type { AsymmetricKeyPair } from './secret.ts';
export { signPayload, signatureHeaders } from './sign.ts';
export type { SignPayloadInput, SignatureHeaders, SignatureHeadersInput } from './sign.ts';
export { DEFAULT_TOLERANCE_SECONDS, verifyWebhook } from './verify.ts';
export type { VerifyWebhookOptions, WebhookHeaders } from './verify.ts';
