// Hookline's command line, loaded by bin/hookline.ts once the process has its heap flags:
// `[start|migrate|reencrypt] [--role all|api|worker] [--config file]`.
import { flushCompileCache } from 'node:module';
import { ConfigError, createLogger, inviteUrl, loadConfig, startTracing, withConfigFile } from '@hookline/core';
import { EmbeddedPostgresError, migrate, reencrypt, startHookline } from '@hookline/server';

function takeOption(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

function parseArgs(argv: string[]): { command: 'start' | 'migrate' | 'reencrypt'; role?: string; configFile?: string } {
  const args = [...argv];
  const role = takeOption(args, '--role');
  const configFile = takeOption(args, '--config') ?? process.env.HOOKLINE_CONFIG_FILE;
  const command = args[0] ?? 'start';
  if (command !== 'start' && command !== 'migrate' && command !== 'reencrypt') {
    console.error(`unknown command "${command}"; use: hookline [start|migrate|reencrypt] [--role all|api|worker] [--config file]`);
    process.exit(2);
  }
  return { command, ...(role ? { role } : {}), ...(configFile ? { configFile } : {}) };
}

function printFirstStart(first: NonNullable<Awaited<ReturnType<typeof startHookline>>['bootstrap']>, baseUrl: string): void {
  const lines = [
    '',
    'Hookline is set up. Keep these; they are shown only once.',
    `  tenant:      ${first.tenant.id}`,
    `  API key:     ${first.apiKey}`,
    ...(first.adminToken ? [`  admin token: ${first.adminToken}   (set HOOKLINE_ADMIN_TOKEN to choose your own)`] : []),
    `  first owner: ${inviteUrl(baseUrl, first.ownerInviteToken)}   (single use, valid 7 days: makes its holder the tenant's owner)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const { command, role, configFile } = parseArgs(process.argv.slice(2));
  let config;
  let env: Record<string, string | undefined>;
  try {
    env = withConfigFile(process.env, configFile);
    config = loadConfig(role ? { ...env, HOOKLINE_ROLE: role } : env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (command === 'migrate') {
    await migrate(config, logger);
    return;
  }
  if (command === 'reencrypt') {
    await reencrypt(config, logger);
    return;
  }
  // A stop asked for while starting (the api may already listen) waits for the start to finish and
  // is then a clean stop, the embedded PostgreSQL's too; a second signal meanwhile ends at once.
  const stopping: { run?: (signal: NodeJS.Signals) => void; asked?: NodeJS.Signals } = {};
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (stopping.run) stopping.run(signal);
    else stopping.asked = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // OpenTelemetry tracing, only when OTEL_EXPORTER_OTLP_ENDPOINT or HOOKLINE_OTEL=true is set.
  const tracing = await startTracing(env, { 'hookline.role': config.role });
  const hookline = await startHookline(config, logger);
  // Now that the role's modules are loaded (some lazily), so that the next start finds them all
  // in the compile cache (bin/memoryFlags.ts), also after a crash.
  flushCompileCache();
  if (hookline.bootstrap) printFirstStart(hookline.bootstrap, config.publicUrl ?? `${config.tls ? 'https' : 'http'}://localhost:${hookline.api?.port ?? config.port}`);

  stopping.run = (signal) => {
    logger.info({ signal }, 'shutting down');
    // A Ctrl-C reaches the embedded PostgreSQL too, which then drops our connections while they
    // close; those errors are expected now and must not turn a clean stop into a crash.
    process.on('uncaughtException', (err: Error & { code?: string }) => {
      if (err.code && ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE'].includes(err.code)) {
        logger.debug({ err }, 'connection closed during shutdown');
        return;
      }
      logger.fatal({ err }, 'uncaught exception during shutdown');
      process.exit(1);
    });
    // Work in flight gets HOOKLINE_SHUTDOWN_TIMEOUT_MS; this backstop only catches a stop that
    // hangs on something else (e.g. an unreachable database).
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 30_000).unref();
    hookline
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  if (stopping.asked) stopping.run(stopping.asked);
}

main().catch((err: unknown) => {
  // A configuration problem found after loading (e.g. missing or wrong master keys) is a message, not
  // a crash; so is a database that cannot start, whose message quotes PostgreSQL's own reason.
  if (err instanceof ConfigError || err instanceof EmbeddedPostgresError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
