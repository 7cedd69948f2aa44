import { generateAsymmetricKeyPair, generateSecret, parseSecret, publicKeyFromSecret, ASYMMETRIC_SECRET_PREFIX } from '@hookline/signing';
import { ValidationError } from '../errors.ts';

/**
 * How an endpoint's deliveries are signed (Svix's names): `hmac256` is a shared `whsec_` secret and
 * `v1,` signatures; `ed25519` is a `whsk_` key pair and `v1a,` signatures, verified with the `whpk_`
 * public key. The scheme is not stored apart from the key: as Standard Webhooks intends, the
 * prefix of the endpoint's current key says which one it is.
 */
export type SignatureType = 'hmac256' | 'ed25519';

export const signatureTypeOf = (secret: string): SignatureType => (secret.startsWith(ASYMMETRIC_SECRET_PREFIX) ? 'ed25519' : 'hmac256');

/** A new signing secret of the given scheme: `whsec_…`, or the `whsk_…` half of a new key pair. */
export function generateSigningSecret(type: SignatureType): string {
  return type === 'ed25519' ? generateAsymmetricKeyPair().secret : generateSecret();
}

/** Checks a given `whsec_` / bare base64 secret or `whsk_` key in full, reporting a bad one at `loc` (422). */
export function checkSigningSecret(secret: string, loc: string[]): SignatureType {
  const type = signatureTypeOf(secret);
  try {
    if (type === 'ed25519') publicKeyFromSecret(secret);
    else parseSecret(secret);
  } catch (err) {
    throw new ValidationError(loc, err instanceof Error ? err.message : 'Invalid secret');
  }
  return type;
}

/** What may be shown of a secret: a symmetric one as it is, an ed25519 key as its `whpk_` public key. */
export const shownSecret = (secret: string): string => (signatureTypeOf(secret) === 'ed25519' ? publicKeyFromSecret(secret) : secret);

/**
 * The first secret of a new endpoint: the given one (its prefix decides the scheme), else a new one
 * of `signatureType` (default hmac256). A `signatureType` that contradicts the given secret is a 422.
 */
export function initialSigningSecret(input: { secret?: string | null | undefined; signatureType?: SignatureType | null | undefined }): string {
  if (!input.secret) return generateSigningSecret(input.signatureType ?? 'hmac256');
  const type = checkSigningSecret(input.secret, ['body', 'secret']);
  if (input.signatureType && input.signatureType !== type) {
    throw new ValidationError(['body', 'signatureType'], `The given secret is ${type}, not ${input.signatureType}`);
  }
  return input.secret;
}
