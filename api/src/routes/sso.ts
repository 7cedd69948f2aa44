import type { Request } from 'express';
import {
  deleteSsoConfig,
  finishSsoSignIn,
  getSsoConfig,
  HooklineError,
  sessionPolicyOf,
  setSsoConfig,
  ssoConfigInSchema,
  ssoConfigOutSchema,
  ssoDiscoveryOutSchema,
  ssoOffered,
  ssoRedirectUri,
  ssoStartQuerySchema,
  SSO_TRANSACTION_COOKIE,
  SSO_TRANSACTION_SECONDS,
  startSsoSignIn,
} from '@hookline/core';
import { auditOf } from '../http/auditOf.ts';
import { publicBaseUrl } from '../http/publicBaseUrl.ts';
import { defineRoute, type ApiDeps } from '../http/route.ts';
import { cookieOf } from '../http/sessionCookie.ts';

// Single sign-on with the tenant's OpenID provider (Hookline extension): the owner configures it;
// the start and callback routes are the browser's hops to the provider and back.
const tag = 'Single sign-on';
const SSO_PATH = '/console/v1/sso';
const baseUrlOf = (req: Request, deps: ApiDeps): string => publicBaseUrl(req, deps.config);

export const ssoRoutes = [
  defineRoute({
    method: 'get',
    path: '/console/v1/sso/config',
    auth: 'tenant',
    access: 'owner',
    portal: null,
    tag,
    operationId: 'console.sso.get',
    summary: "The current tenant's single sign-on configuration (the client secret is never returned)",
    response: { status: 200, schema: ssoConfigOutSchema },
    handler: async ({ req, deps, tenantId }) => ({ status: 200, body: await getSsoConfig(deps.db, tenantId, { baseUrl: baseUrlOf(req, deps) }) }),
  }),
  defineRoute({
    method: 'put',
    path: '/console/v1/sso/config',
    auth: 'tenant',
    access: 'owner',
    portal: null,
    tag,
    operationId: 'console.sso.set',
    summary: "Set the current tenant's single sign-on: issuer, client, allowed email domains, default role, just-in-time provisioning",
    body: ssoConfigInSchema,
    response: { status: 200, schema: ssoConfigOutSchema },
    handler: async (ctx) => ({
      status: 200,
      body: await setSsoConfig(ctx.deps.db, ctx.tenantId, ctx.body, { box: ctx.deps.secretBox, baseUrl: baseUrlOf(ctx.req, ctx.deps), audit: auditOf(ctx) }),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/console/v1/sso/config',
    auth: 'tenant',
    access: 'owner',
    portal: null,
    tag,
    operationId: 'console.sso.delete',
    summary: "Remove the current tenant's single sign-on (its members keep their accounts)",
    response: { status: 204 },
    handler: async (ctx) => {
      await deleteSsoConfig(ctx.deps.db, ctx.tenantId, auditOf(ctx));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/console/v1/sso/discover',
    auth: 'none',
    tag,
    operationId: 'console.sso.discover',
    summary: 'Whether a tenant offers single sign-on (the sign-in page shows its button only then)',
    query: ssoStartQuerySchema,
    response: { status: 200, schema: ssoDiscoveryOutSchema },
    handler: async ({ deps, query }) => ({ status: 200, body: { enabled: await ssoOffered(deps.db, query.tenant) } }),
  }),
  defineRoute({
    method: 'get',
    path: '/console/v1/sso/start',
    auth: 'none',
    tag,
    operationId: 'console.sso.start',
    summary: "Sign in with the tenant's OpenID provider: redirects there (code flow with PKCE, state and nonce in a sealed 10-minute cookie)",
    query: ssoStartQuerySchema,
    response: { status: 303, description: 'To the provider' },
    handler: async ({ req, deps, query }) => {
      const { url, transaction } = await startSsoSignIn(deps.db, query.tenant, { box: deps.secretBox, redirectUri: ssoRedirectUri(baseUrlOf(req, deps)) });
      return { status: 303, redirect: url, cookie: { name: SSO_TRANSACTION_COOKIE, value: transaction, path: SSO_PATH, maxAgeSeconds: SSO_TRANSACTION_SECONDS } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/console/v1/sso/callback',
    auth: 'none',
    tag,
    operationId: 'console.sso.callback',
    summary:
      'Where the provider sends the browser back: checks state, nonce, issuer and audience, signs in (new session cookie) and redirects to the console; a refusal redirects a browser to the console with ?sso_error={code}, and answers others with the error',
    response: { status: 303, description: 'To the console, signed in' },
    handler: async ({ req, deps, origin }) => {
      const query = new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');
      const consoleUrl = `${baseUrlOf(req, deps).replace(/\/+$/, '')}/console/`;
      let session: Awaited<ReturnType<typeof finishSsoSignIn>>;
      try {
        session = await finishSsoSignIn(
          deps.db,
          { query, transaction: cookieOf(req, SSO_TRANSACTION_COOKIE) },
          { box: deps.secretBox, policy: sessionPolicyOf(deps.config), origin },
        );
      } catch (err) {
        // A person's browser lands here: back to the sign-in page with the kind of refusal (its
        // code, never free text, which a crafted link could fill), the reason in the log. A
        // client asking for JSON gets the error itself.
        if (!(err instanceof HooklineError) || req.accepts(['json', 'html']) !== 'html') throw err;
        req.log.info({ code: err.code, reason: err.message }, 'single sign-on refused');
        return {
          status: 303,
          redirect: `${consoleUrl}?sso_error=${encodeURIComponent(err.code)}`,
          cookie: { name: SSO_TRANSACTION_COOKIE, value: null, path: SSO_PATH },
        };
      }
      return {
        status: 303,
        redirect: consoleUrl,
        session: { token: session.token, expiresAt: session.session.expiresAt },
        cookie: { name: SSO_TRANSACTION_COOKIE, value: null, path: SSO_PATH },
      };
    },
  }),
];
