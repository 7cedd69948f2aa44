import type { Request, RequestHandler } from 'express';
import type { PgBoss } from 'pg-boss';
import type { AllowList, Config } from '@hookline/core';
import type { Database } from '@hookline/db';
import { authenticateAdmin, authenticateTenant } from './auth.ts';

export interface ApiDeps {
  db: Database;
  boss: PgBoss;
  config: Readonly<Config>;
  allow: AllowList;
}

export type Auth = 'none' | 'admin' | 'tenant';

export interface HandlerContext {
  req: Request;
  deps: ApiDeps;
  /** Set for `tenant` routes: every query the handler makes is scoped by it. */
  tenantId: string;
}

/** What a handler returns: a status and a JSON body, or a status alone for empty (204) replies. */
export interface Reply {
  status: number;
  body?: unknown;
}

export interface RouteDefinition {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  auth: Auth;
  handler: (ctx: HandlerContext) => Promise<Reply>;
}

/** Turns a route definition into an Express handler: authenticate, run, send. */
export function toExpressHandler(route: RouteDefinition, deps: ApiDeps): RequestHandler {
  return async (req, res) => {
    let tenantId = '';
    if (route.auth === 'tenant') tenantId = (await authenticateTenant(deps.db, req)).tenantId;
    else if (route.auth === 'admin') await authenticateAdmin(deps.db, deps.config.adminToken, req);
    const reply = await route.handler({ req, deps, tenantId });
    if (reply.body === undefined) res.status(reply.status).end();
    else res.status(reply.status).json(reply.body);
  };
}
