// Pure parsers of Linux /proc CPU accounting (proc(5)), so the host sampler's arithmetic is testable
// on fixed text. Times are in clock ticks (USER_HZ).

/** USER_HZ: the unit of /proc tick counts; 100 on every Linux ABI the harness runs on (proc(5), times(2)). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The aggregate `cpu` line of /proc/stat: all cores' ticks, the idle ones (idle + iowait), and the stolen ones. */
export interface HostTicks {
  total: number;
  idle: number;
  /** Ticks the hypervisor ran something else while a vCPU had work (counted busy: no task of ours ran). */
  steal: number;
}

/**
 * Parses the first (`cpu `, all cores) line of /proc/stat. Fields: user nice system idle iowait irq
 * softirq steal guest guest_nice; guest time is already counted in user/nice, so it is left out of the
 * total (as top and procps do). iowait is idle: no task ran on the core.
 */
export function parseHostTicks(procStat: string): HostTicks {
  const line = procStat.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) throw new Error(`bad /proc/stat cpu line: ${line}`);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

/** What the sampler needs of one /proc/<pid>/stat. */
export interface ProcessTicks {
  pid: number;
  /** Executable name (field 2, without the parentheses). */
  comm: string;
  ppid: number;
  /** utime + stime: CPU ticks the process has used (its own threads, not waited-for children). */
  cpu: number;
  /** Clock ticks after boot at which the process started. */
  startTicks: number;
}

/**
 * Parses /proc/<pid>/stat. The name may hold spaces and parentheses, so fields are counted after the
 * last ')': state is field 3, ppid 4, utime 14, stime 15, starttime 22 (proc(5)).
 */
export function parseProcessTicks(text: string): ProcessTicks {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`bad /proc/<pid>/stat: ${text.slice(0, 60)}`);
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field k is rest[k - 3].
  const field = (k: number): number => Number(rest[k - 3]);
  const out = {
    pid,
    comm: text.slice(open + 1, close),
    ppid: field(4),
    cpu: field(14) + field(15),
    startTicks: field(22),
  };
  if (![out.pid, out.ppid, out.cpu, out.startTicks].every(Number.isFinite))
    throw new Error(`bad /proc/<pid>/stat: ${text.slice(0, 60)}`);
  return out;
}

/** Every process at or below `root` in the parent tree of `processes`. */
export function descendantsOf(root: number, processes: Iterable<ProcessTicks>): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of processes) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const out = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (out.has(pid)) continue;
    out.add(pid);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return out;
}

/**
 * CPU ticks a set of processes used between two scans. A process present in both counts its
 * difference; one that started after the previous scan counts all its ticks; one already running but
 * not seen before (it joined the set, e.g. re-parented) counts nothing this time. Processes that ended
 * between scans lose their last interval (at most one second of a short-lived process).
 */
export function ticksBetween(
  previous: ReadonlyMap<number, ProcessTicks>,
  current: ReadonlyMap<number, ProcessTicks>,
  pids: Iterable<number>,
  previousUptimeTicks: number,
): number {
  let sum = 0;
  for (const pid of pids) {
    const now = current.get(pid);
    if (!now) continue;
    const before = previous.get(pid);
    if (before && before.startTicks === now.startTicks) sum += Math.max(0, now.cpu - before.cpu);
    else if (now.startTicks >= previousUptimeTicks) sum += now.cpu;
  }
  return sum;
}

/** Host CPU busy between two /proc/stat readings, in percent of one core (cores × 100 when all are busy). */
export function hostBusyPercent(before: HostTicks, after: HostTicks, cores: number): number {
  return shareOfTicks(before, after, cores, (t) => t.total - t.idle);
}

/** Stolen time between two readings, percent of one core (same scale as hostBusyPercent). */
export function hostStealPercent(before: HostTicks, after: HostTicks, cores: number): number {
  return shareOfTicks(before, after, cores, (t) => t.steal);
}

function shareOfTicks(
  before: HostTicks,
  after: HostTicks,
  cores: number,
  pick: (t: HostTicks) => number,
): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  const part = pick(after) - pick(before);
  return Math.max(0, Math.min(1, part / total)) * cores * 100;
}

/** One thread's scheduler accounting (/proc/<pid>/task/<tid>/schedstat), nanoseconds and a count. */
export interface ThreadSchedstat {
  /** Time the thread ran on a core. */
  cpuNs: number;
  /** Time the thread was runnable, waiting on a run queue for a core. */
  runQueueNs: number;
  /** Times it was put on a core. */
  timeslices: number;
  /** Times it was taken off a core while still runnable (/proc/<pid>/task/<tid>/status); absent unread. */
  involuntarySwitches?: number;
}

/** Parses a schedstat line: `<ns on a core> <ns waiting on a run queue> <timeslices>` (sched-stats.rst). */
export function parseSchedstat(text: string): ThreadSchedstat {
  const f = text.trim().split(/\s+/).map(Number);
  if (f.length !== 3 || f.some((x) => !Number.isFinite(x) || x < 0))
    throw new Error(`bad schedstat: ${text.slice(0, 60)}`);
  return { cpuNs: f[0]!, runQueueNs: f[1]!, timeslices: f[2]! };
}

/**
 * A thread's involuntary context switches from its status file (`nonvoluntary_ctxt_switches:` line,
 * proc(5)): the times the scheduler took it off a core while it could still run. Null without the line.
 */
export function parseInvoluntarySwitches(statusText: string): number | null {
  const m = /^nonvoluntary_ctxt_switches:\s+(\d+)\s*$/m.exec(statusText);
  return m ? Number(m[1]) : null;
}
