#!/usr/bin/env node
// Hookline's entry point: `node bin/hookline.ts [start|migrate]`, role from HOOKLINE_ROLE or --role.
import { pino } from 'pino';
import { startApi, type RunningApi } from '@hookline/api';
import { bootstrapIfEmpty, ConfigError, createBoss, ensureQueues, loadConfig, parseAllowList } from '@hookline/core';
import { connectDatabase, migrateDatabase, resolveDatabase } from '@hookline/db';
import { startWorker, type RunningWorker } from '@hookline/worker';

function parseArgs(argv: string[]): { command: 'start' | 'migrate'; role?: string } {
  const args = [...argv];
  let role: string | undefined;
  const i = args.indexOf('--role');
  if (i >= 0) {
    role = args[i + 1];
    args.splice(i, 2);
  }
  const command = args[0] ?? 'start';
  if (command !== 'start' && command !== 'migrate') {
    console.error(`unknown command "${command}"; use: hookline [start|migrate] [--role all|api|worker]`);
    process.exit(2);
  }
  return { command, ...(role ? { role } : {}) };
}

async function main(): Promise<void> {
  const { command, role } = parseArgs(process.argv.slice(2));
  let config;
  try {
    config = loadConfig(role ? { ...process.env, HOOKLINE_ROLE: role } : process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.secret', '*.key', '*.token'] });
  // Checked here so a bad allow-list stops the process at start, not at the first delivery.
  const allow = parseAllowList(config.allowPrivateTargets);

  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPgPort,
    onLog: (line) => logger.debug({ postgres: line }),
  });
  if (database.embedded) logger.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'embedded PostgreSQL ready');
  const db = connectDatabase({ connectionString: database.connectionString, max: config.dbPoolSize });
  const applied = await migrateDatabase(db, database.connectionString);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

  const producer = createBoss(database.connectionString, 'producer');
  producer.on('error', (err) => logger.error({ err }, 'queue error'));
  await producer.start();
  await ensureQueues(producer, config.deliveryTimeoutMs);

  if (command === 'migrate') {
    await producer.stop({ graceful: false });
    await db.destroy();
    await database.stop();
    logger.info('database is up to date');
    return;
  }

  if (config.bootstrap) {
    const first = await bootstrapIfEmpty(db, config.adminToken);
    if (first) {
      const lines = [
        '',
        'Hookline is set up. Keep these; they are shown only once.',
        `  tenant:      ${first.tenant.id}`,
        `  API key:     ${first.apiKey}`,
        ...(first.adminToken ? [`  admin token: ${first.adminToken}   (set HOOKLINE_ADMIN_TOKEN to choose your own)`] : []),
        '',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  }

  let api: RunningApi | undefined;
  let worker: RunningWorker | undefined;
  let workerBoss: ReturnType<typeof createBoss> | undefined;
  if (config.role === 'all' || config.role === 'worker') {
    workerBoss = createBoss(database.connectionString, 'worker');
    workerBoss.on('error', (err) => logger.error({ err }, 'queue error'));
    await workerBoss.start();
    worker = await startWorker({ db, boss: workerBoss, config, logger });
    logger.info({ concurrency: config.deliveryConcurrency }, 'worker started');
  }
  if (config.role === 'all' || config.role === 'api') {
    api = await startApi({ db, boss: producer, config, allow }, logger);
    logger.info({ port: api.port, portal: `http://localhost:${api.port}/portal/` }, 'api listening');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await api?.close();
    await worker?.stop();
    await workerBoss?.stop({ graceful: true, timeout: 10_000 });
    await producer.stop({ graceful: true, timeout: 5_000 });
    await db.destroy();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
