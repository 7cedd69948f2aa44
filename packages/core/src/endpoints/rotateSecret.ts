import { endpointRepo, type Database } from '@hookline/db';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { BadRequestError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { emitOperationalEvent, type OperationalEmitter } from '../operational/operationalEvents.ts';
import { SecretDecryptionError, type SecretBox } from '../secrets/secretBox.ts';
import { endpointSecretPlace, readSecret } from '../secrets/secretPlaces.ts';
import { endpointTarget } from './endpointAudit.ts';
import { getEndpoint } from './endpoints.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS, type EndpointSecretRotateIn } from './endpointSchemas.ts';
import { checkSigningSecret, generateSigningSecret, signatureTypeOf } from './signingSecrets.ts';

/** Svix's limit: at most this many old keys may still be in their grace period. */
export const MAX_OLD_SECRETS = 10;

/**
 * Makes `key` (or a new secret) the endpoint's current one. The previous current secret keeps
 * signing, next to the new one, until its grace period ends, so receivers can switch keys
 * whenever they like within it; the worker signs with every live secret.
 *
 * The endpoint keeps its signature scheme: a generated key is of the current key's scheme (a new
 * ed25519 key pair for an ed25519 endpoint), and a given `key` of the other scheme is a 422, so
 * every attempt carries signatures of one kind only (all `v1,` or all `v1a,`).
 *
 * Refused with `limit_reached` (400) when more than {@link MAX_OLD_SECRETS} old secrets would be
 * in their grace period at once: each attempt carries one signature per live secret.
 *
 * Emits `endpoint.updated` with the rotation (its transaction), as Svix does: a vendor's
 * operational endpoint learns that the receiver must take the new key. `events` null: none.
 */
export async function rotateEndpointSecret(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointSecretRotateIn,
  box: SecretBox,
  events: OperationalEmitter | null,
  audit: AuditContext,
): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const givenType = input.key ? checkSigningSecret(input.key, ['body', 'key']) : undefined;
  const graceSeconds = input.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
  await db.transaction().execute(async (trx) => {
    // The lock makes concurrent rotations of one endpoint take turns: each sees the other's result.
    if (!(await endpointRepo.lockEndpoint(trx, tenantId, ep.id))) throw new NotFoundError('Endpoint not found');
    const now = new Date();
    await endpointRepo.deleteExpiredSecrets(trx, tenantId, ep.id, now);
    const [current] = await endpointRepo.listLiveSecrets(trx, tenantId, ep.id);
    // A current secret that cannot be read (altered, or copied from elsewhere) cannot sign: a given key of any scheme replaces it at once.
    const unreadable = current !== undefined && givenType !== undefined && !canRead(box, current, tenantId);
    const type =
      current === undefined
        ? 'hmac256'
        : unreadable
          ? givenType
          : signatureTypeOf(
              readSecret(box, current.secret, endpointSecretPlace({ id: current.id, tenantId }), "The endpoint's signing secret", 'Rotate it, giving the new key.'),
            );
    if (givenType !== undefined && givenType !== type) {
      throw new ValidationError(
        ['body', 'key'],
        `The endpoint signs with ${type} keys; a ${givenType} key cannot replace them (create a new endpoint to change the scheme)`,
      );
    }
    const inGrace = await endpointRepo.countGraceSecrets(trx, tenantId, ep.id, now);
    if (inGrace + 1 > MAX_OLD_SECRETS) {
      throw new BadRequestError(
        `An endpoint's secret can be rotated at most ${MAX_OLD_SECRETS} times while the previous secrets are in their grace period`,
        'limit_reached',
      );
    }
    await endpointRepo.expireCurrentSecret(trx, tenantId, ep.id, unreadable ? now : new Date(now.getTime() + graceSeconds * 1000));
    const id = newId('sec', now);
    const secret = box.encrypt(input.key ?? generateSigningSecret(type), endpointSecretPlace({ id, tenantId }));
    await endpointRepo.insertSecret(trx, { id, tenantId, endpointId: ep.id, secret, createdAt: now });
    await emitOperationalEvent(trx, events, tenantId, { type: 'endpoint.updated', endpoint: { id: ep.id, uid: ep.uid, appId: ep.appId } });
    await recordAudit(trx, audit, {
      action: 'endpoint.secret.rotated',
      target: endpointTarget(ep),
      changes: { secret: { changed: true }, gracePeriodSeconds: { to: unreadable ? 0 : graceSeconds }, keyGiven: { to: input.key !== undefined && input.key !== null } },
    });
  });
}

function canRead(box: SecretBox, stored: { id: string; secret: string }, tenantId: string): boolean {
  try {
    box.decrypt(stored.secret, endpointSecretPlace({ id: stored.id, tenantId }));
    return true;
  } catch (err) {
    if (err instanceof SecretDecryptionError) return false;
    throw err;
  }
}
