import { BadRequestError } from '../../errors.ts';
import { isBound, type SecretBox, type SecretPlace } from '../../secrets/secretBox.ts';

/** A sign-in with a provider must come back within this time. */
export const SSO_TRANSACTION_SECONDS = 600;
/** The browser's cookie that holds the sealed transaction between start and callback. */
export const SSO_TRANSACTION_COOKIE = 'hookline_sso';

export interface SsoTransaction {
  tenantId: string;
  state: string;
  nonce: string;
  /** The PKCE code verifier: only in this sealed cookie, never in a URL or the database. */
  verifier: string;
  redirectUri: string;
  expiresAt: number;
}

// Sealed with the SecretBox (AES-256-GCM, authenticated with this place): the browser can neither read nor forge it.
const PLACE: SecretPlace = { table: 'cookie', column: SSO_TRANSACTION_COOKIE, rowId: 'sso-transaction', tenantId: '' };

export function sealSsoTransaction(box: SecretBox, tx: SsoTransaction): string {
  return box.encrypt(JSON.stringify(tx), PLACE);
}

/** The transaction of the browser's cookie; a missing, forged or expired one is a 400. */
export function openSsoTransaction(box: SecretBox, sealed: string | undefined): SsoTransaction {
  if (!sealed) throw new BadRequestError('No single sign-on in progress in this browser (the cookie is missing): start again');
  let tx: SsoTransaction;
  try {
    // Only a bound envelope: the box would read a plaintext value as it is.
    if (!isBound(sealed)) throw new Error('not sealed');
    tx = JSON.parse(box.decrypt(sealed, PLACE)) as SsoTransaction;
  } catch {
    throw new BadRequestError('The single sign-on cookie is not valid: start again');
  }
  if (!(tx.expiresAt > Date.now())) throw new BadRequestError('The single sign-on took too long: start again');
  return tx;
}
