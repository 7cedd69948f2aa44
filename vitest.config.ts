import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'api/test/**/*.test.ts',
      'worker/test/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/e2e/**/*.test.ts',
      'test/soak/**/*.test.ts',
      'portal/test/**/*.test.{ts,tsx}',
      'console/test/**/*.test.{ts,tsx}',
      'examples/*/test/**/*.test.ts',
    ],
    // The portal and the console are built (when their sources changed) before any server under test serves them.
    globalSetup: ['test/support/webAppsBuild.ts', 'test/support/globalSetup.ts'],
    // Integration tests start servers and a worker each; two files at a time fit two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // expect.poll waits for what another process does (a worker, a browser): 1 s, vitest's
    // default, failed tenant switches and deliveries on a loaded machine that came in 2 s.
    expect: { poll: { timeout: 10_000 } },
    // CI also writes a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/test-report.json' },
    hookTimeout: 120_000,
  },
});
