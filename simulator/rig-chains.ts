import type { CpuWait } from './cpu.ts';
import { type Counts, streamInFlight } from './stream-in-flight.ts';

// The measuring rig's CPU wait when its load is syncs run as chains. Pure.
//
// k6 runs each sync's requests one after another (k6 → target → PostgreSQL → target → k6, then k6's
// script for the next request), and starts syncs on schedule: constant-arrival-rate, one evenly spaced
// stream per k6 scenario (activity class). So a sync is a chain that wants at most one core at a time,
// and the number of chains in flight is set by the schedule, not by chance: with syncs every T seconds
// lasting D, a chain shares the host with D/T − 1 others of its stream (floor or ceil of it, never
// more), plus those of the other streams (independent phases: floor or ceil of rate × D each).
// A request's CPU waits only when more runnable work than cores is present at once: itself, the other
// chains that are on a core (each with the chains' measured busy share of its life), and the load
// outside the chains (fixed parts, other processes; floor or ceil of its cores). With K runnable on c
// cores each runs at c/K of a core (processor sharing), so a request with x ms of CPU is stretched to
// x·K/c when K > c: the wait happens with probability P(K > c) and its mean is x·E[K/c − 1 | K > c].
// The snapshot of the others is held for the request's CPU (its bursts are short against a chain's life).
// Where Poisson arrivals of independent requests (processorSharingWait, M/M/c) put a wait with
// probability 0.33 at half of two cores, chains put none until a third one is on a core at once.
//
// Layered (session 6, issue 12): a chain that waits for a core is runnable while it waits, so the share
// of its life it competes for a core is its CPU share times its mean stretch s (CPU time on the wall
// over CPU needed), not its CPU share alone; and s is what the runnable count gives
// (s = E[max(1, K/c)]). The two are solved together (`withRunnableStretch`). Without it (s = 1, the
// session-5 snapshot) the wait stays small up to the saturation point and the pool's connections,
// held while their statements wait for a core, could not be seen to run out before the CPU reads 100 %.

/** The rig's load as chains: what one request's CPU shares the host's cores with. */
export interface ChainLoad {
  /** Syncs per second of each evenly spaced stream (one per k6 scenario). */
  streams: number[];
  /** Mean duration of one sync (a chain's life), s. */
  syncSeconds: number;
  /** Cores the chains use together (their CPU work per second, target, database and k6). */
  chainCores: number;
  /** Cores used outside the chains (fixed parts, other processes). */
  backgroundCores: number;
  /** Cores of the host. */
  cores: number;
  /**
   * Mean stretch of a chain's CPU (wall time on the run queue over CPU needed, >= 1): a waiting chain is
   * runnable too. Absent: 1 (the snapshot of session 5). Solved by `withRunnableStretch`.
   */
  runnableStretch?: number;
  /**
   * Coefficient of variation of one sync's duration (sync-duration-cv.ts). Present: a stream's chains
   * in flight are its past starts still running, each as long as its own sync (stream-in-flight.ts).
   * Absent: every sync lasts the mean, so floor or ceil of rate × duration.
   */
  syncCv?: number;
  /**
   * The chains' CPU by the process it runs in, where that process runs on at most `threads` cores at
   * once (the target's one event-loop thread, k6's Go scheduler): the chains on a core in it count for
   * at most that many runnable (its other steps wait in its own queue, not on the cores' run queue).
   * The chains' CPU outside these (the database's backends) is not capped. Absent: none capped.
   */
  processes?: CappedProcess[];
}

/** The target's process in `ChainLoad.processes`: its JavaScript runs on one thread (event-loop.ts). */
const TARGET_PROCESS = 'target';
/** k6's process: Go runs its goroutines on GOMAXPROCS threads, one per core unless set (k6 leaves it). */
const LOAD_GENERATOR_PROCESS = 'k6';

/** A process whose share of the chains' CPU runs on at most `threads` cores at once. */
export interface CappedProcess {
  name: string;
  /** Cores of the chains' CPU that run in it. */
  cores: number;
  threads: number;
}

/**
 * The rig's capped processes: the target's part of the chains' CPU (`targetCores`) on its one thread,
 * k6's (`loadGeneratorCores`) on one thread per core of the host's `cores` (Go's GOMAXPROCS default).
 */
export function rigChainProcesses(
  targetCores: number,
  loadGeneratorCores: number,
  cores: number,
): CappedProcess[] {
  return [
    { name: TARGET_PROCESS, cores: Math.max(0, targetCores), threads: 1 },
    {
      name: LOAD_GENERATOR_PROCESS,
      cores: Math.max(0, loadGeneratorCores),
      threads: Math.max(1, Math.round(cores)),
    },
  ];
}

/** A distribution over counts, dense: index = count, value = probability. */
type Dense = number[];

/** A probability too small to change any figure: left out of the distributions (their sum stays 1 to 1e-12). */
const NEGLIGIBLE = 1e-16;

/** Doubles below this lose precision (subnormal from 2.2e-308): a recurrence is carried in logs under it. */
const FULL_PRECISION = 1e-300;

/** A sparse distribution (stream-in-flight.ts) as a dense one. */
function toDense(c: Counts): Dense {
  const out: Dense = new Array<number>(Math.max(0, ...c.keys()) + 1).fill(0);
  for (const [k, p] of c) out[k]! += p;
  return out;
}

/** A count with mean x ≥ 0 that is floor(x) or ceil(x). */
function floorOrCeil(x: number): Dense {
  const lo = Math.floor(Math.max(0, x));
  const frac = Math.max(0, x) - lo;
  const out: Dense = new Array<number>(frac > 0 ? lo + 2 : lo + 1).fill(0);
  out[lo] = 1 - frac;
  if (frac > 0) out[lo + 1] = frac;
  return out;
}

/** The sum of two independent counts. */
function convolve(a: Dense, b: Dense): Dense {
  const out: Dense = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    if (p === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j]! += p * b[j]!;
  }
  return out;
}

/**
 * Binomial(n, f), by the recurrence on k, in logs (P(0) = (1 − f)^n underflows to 0 from n·f ≈ 745 on,
 * which would take every term with it). Terms under NEGLIGIBLE are left out, and past the mode (where
 * they only fall) the rest with them: n grows large where syncs last long (a collapsed pool's), while
 * n·f stays near the host's cores, so the mass sits in a few terms.
 */
export function binomial(n: number, f: number): number[] {
  if (f <= 0 || n === 0) return [1];
  if (f >= 1) {
    const out: Dense = new Array<number>(n + 1).fill(0);
    out[n] = 1;
    return out;
  }
  const mode = Math.floor((n + 1) * f);
  const odds = f / (1 - f);
  const out: Dense = [];
  // In logs while the terms are below doubles' full precision, then by the plain ratio (faster).
  let logP = n * Math.log1p(-f);
  let pk = Math.exp(logP);
  for (let k = 0; k <= n; k++) {
    if (pk > NEGLIGIBLE) out[k] = pk;
    else if (k > mode) break;
    else out[k] = 0;
    const ratio = ((n - k) / (k + 1)) * odds;
    if (pk > FULL_PRECISION) pk *= ratio;
    else {
      logP += Math.log(ratio);
      pk = Math.exp(logP);
    }
  }
  return out;
}

/** Adds `weight` × `d` into `out`, growing it as needed. */
function addScaled(out: Dense, d: Dense, weight: number): void {
  for (let k = out.length; k < d.length; k++) out[k] = 0;
  for (let k = 0; k < d.length; k++) out[k]! += weight * d[k]!;
}

/** How many of `count` (itself distributed) are on a core, each with probability f. */
function onCore(count: Dense, f: number): Dense {
  const out: Dense = [];
  for (let n = 0; n < count.length; n++) if (count[n]! > 0) addScaled(out, binomial(n, f), count[n]!);
  return out;
}

/**
 * The other chains on a core when part of their CPU runs in processes of few threads: for each count n
 * of others in flight, the uncapped part's Binomial(n, f) and each capped process's Binomial(n, f_p)
 * held at its threads, summed. The parts are drawn apart (a chain's steps in two processes at once are
 * not excluded): exact in the mean, and near enough when each share is small, as below saturation.
 */
function cappedOnCore(count: Dense, f: number, capped: Array<{ f: number; threads: number }>): Dense {
  const out: Dense = [];
  for (let n = 0; n < count.length; n++) {
    const p = count[n]!;
    if (!(p > 0)) continue;
    let d = binomial(n, f);
    for (const c of capped) {
      const threads = Math.max(0, c.threads);
      const one = binomial(n, c.f);
      const held: Dense = new Array<number>(Math.min(one.length, threads + 1)).fill(0);
      for (let k = 0; k < one.length; k++) held[Math.min(k, threads)]! += one[k]!;
      d = convolve(d, held);
    }
    addScaled(out, d, p);
  }
  return out;
}

const othersCache = new Map<string, Dense>();

/**
 * The other chains in flight beside a request, averaged over the stream its chain belongs to (weighted
 * by its rate): its own stream's others and every other stream's count (independent phases). Memoised
 * on its inputs (the runnable stretch's iteration asks for the same ones again and again).
 */
function othersInFlight(streams: number[], syncSeconds: number, cv: number | undefined): Dense {
  const key = `${streams.join(',')}|${syncSeconds}|${cv ?? ''}`;
  const cached = othersCache.get(key);
  if (cached) return cached;
  const total = streams.reduce((s, r) => s + r, 0);
  const count = (r: number, own: boolean): Dense =>
    cv === undefined || cv <= 0
      ? floorOrCeil(r * syncSeconds - (own ? 1 : 0))
      : toDense(streamInFlight(r, syncSeconds, cv, own));
  // Each stream's count once: as its own chains see it, and as the other streams' chains do.
  const own = streams.map((r) => (r > 0 ? count(r, true) : null));
  const seen = streams.map((r) => (r > 0 ? count(r, false) : null));
  const mixed: Dense = [];
  for (const [s, rate] of streams.entries()) {
    if (rate <= 0) continue;
    let d = own[s]!;
    for (const [i, c] of seen.entries()) if (i !== s && c) d = convolve(d, c);
    addScaled(mixed, d, rate / total);
  }
  if (othersCache.size > 4096) othersCache.clear();
  othersCache.set(key, mixed);
  return mixed;
}

/** Mean number of chains in flight (syncs per second × sync duration, over all streams). */
export function chainsInFlight(load: ChainLoad): number {
  return load.streams.reduce((s, r) => s + r, 0) * load.syncSeconds;
}

const runnableCache = new WeakMap<ChainLoad, number[]>();

/**
 * Distribution (index = count) of the runnable work a request's CPU finds on the host: itself, the
 * other chains on a core, and the load outside the chains (see the file's comment). Memoised per load
 * (a load is not changed once built).
 */
export function runnableDistribution(load: ChainLoad): number[] {
  const cached = runnableCache.get(load);
  if (cached) return cached;
  const total = load.streams.reduce((s, r) => s + r, 0);
  const inFlight = chainsInFlight(load);
  // Share of its life a chain is runnable: the chains' CPU per second over the chains in flight, times
  // the stretch of that CPU by waiting for a core (a chain waiting for a core is runnable).
  const stretch = Math.max(1, load.runnableStretch ?? 1);
  const share = (cores: number): number =>
    inFlight > 0 ? Math.min(1, (Math.max(0, cores) * stretch) / inFlight) : 0;
  let others: Dense = [1];
  if (total > 0) {
    // Averaged over the stream the request's chain belongs to (weighted by its rate).
    others = othersInFlight(load.streams, load.syncSeconds, load.syncCv);
  }
  const capped = load.processes ?? [];
  const cappedCores = capped.reduce((s, p) => s + Math.max(0, p.cores), 0);
  const chainsOnCore =
    capped.length === 0
      ? onCore(others, share(load.chainCores))
      : cappedOnCore(
          others,
          share(Math.max(0, load.chainCores - cappedCores)),
          capped.map((p) => ({ f: share(p.cores), threads: p.threads })),
        );
  // Itself: one more.
  const runnable = [0, ...convolve(chainsOnCore, floorOrCeil(load.backgroundCores))];
  runnableCache.set(load, runnable);
  return runnable;
}

/** The wait for a core of a request with `cpuMs` of CPU on its path, under chain load (null: none). */
export function chainCpuWait(load: ChainLoad, cpuMs: number): CpuWait | null {
  if (cpuMs <= 0) return null;
  const c = Math.max(1, Math.round(load.cores));
  const runnable = runnableDistribution(load);
  let probability = 0;
  let stretch = 0;
  for (let k = c + 1; k < runnable.length; k++) {
    probability += runnable[k]!;
    stretch += runnable[k]! * (k / c - 1);
  }
  if (probability <= 1e-12) return null;
  return { probability, meanMs: (cpuMs * stretch) / probability };
}

/** Mean stretch of CPU under a load's runnable distribution: E[max(1, K/c)] (1 = no wait). */
export function meanStretch(load: ChainLoad): number {
  const c = Math.max(1, Math.round(load.cores));
  return runnableDistribution(load).reduce((s, p, k) => s + p * Math.max(1, k / c), 0);
}

/**
 * The load with its runnable stretch solved: s = meanStretch(load with s), from s = 1 upwards (the
 * map is increasing in s, so the iteration rises to the least fixed point; it is bounded because a
 * chain is runnable at most all its life). The chains in flight are held as given.
 */
export function withRunnableStretch(load: ChainLoad): ChainLoad {
  let s = 1;
  let at: ChainLoad = { ...load, runnableStretch: s };
  for (let i = 0; i < 200; i++) {
    const next = meanStretch(at);
    const done = Math.abs(next - s) <= 1e-9 * next;
    s = next;
    at = { ...load, runnableStretch: s };
    if (done) break;
  }
  return at;
}
