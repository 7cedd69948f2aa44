import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { bodyText, fromSchema, queryString } from '../support/fuzzArbitraries.ts';
import {
  FUZZ_RUNS, aspectsOf, bodySchema, expectAllCovered, expectNoPrototypePollution, fixturePath, fuzzRoute, paramSchemas, routeName, routes,
  startFuzzTarget, type FuzzTarget,
} from '../support/fuzzHarness.ts';

// Property-based fuzzing of every route's body and query string (paths and headers: fuzzPathHeaders.test.ts):
// never a 5xx, the documented error shapes, and no state change on a 4xx. HOOKLINE_FUZZ_RUNS sets the depth.

let t: FuzzTarget;
beforeAll(async () => {
  t = await startFuzzTarget();
});
afterAll(async () => t?.stop());

const timeout = 60_000 + FUZZ_RUNS * 2_000;
const table = (aspect: 'body' | 'query') => routes.filter((r) => aspectsOf(r).includes(aspect)).map((r) => [routeName(r), r] as const);

describe('fuzzed request bodies', () => {
  it.each(table('body'))('%s', async (_, route) => {
    const body = bodyText(bodySchema(t, route), t.resolve);
    await fuzzRoute(t, route, 'body', body.map((text) => ({ path: fixturePath(t, route), body: text })));
  }, timeout);
});

describe('fuzzed query strings', () => {
  it.each(table('query'))('%s', async (_, route) => {
    const schema = bodySchema(t, route);
    // A valid body where there is one, so that only the query string is in question.
    const body = schema ? fromSchema(schema, t.resolve).map((v) => JSON.stringify(v)) : fc.constant(route.method === 'get' ? undefined : '{}');
    const requests = fc.tuple(queryString(paramSchemas(t, route, 'query'), t.resolve), body)
      .map(([query, text]) => ({ path: fixturePath(t, route), query, ...(text === undefined ? {} : { body: text }) }));
    await fuzzRoute(t, route, 'query', requests);
  }, timeout);
});

describe('coverage', () => {
  it('fuzzed the body and the query string of every route in the table', () => {
    expectAllCovered(t, ['body', 'query']);
    expectNoPrototypePollution();
  });
});
