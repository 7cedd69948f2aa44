import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler } from 'express';
import { AuthenticationError, enforcePortalRateLimit, looksLikePortalToken, type Actor, type PortalClaims, type RequestOrigin, type SessionPerson } from '@hookline/core';
import { scopeToTenant } from '@hookline/db';
import { authenticateAdmin, authenticatePerson, authenticateTenant, bearerToken } from './authenticate.ts';
import { withIdempotency, type TransactionalIdempotency } from './idempotentRequest.ts';
import { authenticatePortal } from './portalAuth.ts';
import type { ApiDeps, RouteDefinition } from './route.ts';
import { assertSameOrigin, clearSessionCookie, sessionCookie, setConsoleCookie, setSessionCookie } from './sessionCookie.ts';
import { parseInput } from './validate.ts';

/**
 * Authenticates a tenant or admin route and returns its tenant ('' for admin). An address over its
 * failed-authentication limit is refused before its credential is looked at; a presented credential
 * that fails counts against it (a missing one does not: that is no guess).
 */
async function authenticate(
  route: RouteDefinition,
  deps: ApiDeps,
  req: Request,
): Promise<{ tenantId: string; portal?: PortalClaims; person?: SessionPerson; actor: Actor }> {
  deps.authFailures.assertAllowed(() => req.ip);
  const token = bearerToken(req);
  // A person's session (the console's cookie) where no bearer token is given. Not counted as a
  // failure when stale: browsers resend an ended session's cookie, and 256 random bits are no guess.
  if (route.auth === 'person' || (route.auth === 'tenant' && token === undefined && sessionCookie(req) !== undefined)) {
    const person = await authenticatePerson(deps, req, route);
    // The console is the vendor's own: its sessions spend the tenant's API budget, as its keys do.
    if (route.auth === 'tenant') await deps.apiRateLeases.take(deps.db, person.tenantId!, { perSecond: deps.config.apiRateLimit, burst: deps.config.apiRateBurst });
    return { tenantId: person.tenantId ?? '', person, actor: { kind: 'person', id: person.personId, displayName: person.name || person.email } };
  }
  try {
    if (route.auth === 'admin') {
      await authenticateAdmin(deps.db, deps.config.adminToken, req);
      return { tenantId: '', actor: OPERATOR };
    }
    // Counted before anything else reads or writes: a refused request changes nothing.
    if (token && looksLikePortalToken(token)) {
      const { tenantId, claims } = await authenticatePortal(deps.db, deps.portalKeys, token, route, req);
      // The application's own portal budget, never the tenant's: end customers cannot spend the vendor's.
      await enforcePortalRateLimit(deps.db, tenantId, claims.appId, { perSecond: deps.config.portalRateLimit, burst: deps.config.portalRateBurst });
      return { tenantId, portal: claims, actor: { kind: 'portal', id: claims.appId, displayName: `portal of ${claims.appId}` } };
    }
    const limit = { perSecond: deps.config.apiRateLimit, burst: deps.config.apiRateBurst };
    const key = await authenticateTenant(deps, req, limit); // counted in the key's lookup
    return { tenantId: key.tenantId, actor: { kind: 'apiKey', id: key.keyId, displayName: key.keyName } };
  } catch (err) {
    if (err instanceof AuthenticationError && token !== undefined) deps.authFailures.recordFailure(req.ip);
    throw err;
  }
}

const OPERATOR: Actor = { kind: 'operator', id: 'operator', displayName: 'operator' };
/** The actor of a route without authentication; a route that changes something (sign-in, invitation) records the person it acts for instead. */
const ANONYMOUS: Actor = { kind: 'maintenance', id: 'unauthenticated', displayName: 'unauthenticated request' };

function originOf(req: Request): RequestOrigin {
  const userAgent = req.headers['user-agent'];
  return {
    ...(req.ip ? { clientAddress: req.ip } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
    ...(typeof req.id === 'string' ? { requestId: req.id } : {}),
  };
}

/** Turns a route definition into an Express handler: authenticate, validate, run, send. */
export function toExpressHandler(route: RouteDefinition, deps: ApiDeps): RequestHandler {
  return async (req, res) => {
    let tenantId = '';
    let portal: PortalClaims | undefined;
    let person: SessionPerson | undefined;
    let actor = ANONYMOUS;
    if (route.auth !== 'none') ({ tenantId, portal, person, actor } = await authenticate(route, deps, req));
    else if (route.csrf) assertSameOrigin(req, deps.config);
    const params = route.params ? parseInput(route.params, req.params, 'path') : undefined;
    const query = route.query ? parseInput(route.query, req.query, 'query') : undefined;
    const body = route.body
      ? parseInput(route.body, req.body ?? (route.bodyOptional ? {} : undefined), 'body', route.opaqueBodyFields ? { opaque: route.opaqueBodyFields } : {})
      : undefined;
    // A tenant route's handler only ever holds a tenant-scoped db: a query that forgets its tenant filter sees nothing foreign.
    const handlerDeps = route.auth === 'tenant' ? { ...deps, db: scopeToTenant(deps.db, tenantId) } : deps;
    const run = (idempotency?: TransactionalIdempotency) =>
      route.handler({
        req,
        deps: handlerDeps,
        tenantId,
        actor,
        origin: originOf(req),
        params,
        query,
        body,
        ...(portal ? { portal } : {}),
        ...(person ? { person } : {}),
        ...(idempotency ? { idempotency } : {}),
      });
    const reply =
      route.method === 'post' && route.auth === 'tenant'
        ? await withIdempotency(handlerDeps.db, tenantId, req, res, run, { inTransaction: route.idempotentInTransaction, replay: route.replay })
        : await run();
    if (!reply) return; // replayed
    if (reply.session === 'end') clearSessionCookie(req, res);
    else if (reply.session) setSessionCookie(req, res, reply.session.token, reply.session.expiresAt);
    if (reply.cookie) setConsoleCookie(req, res, reply.cookie);
    if (reply.redirect) {
      res.redirect(303, reply.redirect);
      return;
    }
    if (reply.stream) await pipeline(Readable.from(reply.stream.chunks), res.status(reply.status).type(reply.stream.contentType));
    else if (reply.text) res.status(reply.status).type(reply.text.contentType).send(reply.text.body);
    else if (reply.body === undefined) res.status(reply.status).end();
    else res.status(reply.status).json(reply.body);
  };
}
