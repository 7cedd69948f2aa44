import { endpointRepo, endpointTransformationRepo, type Database } from '@hookline/db';
import { describeChanges } from '../audit/auditChanges.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { endpointTarget } from '../endpoints/endpointAudit.ts';
import { getEndpoint } from '../endpoints/endpoints.ts';
import { exampleOf } from '../endpoints/sendExample.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { FeatureFlagScope } from '../eventTypes/featureFlags.ts';
import { CompiledTransformation, TransformationSyntaxError } from './sandbox.ts';
import type {
  EndpointTransformationOut,
  EndpointTransformationPatch,
  EndpointTransformationSimulateIn,
  EndpointTransformationSimulateOut,
} from './transformationSchemas.ts';
import { outcomeOf, webhookInputJson } from './webhookShape.ts';
import { TransformationFailedError } from './transformationErrors.ts';

// An endpoint's transformation as the API reads, sets and tries it (Svix's
// …/endpoint/{id}/transformation routes). The worker runs it through Transformer.

/** Svix's answer for an endpoint never given one: no code, disabled. */
export async function getEndpointTransformation(db: Database, tenantId: string, appId: string, idOrUid: string): Promise<EndpointTransformationOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const row = await endpointTransformationRepo.findTransformation(db, tenantId, ep.id);
  return { code: row?.code ?? null, enabled: row?.enabled ?? false, variables: row?.variables ?? null, updatedAt: row?.updatedAt ?? null };
}

/**
 * Sets what the patch names and keeps the rest (Svix's PATCH): `code: null` removes the code.
 * Code that does not compile is refused (422) rather than failing every attempt later. The audit
 * record says whether code and variables changed, never their text (variables may hold URLs with
 * tokens).
 */
export async function patchEndpointTransformation(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  patch: EndpointTransformationPatch,
  audit: AuditContext,
): Promise<void> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  if (typeof patch.code === 'string') await assertCompiles(patch.code);
  await db.transaction().execute(async (trx) => {
    // The endpoint's row lock orders concurrent patches (the transformation row may not exist yet).
    if (!(await endpointRepo.lockEndpoint(trx, tenantId, ep.id))) throw new NotFoundError('Endpoint not found');
    const before = await endpointTransformationRepo.lockTransformation(trx, tenantId, ep.id);
    const after = {
      tenantId,
      endpointId: ep.id,
      code: patch.code === undefined ? (before?.code ?? null) : patch.code,
      enabled: patch.enabled ?? before?.enabled ?? false,
      variables: patch.variables === undefined ? (before?.variables ?? null) : patch.variables,
      updatedAt: new Date(),
    };
    await endpointTransformationRepo.saveTransformation(trx, after);
    const changes = describeChanges(before ?? { code: null, enabled: false, variables: null }, after, ['code', 'enabled', 'variables'], ['code', 'variables']);
    await recordAudit(trx, audit, { action: 'endpoint.transformation.updated', target: endpointTarget(ep), changes });
  });
}

/**
 * Runs `code` on a payload (or the event type's example) as the worker would for this endpoint,
 * sending nothing and storing nothing. A failure (throws, times out, out of memory, bad shape) is
 * a TransformationFailedError with the reason an attempt would record.
 */
export async function simulateTransformation(
  db: Database,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EndpointTransformationSimulateIn,
  scope?: FeatureFlagScope,
): Promise<EndpointTransformationSimulateOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const payloadJson =
    input.payload === undefined ? await exampleOf(db, tenantId, { eventType: input.eventType, exampleIndex: input.exampleIndex }, scope) : JSON.stringify(input.payload);
  const compiled = await compileOrRefuse(input.code);
  try {
    const webhook = { method: 'POST' as const, url: ep.url, eventType: input.eventType, payloadJson };
    const outcome = outcomeOf(await compiled.run(webhookInputJson(webhook)), webhook);
    if (outcome.kind === 'failed') throw new TransformationFailedError(outcome.reason);
    if (outcome.kind === 'cancel') return { method: null, url: ep.url, payload: payloadJson, canceled: true };
    return { method: outcome.method, url: outcome.url, payload: outcome.body, canceled: false };
  } finally {
    compiled.release();
  }
}

async function compileOrRefuse(code: string): Promise<CompiledTransformation> {
  try {
    return await CompiledTransformation.compile(code);
  } catch (err) {
    if (err instanceof TransformationSyntaxError) throw new ValidationError(['body', 'code'], `the code does not compile: ${err.message}`);
    throw err;
  }
}

async function assertCompiles(code: string): Promise<void> {
  (await compileOrRefuse(code)).release();
}
