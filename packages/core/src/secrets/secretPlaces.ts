import { UnreadableSecretError } from '../errors.ts';
import { SecretDecryptionError, type SecretBox, type SecretPlace } from './secretBox.ts';

// Where each kind of secret is stored: the place its envelope is bound to (see secretBox.ts).

/** An endpoint's signing secret (current or in its grace period): one `endpoint_secret` row. */
export const endpointSecretPlace = (row: { id: string; tenantId: string }): SecretPlace => ({
  table: 'endpoint_secret',
  column: 'secret',
  rowId: row.id,
  tenantId: row.tenantId,
});

/** An application integration's key: one `integration` row. */
export const integrationKeyPlace = (row: { id: string; tenantId: string }): SecretPlace => ({
  table: 'integration',
  column: 'key',
  rowId: row.id,
  tenantId: row.tenantId,
});

/** An endpoint's mutual TLS client key: one `endpoint_mtls` row (keyed by the endpoint's id). */
export const mtlsKeyPlace = (row: { endpointId: string; tenantId: string }): SecretPlace => ({
  table: 'endpoint_mtls',
  column: 'client_key',
  rowId: row.endpointId,
  tenantId: row.tenantId,
});

/** An application's failure-notice chat webhook URL (it carries the webhook's token): one `notification_setting` row. */
export const noticeChatUrlPlace = (row: { appId: string; tenantId: string }): SecretPlace => ({
  table: 'notification_setting',
  column: 'chat_webhook_url',
  rowId: row.appId,
  tenantId: row.tenantId,
});

/** One custom header value of an endpoint (operational webhook endpoints included), by header name. */
export const headerValuePlace = (endpoint: { id: string; tenantId: string }, name: string): SecretPlace => ({
  table: 'endpoint',
  column: 'headers',
  rowId: endpoint.id,
  tenantId: endpoint.tenantId,
  field: name,
});

/** An endpoint's OAuth client secret: one `endpoint_auth` row (keyed by the endpoint's id). */
export const oauthClientSecretPlace = (endpoint: { id: string; tenantId: string }): SecretPlace => ({
  table: 'endpoint_auth',
  column: 'oauth_client_secret',
  rowId: endpoint.id,
  tenantId: endpoint.tenantId,
});

/** An endpoint's HTTP basic-auth password: one `endpoint_auth` row (keyed by the endpoint's id). */
export const basicAuthPasswordPlace = (endpoint: { id: string; tenantId: string }): SecretPlace => ({
  table: 'endpoint_auth',
  column: 'basic_password',
  rowId: endpoint.id,
  tenantId: endpoint.tenantId,
});

/** A setting of the whole installation (the generated portal signing key, a master key's check value). */
export const settingPlace = (key: string): SecretPlace => ({ table: 'setting', column: 'value', rowId: key, tenantId: '' });

/**
 * Decrypts a value for an API answer: one that does not decrypt at its place becomes an
 * UnreadableSecretError whose message (`what` cannot be read, and how to replace it) names
 * nothing stored; the reason goes to the log with it.
 */
export function readSecret(box: SecretBox, stored: string, place: SecretPlace, what: string, remedy: string): string {
  try {
    return box.decrypt(stored, place);
  } catch (err) {
    if (err instanceof SecretDecryptionError) throw new UnreadableSecretError(`${what} cannot be read: it was altered, or copied from another place. ${remedy}`, err);
    throw err;
  }
}
