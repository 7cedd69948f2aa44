import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { bodyText, hostileHeaders, pathSegment } from '@hookline/test-support/fuzzArbitraries';
import {
  FUZZ_TEST_TIMEOUT_MS,
  bodySchema,
  credentialFor,
  expectAllCovered,
  expectNoPrototypePollution,
  fixturePath,
  fuzzRoute,
  pathParams,
  routesWith,
  startFuzzTarget,
  validBody,
  type FuzzTarget,
} from '@hookline/test-support/fuzzHarness';

// Property-based fuzzing of every route's path parameters and headers (bodies and queries: fuzz.test.ts):
// never a 5xx, the documented error shapes, and no state change on a 4xx. HOOKLINE_FUZZ_RUNS sets the depth.

let t: FuzzTarget;
beforeAll(async () => {
  t = await startFuzzTarget();
});
afterAll(async () => t?.stop());

describe('fuzzed path parameters', () => {
  it.each(routesWith('path'))(
    '%s',
    async (_, route) => {
      const body = validBody(t, route);
      const requests = fc
        .tuple(fc.constantFrom(...pathParams(route)), pathSegment, body)
        .map(([name, segment, text]) => ({ path: fixturePath(t, route, { name, segment }), ...(text === undefined ? {} : { body: text }) }));
      await fuzzRoute(t, route, 'path', requests);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});

describe('fuzzed headers', () => {
  it.each(routesWith('headers'))(
    '%s',
    async (_, route) => {
      const body = route.method === 'get' ? fc.constant(undefined) : bodyText(bodySchema(t, route), t.resolve);
      const requests = fc
        .tuple(hostileHeaders(credentialFor(t, route)), body)
        .map(([headers, text]) => ({ path: fixturePath(t, route), headers, ...(text === undefined ? {} : { body: text }) }));
      await fuzzRoute(t, route, 'headers', requests);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});

describe('coverage', () => {
  it('fuzzed the path parameters and the headers of every route in the table', () => {
    expectAllCovered(t, ['path', 'headers']);
    expectNoPrototypePollution();
  });
});
