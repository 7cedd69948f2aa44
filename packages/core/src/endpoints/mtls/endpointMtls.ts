import { endpointMtlsRepo, endpointRepo, type Database } from '@hookline/db';
import { describeChanges } from '../../audit/auditChanges.ts';
import { recordAudit, type AuditContext } from '../../audit/auditLog.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { SecretBox } from '../../secrets/secretBox.ts';
import { mtlsKeyPlace } from '../../secrets/secretPlaces.ts';
import { endpointTarget } from '../endpointAudit.ts';
import { getEndpoint } from '../endpoints.ts';
import type { EndpointMtlsConfigIn, EndpointMtlsConfigOut } from './mtlsSchemas.ts';
import { describeCertificateChain, parseCaBundle, parseClientIdentity } from './pemBundle.ts';

// An endpoint's mutual TLS settings as the API reads, replaces and removes them (Svix's
// …/endpoint/{id}/mtls routes). The worker reads them through MtlsAgents.

/** The settings without the key; NotFoundError when the endpoint has none. */
export async function getEndpointMtls(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointMtlsConfigOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const row = await endpointMtlsRepo.findMtlsSettings(db, tenantId, ep.id);
  if (!row) throw new NotFoundError('This endpoint has no mutual TLS configuration');
  return {
    serverCaCert: row.serverCaCert,
    clientCertificate: row.clientCert === null ? null : describeCertificateChain(row.clientCert),
    updatedAt: row.updatedAt,
  };
}

/**
 * Replaces the settings (Svix's PUT): the identity's key is encrypted, bound to this endpoint's
 * row. Everything is checked first, so a refused body changes nothing. The audit record names the
 * client certificate by fingerprint and says only whether the CA bundle changed.
 */
export async function putEndpointMtls(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointMtlsConfigIn,
  box: SecretBox,
  audit: AuditContext,
): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  if (!input.identity && !input.serverCaCert) {
    throw new ValidationError(['body', 'identity'], 'give identity (a client certificate and its key), serverCaCert (a CA bundle), or both');
  }
  const identity = input.identity ? parseClientIdentity(input.identity, new Date()) : null;
  const serverCaCert = input.serverCaCert ? parseCaBundle(input.serverCaCert) : null;
  await db.transaction().execute(async (trx) => {
    // The endpoint's row lock orders concurrent writes (the settings row may not exist yet).
    if (!(await endpointRepo.lockEndpoint(trx, tenantId, ep.id))) throw new NotFoundError('Endpoint not found');
    const before = await endpointMtlsRepo.lockMtls(trx, tenantId, ep.id);
    await endpointMtlsRepo.saveMtls(trx, {
      tenantId,
      endpointId: ep.id,
      clientCert: identity?.certChain ?? null,
      clientKey: identity ? box.encrypt(identity.key, mtlsKeyPlace({ endpointId: ep.id, tenantId })) : null,
      serverCaCert,
      updatedAt: new Date(),
    });
    const changes = describeChanges(before && auditedSettings(before), auditedSettings({ clientCert: identity?.certChain ?? null, serverCaCert }), FIELDS, [
      'serverCaCert',
    ]);
    await recordAudit(trx, audit, { action: 'endpoint.mtls.updated', target: endpointTarget(ep), changes });
  });
}

/** Removes the settings (Svix's DELETE); a no-op, unaudited, when there are none. */
export async function deleteEndpointMtls(db: Database, tenantId: string, appId: string, idOrUid: string, audit: AuditContext): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  await db.transaction().execute(async (trx) => {
    const before = await endpointMtlsRepo.lockMtls(trx, tenantId, ep.id);
    if (!before || !(await endpointMtlsRepo.deleteMtls(trx, tenantId, ep.id))) return;
    const changes = describeChanges(auditedSettings(before), undefined, FIELDS, ['serverCaCert']);
    await recordAudit(trx, audit, { action: 'endpoint.mtls.deleted', target: endpointTarget(ep), changes });
  });
}

const FIELDS = ['clientCertificate', 'serverCaCert'] as const;

/** What the audit compares: the client certificate's fingerprint (public), the CA bundle (reported as changed only). */
function auditedSettings(row: { clientCert: string | null; serverCaCert: string | null }): { clientCertificate: string | null; serverCaCert: string | null } {
  return { clientCertificate: row.clientCert === null ? null : describeCertificateChain(row.clientCert).fingerprint256, serverCaCert: row.serverCaCert };
}
