import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { routes } from '@hookline/api';
import { rolesFor } from '@hookline/core';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';

let h: TestHookline;

beforeAll(async () => {
  h = await startTestHookline({ HOOKLINE_ROLE: 'api' });
});
afterAll(async () => h?.stop());

/** The method+path pairs the running Express router actually serves, read from its stack. */
function servedRoutes(): Set<string> {
  const app = h.hookline.api!.server.listeners('request')[0] as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  const served = new Set<string>();
  for (const layer of app.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on) served.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return served;
}

it('serves a valid OpenAPI 3.1 document that lists every route the router serves', async () => {
  const res = await h.http.get('/openapi.json').expect(200);
  const doc = res.body as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
  expect(doc.openapi).toBe('3.1.0');

  const validator = new Validator();
  const result = await validator.validate(doc);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);

  const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
  const served = servedRoutes();
  served.delete('GET /openapi.json');
  served.delete('GET /');
  expect(served.size).toBeGreaterThanOrEqual(routes.length);
  expect([...documented].sort()).toEqual([...served].sort());

  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
  expect(new Set(ids).size).toBe(ids.length);
});

it('documents request and response bodies from the same schemas that validate requests', async () => {
  const doc = (await h.http.get('/openapi.json').expect(200)).body;
  const create = doc.paths['/api/v1/app'].post;
  expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApplicationIn' });
  const appIn = doc.components.schemas.ApplicationIn;
  expect(appIn.required).toEqual(['name']);
  expect(appIn.properties.uid.anyOf?.[0]?.pattern ?? appIn.properties.uid.pattern).toBe('^[a-zA-Z0-9\\-_.]+$');
  expect(doc.components.schemas.ApplicationOut.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
  // The limit the validator enforces is the one documented.
  const limit = doc.paths['/api/v1/app'].get.parameters.find((p: { name: string }) => p.name === 'limit');
  expect(limit.schema).toMatchObject({ minimum: 1, maximum: 250 });
  const { apiKey } = await h.createTenant();
  const tooMany = await h.http
    .get('/api/v1/app?limit=251')
    .set({ authorization: `Bearer ${apiKey}` })
    .expect(422);
  expect(tooMany.body.detail[0].loc).toEqual(['query', 'limit']);
  await h.http
    .get('/api/v1/app?limit=250')
    .set({ authorization: `Bearer ${apiKey}` })
    .expect(200);
});

it("shows on every tenant operation the roles the router lets a session use, from the route table's declaration", async () => {
  type Operation = { operationId: string; security?: Array<Record<string, string[]>>; 'x-hookline-roles'?: string[] };
  const doc = (await h.http.get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
  const operations = new Map(Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => [op.operationId, op] as const)));
  const tenantRoutes = routes.filter((r) => r.auth === 'tenant');
  expect(tenantRoutes.length).toBeGreaterThan(40);
  for (const route of tenantRoutes) {
    const op = operations.get(route.operationId)!;
    expect({ id: route.operationId, roles: op['x-hookline-roles'] }).toEqual({ id: route.operationId, roles: [...rolesFor(route.access!)] });
    expect(op.security).toEqual([{ apiKey: [] }, { session: [] }]);
  }
  expect(operations.get('v1.endpoint.get-secret')!['x-hookline-roles']).not.toContain('viewer');
  expect(operations.get('console.me.get')!.security).toEqual([{ session: [] }]);
  expect(operations.get('console.auth.sign-in')!.security).toEqual([]);
});
