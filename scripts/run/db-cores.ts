import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/usage-error.ts';
import { EMBEDDED_PORT } from '../lib/embedded-postgres.ts';

// `atlas-cap run --db-cores N`: the database server limited to N cores (issue 12, item 6), so service
// demands measured on one core can be carried to a machine of another size. Only for the embedded
// PostgreSQL the harness owns (.data/embedded-pg): never a shared server given by --database-url or
// DATABASE_URL. The server's processes (postmaster and every backend it has forked; backends forked
// later inherit the postmaster's affinity) are pinned with taskset (util-linux) to cores 0..N-1, and
// set back to every core when the run ends.

/** Checks `--db-cores` (undefined: not limited); throws a one-line UsageError for a bad value or a shared server. */
export function parseDbCores(
  value: number | undefined,
  machineCores: number,
  server: { local: boolean; sharedUrl: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > machineCores) {
    throw new UsageError(
      '--db-cores',
      `must be a whole number from 1 to ${machineCores} (this machine's cores), got ${value}`,
    );
  }
  if (!server.local)
    throw new UsageError('--db-cores', 'limits the local database server only: run with --target local');
  if (server.sharedUrl) {
    throw new UsageError(
      '--db-cores',
      "limits only the embedded PostgreSQL the runner starts, never a shared server: run without --database-url and DATABASE_URL (or with the embedded server's URL)",
    );
  }
  return value;
}

/** True when `url` is the embedded PostgreSQL's (loopback, its port): a server the harness starts itself. */
export function isEmbeddedUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && Number(u.port) === EMBEDDED_PORT;
  } catch {
    return false;
  }
}

/** taskset's CPU list for the first `n` cores: `0`, `0-1`, ... */
export function cpuList(n: number): string {
  return n === 1 ? '0' : `0-${n - 1}`;
}

/** The PID of the server whose data folder is `dataDir` (first line of postmaster.pid), or null. */
export function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** `pid` and its direct children (from /proc/<pid>/stat's parent field). */
export function processAndChildren(pid: number): number[] {
  const pids = [pid];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in parentheses: state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) pids.push(Number(name));
    } catch {
      // the process ended while listing
    }
  }
  return pids;
}

/** Pins `pids` (all their threads) to `list`; throws when taskset is missing or refuses. */
export function pinProcesses(pids: number[], list: string): void {
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
    } catch (error) {
      if (!existsSync(`/proc/${pid}`)) continue; // a backend that ended meanwhile
      throw new Error(
        `taskset could not pin PID ${pid} to cores ${list}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
}

/**
 * Limits the server of `dataDir` to its first `cores` cores of `machineCores`; returns what sets it
 * back to all of them. Throws when no server runs there.
 */
export function limitServerCores(dataDir: string, cores: number, machineCores: number): () => void {
  const pid = postmasterPid(dataDir);
  if (pid === null || !existsSync(`/proc/${pid}`)) throw new Error(`no PostgreSQL server runs in ${dataDir}`);
  pinProcesses(processAndChildren(pid), cpuList(cores));
  return () => {
    if (existsSync(`/proc/${pid}`)) pinProcesses(processAndChildren(pid), cpuList(machineCores));
  };
}
