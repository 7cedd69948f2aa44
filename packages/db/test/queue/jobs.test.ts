import { expect, it } from 'vitest';
import { queueDefinitions } from '../../src/queue/jobs.ts';

// The queues Hookline creates at start: the delivery lanes, maintenance, recover (with its wait), endpoint replays, expunge-all-contents and failure notices. The legacy
// fan-out queue (fanout.v1) is gone: messages wait in fanout_pending, no release writes such jobs.
it('defines the delivery lanes, maintenance, recover, replay, expunge-contents and notices, and no fan-out queue', () => {
  expect(queueDefinitions({ deliveryTimeoutMs: 15_000, queueRetentionSeconds: 3600 }).map((q) => q.name)).toEqual([
    'deliver.v1',
    'deliver.failing.v1',
    'maintenance.v1',
    'recover.v1',
    'recover.await.v1',
    'replay.v1',
    'expunge-contents.v1',
    'notice.v1',
  ]);
});

// A failure notice is retried a few times, then given up: unlike a delivery, it must not outlive its news.
it('retries a failure notice a few times only', () => {
  const notice = queueDefinitions({ deliveryTimeoutMs: 15_000, queueRetentionSeconds: 3600 }).find((q) => q.name === 'notice.v1')!;
  expect(notice).toMatchObject({ retryLimit: 4, retryBackoff: true });
});
