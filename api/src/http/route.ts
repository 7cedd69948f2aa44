import type { Request } from 'express';
import type { z } from 'zod';
import type {
  ApiKeyCache,
  ApiRateLeases,
  Access,
  Actor,
  AllowList,
  AuthFailureLimiter,
  Config,
  InviteMailer,
  Metrics,
  PasswordResetMailer,
  PasswordResetThrottle,
  PortalCapability,
  PortalClaims,
  PortalKeyRing,
  RequestOrigin,
  SecretBox,
  SessionPerson,
  SignInThrottle,
  Wakeup,
} from '@hookline/core';
import type { Database, PgBoss } from '@hookline/db';
import type { ReplayPolicy, TransactionalIdempotency } from './idempotentRequest.ts';
import type { Reply } from './reply.ts';

// A route's contract only; running one is expressHandler.ts, so the modules it calls may name routes without a circle.

export interface ApiDeps {
  db: Database;
  boss: PgBoss;
  config: Readonly<Config>;
  allow: AllowList;
  /** Signs and verifies portal tokens. */
  portalKeys: PortalKeyRing;
  metrics: Metrics;
  /** Encrypts and decrypts endpoint secrets and header values at rest. */
  secretBox: SecretBox;
  /** Tells the workers that messages wait to be fanned out. */
  fanOutWakeup: Wakeup;
  /** The API keys this process authenticated (see ApiKeyCache). */
  apiKeys: ApiKeyCache;
  /** This process's leases of the tenants' API rate limits (see ApiRateLeases). */
  apiRateLeases: ApiRateLeases;
  /** Failed authentications per client address (shared by the public and the operator listener). */
  authFailures: AuthFailureLimiter;
  /** Failed console sign-ins per account and per client address. */
  signInThrottle: SignInThrottle;
  /** Sends invitations by email when SMTP is configured. */
  inviteMailer: InviteMailer | undefined;
  /** Sends password reset links when SMTP is configured. */
  passwordResetMailer: PasswordResetMailer | undefined;
  /** Password reset requests and wrong reset links per client address. */
  passwordResetThrottle: PasswordResetThrottle;
}

/**
 * Who may call a route: nobody in particular, the operator (admin token), a tenant (API key, a
 * person's session within their role, or a portal token where the route allows one; see
 * portalCapabilityFor), or a signed-in person only (`person`: their own profile and sessions).
 */
export type Auth = 'none' | 'admin' | 'tenant' | 'person';

type AnySchema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerContext<P, Q, B> {
  req: Request;
  deps: ApiDeps;
  /** Set for `tenant` routes: every query the handler makes is scoped by it. */
  tenantId: string;
  /** The portal session's claims when a portal token (not an API key) authenticated the request. */
  portal?: PortalClaims;
  /** The signed-in person when a session cookie authenticated the request (always on `person` routes). */
  person?: SessionPerson;
  /** Who makes the request, for the audit log: API key, person, portal or operator; an anonymous actor on `none` routes. */
  actor: Actor;
  /** Where the request came from (for the audit log). */
  origin: RequestOrigin;
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
  /**
   * Which roles a person's session needs here (`tenant` and `person` routes; see ACCESS_ROLES):
   * the router enforces it, the OpenAPI document shows it (`x-hookline-roles`) and the isolation
   * matrix tests it. API keys keep the tenant's full power; portal tokens their capabilities.
   */
  access?: Access;
  /** A browser form without a session yet (sign-in, taking an invitation): same-origin checks as for a session's mutations. */
  csrf?: boolean;
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
  /** How a repeat of its idempotency-key is answered when the response may not be stored as is (credentials, message content). */
  replay?: ReplayPolicy;
  /** Fields of the body kept as opaque JSON (they may hold any JSON text, see parseInput). */
  opaqueBodyFields?: readonly string[];
  /** The success status and the schema of its body (none: empty body); `contentType` when not JSON (the schema is then that of each NDJSON line). */
  response: { status: number; schema?: AnySchema; description?: string; contentType?: string };
  handler: (ctx: HandlerContext<Out<P>, Out<Q>, Out<B>>) => Promise<Reply>;
}

export type RouteDefinition = RouteSpec<AnySchema | undefined, AnySchema | undefined, AnySchema | undefined>;

/** Declares a route; the generics give the handler typed params, query and body. */
export function defineRoute<P extends AnySchema | undefined = undefined, Q extends AnySchema | undefined = undefined, B extends AnySchema | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteDefinition {
  return spec;
}
