import { existsSync, readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { hostOfUrl, isLoopbackHost } from '../../core/loopback.ts';
import type { RunCpu, SeriesSample } from '../../core/run-record.ts';
import {
  CLOCK_TICKS_PER_SECOND,
  descendantsOf,
  type HostTicks,
  hostBusyPercent,
  hostStealPercent,
  type ProcessTicks,
  parseHostTicks,
  parseInvoluntarySwitches,
  parseProcessTicks,
  parseSchedstat,
  type ThreadSchedstat,
  ticksBetween,
} from './proc-stat.ts';

// Where the CPU of a run goes, once a second from /proc (Linux): the host's busy share over all cores,
// and the CPU of process groups (a root process and its descendants): the target, the database server,
// k6, and the runner itself. Everything in percent of one core, as loadGenerator.cpuPercentMean is.

/** Process groups the sampler follows. */
export type CpuGroup = 'target' | 'database' | 'loadGenerator' | 'runner';

/** One second of CPU: the host (all cores) and each watched group, percent of one core. */
export interface CpuSample {
  atMs: number;
  host: number;
  /** Of `host`, percent of one core stolen by the hypervisor over the second. */
  steal: number;
  groups: Partial<Record<CpuGroup, number>>;
}

/** What {@link HostCpuSampler.stop} returns: per-second samples and totals over the sampled window. */
export interface HostCpuSummary {
  cores: number;
  /** Seconds between the first and the last reading. */
  windowSeconds: number;
  samples: CpuSample[];
  /** Host busy CPU-seconds (all cores) over the window. */
  hostCpuSeconds: number;
  /** Of those, CPU-seconds stolen by the hypervisor (no process of this machine ran). */
  stealSeconds: number;
  /** CPU-seconds of each watched group over the window. */
  groupCpuSeconds: Partial<Record<CpuGroup, number>>;
  /** The watched thread (watchThread) from when it was first read: its CPU and run-queue wait, s; absent when unread. */
  thread?: ThreadWindow;
}

/** Samples host and process-group CPU from /proc once a second. */
export interface HostCpuSampler {
  /** Whether /proc can be read here (Linux): when false, stop() returns null. */
  readonly available: boolean;
  /** Follows `pid` (and its descendants unless `children` is false) as part of `group` from the next reading on. */
  watch(group: CpuGroup, pid: number, children?: boolean): void;
  /** Follows the main thread of `pid` (its schedstat) from the next reading on: the target's event loop. */
  watchThread(pid: number): void;
  /** Stops; null when /proc is not readable (not Linux) or nothing was sampled. */
  stop(): HostCpuSummary | null;
}

function readProcesses(): Map<number, ProcessTicks> {
  const out = new Map<number, ProcessTicks>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const p = parseProcessTicks(readFileSync(`/proc/${name}/stat`, 'utf8'));
      out.set(p.pid, p);
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

interface Reading {
  atMs: number;
  uptimeTicks: number;
  host: HostTicks;
  processes: Map<number, ProcessTicks>;
  /** The watched thread's schedstat (null: none watched, or unreadable). */
  thread: ThreadSchedstat | null;
}

/**
 * The main thread's schedstat of `pid` with its involuntary context switches where its status file
 * gives them, or null (no such process, or a kernel without schedstat).
 */
function readThread(pid: number | null): ThreadSchedstat | null {
  if (pid === null) return null;
  let stat: ThreadSchedstat;
  try {
    stat = parseSchedstat(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8'));
  } catch {
    return null;
  }
  try {
    const involuntary = parseInvoluntarySwitches(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'));
    return involuntary === null ? stat : { ...stat, involuntarySwitches: involuntary };
  } catch {
    return stat;
  }
}

/** Clock ticks since boot, from /proc/uptime. */
function uptimeTicks(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(/\s+/)[0]) * CLOCK_TICKS_PER_SECOND;
}

function read(threadPid: number | null): Reading {
  return {
    atMs: Date.now(),
    uptimeTicks: uptimeTicks(),
    host: parseHostTicks(readFileSync('/proc/stat', 'utf8')),
    processes: readProcesses(),
    thread: readThread(threadPid),
  };
}

/** A thread's scheduler accounting over a window of `windowSeconds`. */
export interface ThreadWindow {
  windowSeconds: number;
  cpuSeconds: number;
  runQueueSeconds: number;
  timeslices: number;
  /** Times it was taken off a core while runnable (preempted); absent unless both readings had them. */
  involuntarySwitches?: number;
}

/** A thread's CPU and run-queue wait between two readings of it `windowSeconds` apart (null unless both were read). */
export function threadBetween(
  first: ThreadSchedstat | null,
  last: ThreadSchedstat | null,
  windowSeconds: number,
): ThreadWindow | null {
  if (!first || !last || last.cpuNs < first.cpuNs || !(windowSeconds > 0)) return null;
  return {
    windowSeconds,
    cpuSeconds: (last.cpuNs - first.cpuNs) / 1e9,
    runQueueSeconds: Math.max(0, last.runQueueNs - first.runQueueNs) / 1e9,
    timeslices: Math.max(0, last.timeslices - first.timeslices),
    ...(first.involuntarySwitches !== undefined && last.involuntarySwitches !== undefined
      ? { involuntarySwitches: Math.max(0, last.involuntarySwitches - first.involuntarySwitches) }
      : {}),
  };
}

/** Starts reading /proc every `intervalMs` (the first reading now). */
export function startHostCpuSampler(cores: number, intervalMs = 1000): HostCpuSampler {
  const available = existsSync('/proc/stat') && existsSync('/proc/uptime');
  const roots = new Map<CpuGroup, Map<number, boolean>>();
  const samples: CpuSample[] = [];
  const totals: Partial<Record<CpuGroup, number>> = {};
  let hostTicks = 0;
  let stealSeconds = 0;
  let first: Reading | null = null;
  let last: Reading | null = null;
  let threadPid: number | null = null;
  // The watched thread's first reading (it may start being watched after the sampler's first reading).
  let threadFirst: { atTicks: number; stat: ThreadSchedstat } | null = null;
  const tick = (): void => {
    let now: Reading;
    try {
      now = read(threadPid);
    } catch {
      return; // /proc unreadable this second: no sample
    }
    if (last) {
      const seconds = (now.uptimeTicks - last.uptimeTicks) / CLOCK_TICKS_PER_SECOND;
      if (seconds > 0) {
        const groups: Partial<Record<CpuGroup, number>> = {};
        for (const [group, pids] of roots) {
          const members = new Set<number>();
          for (const [root, children] of pids) {
            if (!children) members.add(root);
            else for (const pid of descendantsOf(root, now.processes.values())) members.add(pid);
          }
          const ticks = ticksBetween(last.processes, now.processes, members, last.uptimeTicks);
          totals[group] = (totals[group] ?? 0) + ticks / CLOCK_TICKS_PER_SECOND;
          groups[group] = (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100;
        }
        const host = hostBusyPercent(last.host, now.host, cores);
        hostTicks += (host / 100) * seconds;
        const steal = hostStealPercent(last.host, now.host, cores);
        stealSeconds += (steal / 100) * seconds;
        samples.push({ atMs: now.atMs, host, steal, groups });
      }
    }
    first ??= now;
    if (now.thread && !threadFirst) threadFirst = { atTicks: now.uptimeTicks, stat: now.thread };
    last = now;
  };
  if (available) tick();
  const timer = available ? setInterval(tick, intervalMs) : null;
  return {
    available,
    watch(group, pid, children = true) {
      if (!(pid > 0)) return;
      const set = roots.get(group) ?? new Map<number, boolean>();
      set.set(pid, children);
      roots.set(group, set);
    },
    watchThread(pid) {
      if (!(pid > 0) || !available) return;
      threadPid = pid;
      // Read now, so its window starts with the sampler's (watched right after it started).
      const stat = readThread(pid);
      if (stat) threadFirst = { atTicks: uptimeTicks(), stat };
    },
    stop() {
      if (timer) clearInterval(timer);
      if (!available) return null;
      tick();
      if (!first || !last || samples.length === 0) return null;
      const thread = threadFirst
        ? threadBetween(
            threadFirst.stat,
            last.thread,
            (last.uptimeTicks - threadFirst.atTicks) / CLOCK_TICKS_PER_SECOND,
          )
        : null;
      return {
        ...(thread ? { thread } : {}),
        cores,
        windowSeconds: (last.uptimeTicks - first.uptimeTicks) / CLOCK_TICKS_PER_SECOND,
        samples,
        hostCpuSeconds: hostTicks,
        stealSeconds,
        groupCpuSeconds: totals,
      };
    },
  };
}

/**
 * The process id of the PostgreSQL server (postmaster) behind `databaseUrl` when it runs on this host
 * and its processes are visible in /proc: a backend's pid (pg_backend_pid) whose /proc entry is a
 * `postgres` process, and its parent, also `postgres`. Null otherwise (remote, another pid namespace).
 */
export async function localPostgresServerPid(databaseUrl: string): Promise<number | null> {
  if (!existsSync('/proc/self/stat') || !isLoopbackHost(hostOfUrl(databaseUrl))) return null;
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap cpu' });
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const backend = parseProcessTicks(readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8'));
    const server = parseProcessTicks(readFileSync(`/proc/${backend.ppid}/stat`, 'utf8'));
    const isPostgres = (p: ProcessTicks): boolean => /^(postgres|postmaster)$/.test(p.comm);
    return isPostgres(backend) && isPostgres(server) ? server.pid : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

const GROUPS: CpuGroup[] = ['target', 'database', 'loadGenerator', 'runner'];

/**
 * The run record's `cpu` from a sampler summary; `processes` says what each followed group was (a
 * group that was not followed is null).
 */
export function runCpuOf(summary: HostCpuSummary, processes: Partial<Record<CpuGroup, string>>): RunCpu {
  const w = Math.max(1e-9, summary.windowSeconds);
  const group = (g: CpuGroup): RunCpu['target'] => {
    const seconds = summary.groupCpuSeconds[g];
    const what = processes[g];
    if (seconds === undefined || what === undefined) return null;
    return {
      cpuSeconds: seconds,
      cpuPercentMean: (seconds / w) * 100,
      cpuPercentMax: Math.max(0, ...summary.samples.map((s) => s.groups[g] ?? 0)),
      processes: what,
    };
  };
  return {
    windowSeconds: summary.windowSeconds,
    host: {
      cpuSeconds: summary.hostCpuSeconds,
      cpuPercentMean: (summary.hostCpuSeconds / w) * 100,
      cpuPercentMax: Math.max(0, ...summary.samples.map((s) => s.host)),
      stealSeconds: summary.stealSeconds,
    },
    target: group('target'),
    database: group('database'),
    loadGenerator: group('loadGenerator'),
    runner: group('runner'),
    ...(summary.thread && processes.target !== undefined ? { targetThread: summary.thread } : {}),
  };
}

/** Adds each second's CPU to the series (the sample read at the end of that second, from `originMs`). */
export function withCpuSeries(
  series: SeriesSample[],
  samples: CpuSample[],
  originMs: number,
): SeriesSample[] {
  const bySecond = new Map<number, CpuSample>();
  for (const s of samples) {
    // A reading at atMs covers the second before it.
    const t = Math.floor((s.atMs - originMs) / 1000) - 1;
    if (t >= 0) bySecond.set(t, s);
  }
  return series.map((s) => {
    const c = bySecond.get(s.t);
    if (!c) return s;
    const cpu = { host: c.host, steal: c.steal } as NonNullable<SeriesSample['cpu']>;
    for (const g of GROUPS) cpu[g] = c.groups[g] ?? null;
    return { ...s, cpu };
  });
}
