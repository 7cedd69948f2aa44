import { readFile, readlink, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * What a data folder's `postmaster.pid` says about the server that wrote it, and whether that
 * server (or what is left of it) still runs. PostgreSQL refuses to start on a folder while the
 * pid in that file answers `kill(pid, 0)` or while processes are still attached to the shared
 * memory segment it names (miscinit.c, CreateLockFile; sysv_shmem.c, PGSharedMemoryIsInUse).
 * After a SIGKILL both hold for a moment: the killed postmaster is a zombie until it is reaped,
 * and backends (each in its own session, so a signal to the process group misses them) run on
 * until they notice its death.
 */
export interface PostmasterLock {
  pid: number;
  /** The port the server listens on. */
  port: number;
  /** The folder of its Unix socket, if it made one. */
  socketDir: string | undefined;
  /** The System V segment PostgreSQL uses as its "still in use" interlock, when the file names one. */
  shm: { key: number; id: number } | undefined;
  /** The file's content as read, so that it is only removed if nobody rewrote it meanwhile. */
  text: string;
}

export type PostmasterState =
  /** A live postgres process whose data folder is this one (or could not be checked). */
  | 'running'
  /** Exited but not reaped yet: `kill(pid, 0)` still succeeds, so PostgreSQL would refuse to start. */
  | 'zombie'
  /** The pid now belongs to some other process (pids are reused, e.g. by a new container): as good as gone, but PostgreSQL would refuse too. */
  | 'reused'
  | 'gone';

export type PreviousCluster =
  | { state: 'none' }
  | {
      state: 'found';
      lock: PostmasterLock;
      postmaster: PostmasterState;
      /** Processes still attached to the interlock segment; undefined where the system does not tell (not Linux). */
      attached: number | undefined;
    };

const LOCK_FILE = 'postmaster.pid';

export async function readPostmasterLock(clusterDir: string): Promise<PostmasterLock | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(clusterDir, LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  // Lines: pid, data dir, start time, port, socket dir, listen address, "shmKey shmId", status.
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  // A file cut short by a crash while it was being written carries no pid: nothing runs from it.
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const [key, id] = (lines[6] ?? '').trim().split(/\s+/).map(Number);
  const shm = Number.isInteger(key) && Number.isInteger(id) && id! >= 0 ? { key: key!, id: id! } : undefined;
  return { pid, port: Number(lines[3]), socketDir: lines[4]?.trim() || undefined, shm, text };
}

async function postmasterState(pid: number, clusterDir: string): Promise<PostmasterState> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: another user's process, which PostgreSQL also takes for "not our postmaster".
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'reused' : 'gone';
  }
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 'running'; // no /proc (not Linux): alive is all that can be known
  }
  // "pid (comm) state …"; comm may itself contain parentheses.
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return 'zombie';
  if (comm !== 'postgres') return 'reused';
  // A postmaster works in its data folder; another cluster's postgres got the pid otherwise.
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
  return cwd === undefined || path.resolve(cwd) === path.resolve(clusterDir) ? 'running' : 'reused';
}

async function attachedProcesses(shm: PostmasterLock['shm']): Promise<number | undefined> {
  if (!shm) return 0;
  let table: string;
  try {
    table = await readFile('/proc/sysvipc/shm', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n').slice(1)) {
    // key shmid perms size cpid lpid nattch …
    const f = line.trim().split(/\s+/);
    if (Number(f[0]) === shm.key && Number(f[1]) === shm.id) return Number(f[6]);
  }
  return 0; // the segment is gone
}

/** The server that last ran on `clusterDir`, if its lock file is still there, and how much of it still runs. */
export async function inspectPreviousCluster(clusterDir: string): Promise<PreviousCluster> {
  const lock = await readPostmasterLock(clusterDir);
  if (!lock) return { state: 'none' };
  const [postmaster, attached] = await Promise.all([postmasterState(lock.pid, clusterDir), attachedProcesses(lock.shm)]);
  return { state: 'found', lock, postmaster, attached };
}

/**
 * Removes a lock file whose postmaster is dead though PostgreSQL cannot tell (a zombie, a reused
 * pid), once nothing holds its shared memory: exactly the case PostgreSQL would refuse by mistake.
 * Left alone if the file changed since it was read (another process started a server meanwhile).
 * Its socket's lock file, which names the same pid and would be refused alike, goes with it.
 */
export async function removeStaleLock(clusterDir: string, lock: PostmasterLock): Promise<void> {
  const file = path.join(clusterDir, LOCK_FILE);
  const now = await readFile(file, 'utf8').catch(() => undefined);
  if (now !== lock.text) return;
  if (lock.socketDir !== undefined) {
    const socketLock = path.join(lock.socketDir, `.s.PGSQL.${lock.port}.lock`);
    const holder = await readFile(socketLock, 'utf8').catch(() => undefined);
    if (holder !== undefined && Number(holder.split('\n')[0]) === lock.pid) await unlink(socketLock).catch(() => {});
  }
  await unlink(file).catch(() => {});
}
