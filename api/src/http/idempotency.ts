import type { Request, Response } from 'express';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '@hookline/core';
import type { Database } from '@hookline/db';
import type { Reply } from './route.ts';
import { RequestValidationError } from './validate.ts';

/**
 * Runs a POST under its `idempotency-key`: the first 2xx response (status and body) is stored and
 * replayed to any repeat with the same tenant, key and path; a failed first request frees the key.
 */
export async function withIdempotency(
  db: Database,
  tenantId: string,
  req: Request,
  res: Response,
  run: () => Promise<Reply>,
): Promise<Reply | undefined> {
  const key = req.get('idempotency-key');
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 256) {
    throw new RequestValidationError([{ loc: ['header', 'idempotency-key'], msg: 'must be 1 to 256 characters', type: 'value_error' }]);
  }
  const ref = { tenantId, key, request: `${req.method} ${req.path}` };
  const claim = await claimIdempotencyKey(db, ref);
  if (claim.kind === 'replay') {
    res.setHeader('idempotent-replayed', 'true');
    res.status(claim.statusCode);
    if (claim.body === null) res.end();
    else res.type('application/json').send(claim.body);
    return undefined;
  }
  let reply: Reply;
  try {
    reply = await run();
  } catch (err) {
    await releaseIdempotencyKey(db, ref);
    throw err;
  }
  if (reply.status >= 200 && reply.status < 300) await completeIdempotencyKey(db, ref, reply.status, reply.body);
  else await releaseIdempotencyKey(db, ref);
  return reply;
}
