#!/usr/bin/env node
// `pnpm bench [--quick] [--only 1,3,...]`: runs the benchmark scenarios against real Hookline
// processes, prints a table and writes bench-report.json. Exits non-zero only on errors, never on
// a missed target.
import path from 'node:path';
import { REPO_ROOT } from '@hookline/test-support/process';
import { startDatabases } from './cluster.ts';
import { formatTable, machine, writeReport, type BenchReport } from './report.ts';
import type { BenchContext, ScenarioReport } from './scenario.ts';
import { publishScenarios } from './scenarios/publish.ts';
import { deliveryScenario } from './scenarios/delivery.ts';
import { endToEndScenarios } from './scenarios/endToEnd.ts';
import { fanOutScenario } from './scenarios/fanOut.ts';
import { isolationScenario } from './scenarios/isolation.ts';
import { historyAtScaleScenario } from './scenarios/historyAtScale.ts';
import { publishInTransactionScenario } from './scenarios/publishInTransaction.ts';
import { transformationsScenario } from './scenarios/transformations.ts';
import { endpointOauthScenario } from './scenarios/endpointOauth.ts';
import { mutualTlsScenario } from './scenarios/mutualTls.ts';

/** Scenario groups, by the scenario numbers they report (3 reports 7, the memory of its run, too; 4 and 8 are two rates of one scenario, run as selected). */
const GROUPS: Array<{ ids: number[]; run: (ctx: BenchContext, only: ReadonlySet<number> | undefined) => Promise<ScenarioReport[]> }> = [
  { ids: [1, 2], run: publishScenarios },
  { ids: [3, 7], run: deliveryScenario },
  { ids: [4, 8], run: endToEndScenarios },
  { ids: [5], run: async (ctx) => [await fanOutScenario(ctx)] },
  { ids: [6], run: async (ctx) => [await isolationScenario(ctx)] },
  { ids: [9], run: async (ctx) => [await historyAtScaleScenario(ctx)] },
  { ids: [10], run: async (ctx) => [await publishInTransactionScenario(ctx)] },
  { ids: [11], run: async (ctx) => [await transformationsScenario(ctx)] },
  { ids: [12], run: async (ctx) => [await endpointOauthScenario(ctx)] },
  { ids: [13], run: async (ctx) => [await mutualTlsScenario(ctx)] },
];

function parseArgs(argv: string[]): { quick: boolean; only: Set<number> | undefined } {
  const args = argv.filter((a) => a !== '--');
  const unknown = args.filter((a, i) => a !== '--quick' && a !== '--only' && args[i - 1] !== '--only');
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown[0]}; use: pnpm bench [--quick] [--only 1,3]`);
    process.exit(2);
  }
  const i = args.indexOf('--only');
  const only = i >= 0 ? new Set((args[i + 1] ?? '').split(',').map(Number)) : undefined;
  return { quick: args.includes('--quick'), only };
}

const { quick, only } = parseArgs(process.argv.slice(2));
const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const report: BenchReport = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  mode: quick ? 'quick' : 'full',
  database: '',
  machine: machine(),
  scenarios: [],
  errors: [],
};

log(`starting (${report.mode}; PostgreSQL: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'})`);
const dbs = await startDatabases(process.env.DATABASE_URL);
report.database = dbs.kind;
try {
  for (const group of GROUPS) {
    if (only && !group.ids.some((id) => only.has(id))) continue;
    await dbs.settle();
    try {
      report.scenarios.push(...(await group.run({ quick, dbs, log }, only)));
    } catch (err) {
      const message = `scenario ${group.ids.join('+')}: ${err instanceof Error ? err.message : String(err)}`;
      log(`FAILED ${message}`);
      report.errors.push(message);
    }
  }
} finally {
  await dbs.close();
}
report.finishedAt = new Date().toISOString();
const file = path.join(REPO_ROOT, 'bench-report.json');
writeReport(file, report);
console.log(`\n${formatTable(report)}\n\nReport: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(report.errors.length > 0 ? 1 : 0);
