import { endpointMtlsRepo, type Database } from '@hookline/db';
import type { SecretBox } from '../secrets/secretBox.ts';
import { mtlsKeyPlace } from '../secrets/secretPlaces.ts';
import type { MtlsLoader, TlsMaterial } from './mtlsAgents.ts';

/** Reads an endpoint's mutual TLS settings for the worker's agents, decrypting the client key. */
export function mtlsLoader(db: Database, box: SecretBox): MtlsLoader {
  return async ({ tenantId, endpointId }) => {
    const row = await endpointMtlsRepo.findMtls(db, tenantId, endpointId);
    if (!row) return undefined;
    const tls: TlsMaterial = {};
    if (row.clientCert !== null && row.clientKey !== null) {
      tls.cert = row.clientCert;
      tls.key = box.decrypt(row.clientKey, mtlsKeyPlace(row));
    }
    if (row.serverCaCert !== null) tls.ca = row.serverCaCert;
    return { version: row.updatedAt, tls };
  };
}
