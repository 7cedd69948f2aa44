import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { AuthenticationError, enforceApiRateLimit, looksLikePortalToken, type AllowList, type AuthFailureLimiter, type Config, type Metrics, type PortalCapability, type SecretBox, type Wakeup } from '@hookline/core';
import { scopeToTenant, type Database, type PgBoss } from '@hookline/db';
import { authenticateAdmin, authenticateTenant, bearerToken } from './auth.ts';
import { withIdempotency, type TransactionalIdempotency } from './idempotency.ts';
import { authenticatePortal } from './portalAccess.ts';
import { parseInput } from './validate.ts';

export interface ApiDeps {
  db: Database;
  boss: PgBoss;
  config: Readonly<Config>;
  allow: AllowList;
  /** Signs and verifies portal tokens. */
  portalKey: Uint8Array;
  metrics: Metrics;
  /** Encrypts and decrypts endpoint secrets and header values at rest. */
  secretBox: SecretBox;
  /** Tells the workers that messages wait to be fanned out. */
  fanOutWakeup: Wakeup;
  /** Failed authentications per client address (shared by the public and the operator listener). */
  authFailures: AuthFailureLimiter;
}

/**
 * Who may call a route: nobody in particular, the operator (admin token), or a tenant (API key, or
 * a portal token where the route allows one; see portalCapabilityFor).
 */
export type Auth = 'none' | 'admin' | 'tenant';

/** What a handler returns: a status and a JSON body, or a status alone for empty (204) replies. */
export interface Reply {
  status: number;
  body?: unknown;
  /** A plain-text body with its content type, instead of JSON (e.g. Prometheus metrics). */
  text?: { contentType: string; body: string };
}

type AnySchema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerContext<P, Q, B> {
  req: Request;
  deps: ApiDeps;
  /** Set for `tenant` routes: every query the handler makes is scoped by it. */
  tenantId: string;
  params: P;
  query: Q;
  body: B;
  /** Set when the route is `idempotentInTransaction` and the request has an idempotency-key. */
  idempotency?: TransactionalIdempotency;
}

/** One route: its contract (schemas, which also make the OpenAPI document) and its handler. */
export interface RouteSpec<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, e.g. `/api/v1/app/:app`. */
  path: string;
  auth: Auth;
  /** Stable name, as in Svix's API (`v1.application.create`). */
  operationId: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The capability a portal token needs here, or null to refuse portal tokens (default: from the path). */
  portal?: PortalCapability | null;
  /** A request without a body is read as `{}` (for bodies whose fields are all optional). */
  bodyOptional?: boolean;
  /** The handler claims and completes the idempotency key in the transaction that makes its effect (ctx.idempotency). */
  idempotentInTransaction?: boolean;
  /** Fields of the body kept as opaque JSON (they may hold any JSON text, see parseInput). */
  opaqueBodyFields?: readonly string[];
  /** The success status and the schema of its body (none: empty body). */
  response: { status: number; schema?: AnySchema; description?: string };
  handler: (ctx: HandlerContext<Out<P>, Out<Q>, Out<B>>) => Promise<Reply>;
}

export type RouteDefinition = RouteSpec<AnySchema | undefined, AnySchema | undefined, AnySchema | undefined>;

/** Declares a route; the generics give the handler typed params, query and body. */
export function defineRoute<P extends AnySchema | undefined = undefined, Q extends AnySchema | undefined = undefined, B extends AnySchema | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteDefinition {
  return spec as unknown as RouteDefinition;
}

/**
 * Authenticates a tenant or admin route and returns its tenant ('' for admin). An address over its
 * failed-authentication limit is refused before its credential is looked at; a presented credential
 * that fails counts against it (a missing one does not: that is no guess).
 */
async function authenticate(route: RouteDefinition, deps: ApiDeps, req: Request): Promise<string> {
  deps.authFailures.assertAllowed(req.ip);
  const token = bearerToken(req);
  try {
    if (route.auth === 'admin') {
      await authenticateAdmin(deps.db, deps.config.adminToken, req);
      return '';
    }
    // Counted before anything else reads or writes: a refused request changes nothing.
    const limit = { perSecond: deps.config.apiRateLimit, burst: deps.config.apiRateBurst };
    if (token && looksLikePortalToken(token)) {
      const { tenantId } = await authenticatePortal(deps.db, deps.portalKey, token, route, req);
      await enforceApiRateLimit(deps.db, tenantId, limit);
      return tenantId;
    }
    return (await authenticateTenant(deps.db, req, limit)).tenantId; // counted in the key's lookup
  } catch (err) {
    if (err instanceof AuthenticationError && token !== undefined) deps.authFailures.recordFailure(req.ip);
    throw err;
  }
}

/** Turns a route definition into an Express handler: authenticate, validate, run, send. */
export function toExpressHandler(route: RouteDefinition, deps: ApiDeps): RequestHandler {
  return async (req, res) => {
    let tenantId = '';
    if (route.auth !== 'none') tenantId = await authenticate(route, deps, req);
    const params = route.params ? parseInput(route.params, req.params, 'path') : undefined;
    const query = route.query ? parseInput(route.query, req.query, 'query') : undefined;
    const body = route.body
      ? parseInput(route.body, req.body ?? (route.bodyOptional ? {} : undefined), 'body', route.opaqueBodyFields ? { opaque: route.opaqueBodyFields } : {})
      : undefined;
    // A tenant route's handler only ever holds a tenant-scoped db: a query that forgets its tenant filter sees nothing foreign.
    const handlerDeps = route.auth === 'tenant' ? { ...deps, db: scopeToTenant(deps.db, tenantId) } : deps;
    const run = (idempotency?: TransactionalIdempotency) => route.handler({ req, deps: handlerDeps, tenantId, params, query, body, ...(idempotency ? { idempotency } : {}) });
    const reply = route.method === 'post' && route.auth === 'tenant'
      ? await withIdempotency(handlerDeps.db, tenantId, req, res, run, route.idempotentInTransaction)
      : await run();
    if (!reply) return; // replayed
    if (reply.text) res.status(reply.status).type(reply.text.contentType).send(reply.text.body);
    else if (reply.body === undefined) res.status(reply.status).end();
    else res.status(reply.status).json(reply.body);
  };
}
