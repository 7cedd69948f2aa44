import { expect, it } from 'vitest';
import { formatFigures, runChaos } from '../chaos/chaos.ts';

// The chaos run brings its own PostgreSQL (it restarts it), api and worker processes; see test/chaos.
it('delivers every accepted message to every endpoint through api and worker SIGKILLs and a PostgreSQL restart', async () => {
  const lines: string[] = [];
  const figures = await runChaos({ messages: 150, apiKills: 2, workerKills: 2, postgresRestarts: 1, endpoints: 3, drainTimeoutMs: 90_000, log: (l) => lines.push(l) });
  const report = `${lines.join('\n')}\n${formatFigures(figures)}\n${figures.notAccepted.map((r) => `${r.eventId}: ${r.outcome}, ${r.lastError ?? ''}`).join('\n')}`;

  expect(figures.events.map((e) => e.kind).sort(), report).toEqual(['api', 'api', 'postgres', 'worker', 'worker']);
  // Every publish was eventually acknowledged: retried through the outages with its idempotency key.
  expect(figures.notAccepted, report).toEqual([]);
  // Publishing goes on past 150 until the last event has recovered, so that every kill happens under load.
  expect(figures.accepted).toBeGreaterThanOrEqual(150);
  // At least once: every accepted message reached every endpoint, correctly signed and intact.
  expect(figures.delivered, report).toBe(figures.accepted * 3);
  expect(figures.missing).toBe(0);
  expect(figures.badSignatures).toBe(0);
  expect(figures.corruptBodies).toBe(0);
  // Nothing arrived that the publisher was not told was accepted.
  expect(figures.unaccepted, report).toBe(0);
  // It recovered by itself: no process died on its own, and after every event publishing and delivery resumed.
  expect(
    figures.unexpectedExits.map((e) => `${e.role}: ${e.outputTail}`),
    report,
  ).toEqual([]);
  for (const event of figures.events) {
    expect(event.publishRecoveryMs, report).toBeDefined();
    expect(event.deliveryRecoveryMs, report).toBeDefined();
  }
}, 240_000);
