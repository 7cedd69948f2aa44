import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { bodyText, queryString } from '@hookline/test-support/fuzzArbitraries';
import {
  FUZZ_TEST_TIMEOUT_MS,
  bodySchema,
  expectAllCovered,
  expectNoPrototypePollution,
  fixturePath,
  fuzzRoute,
  paramSchemas,
  routesWith,
  startFuzzTarget,
  validBody,
  type FuzzTarget,
} from '@hookline/test-support/fuzzHarness';

// Property-based fuzzing of every route's body and query string (paths and headers: fuzzPathHeaders.test.ts):
// never a 5xx, the documented error shapes, and no state change on a 4xx. HOOKLINE_FUZZ_RUNS sets the depth.

let t: FuzzTarget;
beforeAll(async () => {
  t = await startFuzzTarget();
});
afterAll(async () => t?.stop());

describe('fuzzed request bodies', () => {
  it.each(routesWith('body'))(
    '%s',
    async (_, route) => {
      const body = bodyText(bodySchema(t, route), t.resolve);
      await fuzzRoute(
        t,
        route,
        'body',
        body.map((text) => ({ path: fixturePath(t, route), body: text })),
      );
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});

describe('fuzzed query strings', () => {
  it.each(routesWith('query'))(
    '%s',
    async (_, route) => {
      const body = validBody(t, route);
      const requests = fc
        .tuple(queryString(paramSchemas(t, route, 'query'), t.resolve), body)
        .map(([query, text]) => ({ path: fixturePath(t, route), query, ...(text === undefined ? {} : { body: text }) }));
      await fuzzRoute(t, route, 'query', requests);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});

describe('coverage', () => {
  it('fuzzed the body and the query string of every route in the table', () => {
    expectAllCovered(t, ['body', 'query']);
    expectNoPrototypePollution();
  });
});
