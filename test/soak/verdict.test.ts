import { describe, expect, it } from 'vitest';
import { parseSoakArgs } from './settings.ts';
import { historyChecks, rssChecks, slope, verdict, type SoakSample, type SoakTotals } from './verdict.ts';

const MIB = 2 ** 20;
const settings = parseSoakArgs(['--minutes', '30']);

/** Load samples every minute for 30 minutes, RSS and history size given per second of run time. */
function run(rss: (t: number) => number, history: (t: number) => number, messageRows = 1000): SoakSample[] {
  return Array.from({ length: 30 }, (_, i) => {
    const t = (i + 1) * 60;
    return {
      t,
      phase: 'load' as const,
      rss: { api: rss(t), worker: rss(t) },
      rssPeak: {},
      tables: {},
      historyBytes: history(t),
      jobTableBytes: 0,
      messageRows,
      walBytes: 0,
      invalidSignatures: 0,
      loadAverage: 1,
    };
  });
}

const clean: SoakTotals = { accepted: 540_000, publishErrors: 0, statuses: { 202: 540_000 }, dropped: 0, invalidSignatures: 0, lost: 0, failingAttempts: 100 };
const flat = () => 200 * MIB;
/** A saw: grows for a retention period (5 min here), then the oldest data goes. */
const saw = (t: number) => (50 + ((t % 300) / 300) * 20) * MIB;

describe('soak verdict', () => {
  it('fits a least-squares slope', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBeCloseTo(2);
    expect(slope([[0, 1]])).toBeNaN();
  });

  it('passes a steady run and fails each kind of error', () => {
    const samples = run(flat, saw);
    expect(verdict(samples, clean, settings, ['api', 'worker']).filter((c) => c.status !== 'pass')).toEqual([]);
    const failed = (totals: Partial<SoakTotals>) =>
      verdict(samples, { ...clean, ...totals }, settings, ['api'])
        .filter((c) => c.status === 'fail')
        .map((c) => c.name);
    expect(failed({ publishErrors: 1, statuses: { 500: 1 } })).toEqual(['publish errors']);
    expect(failed({ dropped: 3 })).toEqual(['publish errors']);
    expect(failed({ invalidSignatures: 1 })).toEqual(['signature failures']);
    expect(failed({ lost: 2 })).toEqual(['lost messages']);
    expect(failed({ failingAttempts: 0 })).toEqual(['failing endpoint tried']);
  });

  it('fails RSS growing more than 1 MiB per 10 minutes after the first third, not noise around a level', () => {
    const leak = rssChecks(
      run((t) => 200 * MIB + (t / 600) * 2 * MIB, saw),
      settings,
      ['api'],
    );
    expect(leak[0]).toMatchObject({ status: 'fail' });
    const noisy = rssChecks(
      run((t) => 200 * MIB + ((t / 60) % 2) * 0.5 * MIB, saw),
      settings,
      ['api'],
    );
    expect(noisy[0]).toMatchObject({ status: 'pass' });
  });

  it('holds short runs only to a clear leak, and skips them without enough samples', () => {
    const short = parseSoakArgs(['--minutes', '3']);
    // Growing by `perMin` MiB a minute throughout, or (`warmUp`) 60 MiB a minute for the first two minutes only.
    const samples = (perMin: number, every = 15, warmUp = false) =>
      Array.from({ length: 180 / every }, (_, i) => {
        const t = (i + 1) * every;
        return { ...run(flat, saw)[0]!, t, rss: { api: 200 * MIB + (warmUp ? Math.min(t, 120) : t) * ((warmUp ? 60 : perMin) / 60) * MIB } };
      });
    expect(rssChecks(samples(2), short, ['api'])[0]).toMatchObject({ status: 'pass' });
    expect(rssChecks(samples(30), short, ['api'])[0]).toMatchObject({ status: 'fail' });
    expect(rssChecks(samples(0, 15, true), short, ['api'])[0]).toMatchObject({ status: 'pass' });
    expect(rssChecks(samples(30, 60), short, ['api'])[0]).toMatchObject({ status: 'skipped' });
  });

  it('fails history that keeps growing once retention must be at work, and retention that never removed a message', () => {
    const growing = historyChecks(
      run(flat, (t) => t * 50_000),
      settings,
      540_000,
    );
    expect(growing.map((c) => c.status)).toEqual(['fail', 'pass']);
    const neverPruned = historyChecks(run(flat, saw, 540_000), settings, 540_000);
    expect(neverPruned.map((c) => c.status)).toEqual(['pass', 'fail']);
    // Three minutes cannot show two retention periods after the first two: not judged.
    const short = historyChecks(run(flat, saw).slice(0, 3), parseSoakArgs(['--minutes', '3']), 540_000);
    expect(short[0]).toMatchObject({ status: 'skipped' });
  });
});
