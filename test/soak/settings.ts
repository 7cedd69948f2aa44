/** What one soak run does: its length, load, retention and sampling (`pnpm soak --help`). */
export interface SoakSettings {
  /** Publishing time; the drain comes after it. */
  minutes: number;
  /** Publish rate, open loop. */
  rate: number;
  /** Applications with one endpoint each; the publishes rotate over them. */
  endpoints: number;
  /** How many of those endpoints answer 500 to every attempt (the first ones). */
  failing: number;
  /** HOOKLINE_MESSAGE_RETENTION_DAYS, in minutes. */
  retentionMinutes: number;
  /** HOOKLINE_MAINTENANCE_INTERVAL_MINUTES. */
  maintenanceMinutes: number;
  /** HOOKLINE_HISTORY_PARTITION_SECONDS: retention drops history a partition at a time, so its width bounds the table sizes. */
  partitionSeconds: number;
  /** One sample (and one load-generator slice) per this many seconds. */
  sampleSeconds: number;
  /** Longest wait after publishing for deliveries still on their way. */
  drainSeconds: number;
}

const USAGE = 'use: pnpm soak [--minutes N] [--rate R] [--retention-minutes N] [--sample-seconds N] [--drain-seconds N]';

/**
 * Settings from the command line. Short runs get a 1-minute retention (so it starts within the
 * run) and 15-second samples (so the memory fit has points); longer ones 3 minutes and 60 s.
 */
export function parseSoakArgs(argv: readonly string[]): SoakSettings {
  const args = argv.filter((a) => a !== '--');
  const flags = new Map<string, number>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    const value = Number(args[i + 1]);
    if (!['--minutes', '--rate', '--retention-minutes', '--sample-seconds', '--drain-seconds'].includes(name) || !(value > 0)) {
      throw new Error(`bad argument ${name} ${args[i + 1] ?? ''}; ${USAGE}`);
    }
    flags.set(name, value);
  }
  const minutes = flags.get('--minutes') ?? 30;
  if (minutes > 24 * 60) throw new Error(`--minutes: at most a day; ${USAGE}`);
  const short = minutes < 15;
  return {
    minutes,
    rate: flags.get('--rate') ?? 300,
    endpoints: 10,
    failing: 1,
    retentionMinutes: flags.get('--retention-minutes') ?? (short ? 1 : 3),
    maintenanceMinutes: 1,
    partitionSeconds: 60,
    sampleSeconds: flags.get('--sample-seconds') ?? (short ? 15 : 60),
    drainSeconds: flags.get('--drain-seconds') ?? 60,
  };
}

/** The Hookline settings of the soak's processes, on top of the bench's (benchEnv). */
export function soakEnv(s: SoakSettings): Record<string, string> {
  const days = String(s.retentionMinutes / 1440);
  return {
    HOOKLINE_MESSAGE_RETENTION_DAYS: days,
    HOOKLINE_PAYLOAD_RETENTION_DAYS: days,
    HOOKLINE_MAINTENANCE_INTERVAL_MINUTES: String(s.maintenanceMinutes),
    // pg-boss's own clean-up of finished jobs, so its table is judged at a soak's time scale too.
    HOOKLINE_QUEUE_MAINTENANCE_INTERVAL_SECONDS: '30',
    HOOKLINE_QUEUE_RETENTION_SECONDS: '60',
    HOOKLINE_HISTORY_PARTITION_SECONDS: String(s.partitionSeconds),
    // Retries a few seconds apart, so a failing endpoint's deliveries end (failed) within the run.
    HOOKLINE_RETRY_SCHEDULE: '1,5,15',
  };
}
