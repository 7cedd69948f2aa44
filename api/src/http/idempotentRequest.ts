import type { Request, Response } from 'express';
import { claimIdempotencyKey, claimIdempotencyKeyIn, completeIdempotencyKey, releaseIdempotencyKey } from '@hookline/core';
import type { Database, Transaction } from '@hookline/db';
import type { Reply } from './reply.ts';
import { RequestValidationError } from './validate.ts';

/**
 * The key of a request whose whole effect commits in one transaction, claimed and completed inside
 * that transaction: a crash before the commit leaves no claim to wait out, and a committed effect
 * always has its response stored for replay (a retry after a lost 2xx gets that 2xx).
 */
export interface TransactionalIdempotency {
  /** Claims the key in `trx`. A concurrent request with the key waits here for that one to end; a taken key throws, rolling `trx` back. */
  claim(trx: Transaction): Promise<void>;
  /** Stores the success response in `trx`, to commit with the effect. */
  complete(trx: Transaction, statusCode: number, body: unknown): Promise<void>;
}

/**
 * How a route's repeats are answered when its response must not be stored as it is. Replay records
 * hold no credentials and no message content (docs/security.md):
 * - `reissue`: the response carries a credential (a portal token). Nothing is stored; a repeat runs
 *   the handler again and gets a fresh credential of the same kind. Only for handlers whose one
 *   lasting effect is idempotent by itself (app-portal-access finds the application it created).
 * - `rebuild`: `store` keeps what may be kept; `rebuild` makes the replayed body from it and the
 *   current state (a publish's payload is read from the message row, so deleted content stays gone).
 */
export type ReplayPolicy =
  | { kind: 'reissue' }
  | { kind: 'rebuild'; store: (body: unknown) => unknown; rebuild: (ctx: { db: Database; tenantId: string; req: Request }, stored: unknown) => Promise<unknown> };

class IdempotencyKeyTaken extends Error {
  override name = 'IdempotencyKeyTaken';
}

/**
 * Runs a POST under its `idempotency-key`: the first 2xx response (status and body) is stored and
 * replayed to any repeat with the same tenant, key and path; a failed first request frees the key.
 * With `inTransaction`, the handler claims and completes the key in its own transaction; `replay`
 * changes what is stored (see ReplayPolicy).
 */
export async function withIdempotency(
  db: Database,
  tenantId: string,
  req: Request,
  res: Response,
  run: (idempotency?: TransactionalIdempotency) => Promise<Reply>,
  { inTransaction = false, replay }: { inTransaction?: boolean | undefined; replay?: ReplayPolicy | undefined } = {},
): Promise<Reply | undefined> {
  const key = req.get('idempotency-key');
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 256) {
    throw new RequestValidationError([{ loc: ['header', 'idempotency-key'], msg: 'must be 1 to 256 characters', type: 'value_error' }]);
  }
  if (replay?.kind === 'reissue') return run();
  const storable = (body: unknown) => (replay?.kind === 'rebuild' && body !== undefined ? replay.store(body) : body);
  const ref = { tenantId, key, request: `${req.method} ${req.path}` };
  if (inTransaction) {
    try {
      return await run({
        async claim(trx) {
          if (!(await claimIdempotencyKeyIn(trx, ref))) throw new IdempotencyKeyTaken();
        },
        complete: (trx, statusCode, body) => completeIdempotencyKey(trx, ref, statusCode, storable(body)),
      });
    } catch (err) {
      // Taken: below, the stored response is replayed (or a claim by an older process waited out).
      if (!(err instanceof IdempotencyKeyTaken)) throw err;
    }
  }
  const claim = await claimIdempotencyKey(db, ref);
  if (claim.kind === 'replay') {
    res.setHeader('idempotent-replayed', 'true');
    if (claim.body === null) res.status(claim.statusCode).end();
    else if (replay?.kind === 'rebuild') res.status(claim.statusCode).json(await replay.rebuild({ db, tenantId, req }, JSON.parse(claim.body)));
    else res.status(claim.statusCode).type('application/json').send(claim.body);
    return undefined;
  }
  let reply: Reply;
  try {
    reply = await run();
  } catch (err) {
    await releaseIdempotencyKey(db, ref);
    throw err;
  }
  if (reply.status >= 200 && reply.status < 300) await completeIdempotencyKey(db, ref, reply.status, storable(reply.body));
  else await releaseIdempotencyKey(db, ref);
  return reply;
}
