import type { Calibration } from './calibration.ts';
import { loopShareOf } from './loop-thread-share.ts';
import type { Queue } from './queueing.ts';
import { queue } from './queueing.ts';
import { ENDPOINTS } from './workload.ts';

// The local target's event loop: a software resource layered over the host's cores (issue 12).
//
// The target (backend/, standing in for PostgREST on the rig) is one Node process: its JavaScript runs
// on one thread, so requests take turns on it (one server, FCFS), and that thread itself waits for a
// core when the host is busy, so each turn lasts the request's CPU times the host's stretch. A REST
// request passes the loop twice: the HTTP request (parse, acquire, send the statement) and the
// statement's result (parse the rows, serialise, answer, release the connection). The connection is
// checked out across the second pass (backend/db-pool.ts times `client.query` until its continuation
// runs and releases after it), so a statement's hold includes one wait for the loop; the request's
// latency includes two (an /api/message one per I/O it awaits, MESSAGE_LOOP_PASSES). Each pass is
// modelled as an equal share of the request's target CPU, M/G/1 (Pollaczek–Khinchine through queue():
// exact mean for one server with Poisson passes; k6's schedule and the chains make arrivals smoother
// than Poisson, so it is an upper bound at low load, where it is small).
// Deployments have no such loop on the REST path (PostgREST is multi-threaded): rig only.

/** Passes through the loop per request (the request, then its statement's result). */
export const LOOP_PASSES_PER_REQUEST = 2;

/**
 * Passes through the loop of one /api/message on the reference backend (backend/message-route.ts): the
 * request's own, then one per I/O it awaits: the tier, the rate limiter's store (Redis), the monthly
 * usage, the user's message, the language model's answer, the reply's statement. Its CPU is spread
 * over those turns, not two: measured 2026-12-03 (bench:knee launch-mix, 1,429-2,144 users), with two
 * passes of 1.08 ms each the REST requests queued behind them and their p95s were predicted +39 to
 * +79 % where they measured flat from the fit levels up; with seven, +5 to +21 % (messages and push;
 * diagnosis on those runs). 7, range 6-7 (6 with the in-memory rate-limit store).
 */
export const MESSAGE_LOOP_PASSES = 7;

/**
 * Passes through the loop of one request of an endpoint on average: the request's own, and its
 * statement result's for the share of its requests that run one (calibration.ts `statementShare`: an
 * empty push batch runs none on the reference backend and answers in the request's own pass).
 */
export function loopPassesOf(cal: Pick<Calibration, 'statementShare'>, endpoint: string): number {
  if (endpoint === ENDPOINTS.message) return MESSAGE_LOOP_PASSES;
  const s = cal.statementShare?.[endpoint]?.share;
  return s !== undefined && s >= 0 && s < 1 ? 1 + s : LOOP_PASSES_PER_REQUEST;
}

/**
 * Mean wait of a pass that comes while the loop's thread is runnable but preempted by another process,
 * ms: the rest of the competitor's turn on the core, as the residual of an exponential turn. Measured,
 * 2026-12-07 (session 54), as the thread's preempted time (its run-queue time less the wake-up share of
 * its CPU, thread-wake.ts) over its involuntary context switches (/proc/<pid>/task/<pid>/status
 * nonvoluntary_ctxt_switches) across 50 s of one run each: 0.069 ms at launch-mix's 2,152 users (413
 * preemptions a second), 0.186 ms at full sync's 13,735 (1,830 a second; preempted 0.34 of the wall
 * clock, the model's share 0.35). The competitors are the database's backends and k6, whose turns are
 * a statement's or a request's, far shorter than the kernel's base slice (1.5 ms on 2 cores, the
 * value before; over-read every level's loop wait p99 2-3× on session 54's benches). 0.15; range
 * 0.07-0.26 (the lower of the two runs; all run-queue time over the switches, 0.23 and 0.26).
 */
export const LOOP_PREEMPTION_MS = 0.15;

/** A CPU's mean over rates (weights) and its squared coefficient of variation, each part exponential. */
function mixture(parts: Array<{ rate: number; meanMs: number }>): { meanMs: number; scv: number } {
  const rate = parts.reduce((s, p) => s + p.rate, 0);
  if (rate <= 0) return { meanMs: 0, scv: 1 };
  const mean = parts.reduce((s, p) => s + p.rate * p.meanMs, 0) / rate;
  const second = parts.reduce((s, p) => s + p.rate * 2 * p.meanMs * p.meanMs, 0) / rate;
  return { meanMs: mean, scv: mean > 0 ? second / (mean * mean) - 1 : 1 };
}

/**
 * The event loop's queue at a load: passes per second (two per request, one for an empty push:
 * loopPassesOf), each an equal share of the request's
 * target CPU (`cal.cpu.appMsPerRequest`) stretched by `hostStretch` (wall time per CPU time on the
 * host, >= 1). Null without a CPU calibration or requests.
 */
export function eventLoopQueue(
  cal: Pick<Calibration, 'cpu' | 'statementShare'>,
  requestRates: Record<string, number>,
  hostStretch: number,
  wakeStretch = 0,
): LoopQueue | null {
  const c = cal.cpu;
  if (!c) return null;
  // The loop runs its thread's share of the target's CPU (loop-thread-share.ts); the rest runs on the
  // process's other threads.
  const share = loopShareOf(c);
  const parts = Object.entries(requestRates)
    .filter(([, r]) => r > 0)
    .map(([e, r]) => {
      const passes = loopPassesOf(cal, e);
      return {
        rate: r * passes,
        meanMs: (((c.appMsPerRequest[e] ?? c.appMsPerRequest.default) * share) / passes) * hostStretch,
      };
    });
  const requestPasses = parts.reduce((s, p) => s + p.rate, 0);
  if (requestPasses <= 0) return null;
  // The target's CPU that is not per request (its fixed cores: timers, the metrics sampler, garbage
  // collection of the requests' objects) runs on the same thread: turns of the mean pass's size that
  // take the thread as often as that work needs.
  const fixed = Math.max(0, c.app.fixedCores) * share;
  const meanPass = mixture(parts).meanMs;
  if (fixed > 0 && meanPass > 0)
    parts.push({ rate: (fixed * 1000 * hostStretch) / meanPass, meanMs: meanPass });
  const rate = parts.reduce((s, p) => s + p.rate, 0);
  const m = mixture(parts);
  return withWakeShare(queue(1, rate, m.meanMs, m.scv), hostStretch, wakeStretch);
}

/**
 * The loop's queue: its utilisation is the thread's wall share (CPU × the competition's stretch, and
 * its wake-up share of the CPU, thread-wake.ts), and its wait per pass the M/G/1 wait of the passes'
 * work (CPU × the competition's stretch) plus the wake-up share of a pass's CPU.
 */
export type LoopQueue = Queue & {
  /** The passes' work's utilisation and mean service, ms (CPU × the competition's stretch). */
  workUtilisation: number;
  workServiceMs: number;
  /** What each pass waits for the thread's wake-ups, ms (the share × its mean CPU). */
  wakeDelayMs: number;
  /**
   * A pass's wait for the thread while its competitors hold the cores: with the share of the wall
   * clock the thread is runnable but preempted (its CPU × (competition's stretch − 1)), the rest of a
   * competitor's turn (LOOP_PREEMPTION_MS, exponential). A second delay beside the M/G/1 wait, so the
   * latency model keeps it apart (queueing.ts `stall`). Null when nothing competes.
   */
  stall: { probability: number; meanMs: number } | null;
};

/**
 * The M/G/1 queue of the passes' work with the thread's wake-up share added (session 31): the thread
 * waits on the run queue that share of its CPU beyond its competitors' work, mostly as it wakes with
 * a batch of ready events, so each pass waits its share once and it is not queued behind as work;
 * the thread's wall share is the work's utilisation plus the share × its CPU, and at 1 the loop is
 * saturated (the thread never sleeps and still cannot keep up).
 */
function withWakeShare(q: Queue, competition: number, wake: number): LoopQueue {
  const preempted = Math.min(1, q.utilisation) * (1 - 1 / Math.max(1, competition));
  const parts = {
    workUtilisation: q.utilisation,
    workServiceMs: q.serviceTimeMs,
    wakeDelayMs: (Math.max(0, wake) * q.serviceTimeMs) / Math.max(1, competition),
    stall: preempted > 0 ? { probability: preempted, meanMs: LOOP_PREEMPTION_MS } : null,
  };
  if (!(wake > 0)) return { ...q, ...parts };
  const wall = q.utilisation + (wake * q.utilisation) / Math.max(1, competition);
  const sized = {
    ...q,
    ...parts,
    utilisation: wall,
    offeredLoad: wall,
    serviceTimeMs: q.arrivalRate > 0 ? (wall * 1000) / q.arrivalRate : q.serviceTimeMs,
    capacityPerSecond: wall > 0 ? q.arrivalRate / wall : q.capacityPerSecond,
  };
  if (wall >= 1 || q.saturated)
    return {
      ...sized,
      saturated: true,
      probabilityOfWaiting: 1,
      conditionalWaitMs: null,
      meanWaitMs: null,
      excessShare: 1 - 1 / wall,
    };
  const mean = (q.meanWaitMs ?? 0) + parts.wakeDelayMs;
  return { ...sized, probabilityOfWaiting: 1, conditionalWaitMs: mean, meanWaitMs: mean };
}

/**
 * The loop's mean wait per pass with its work's utilisation held at most `rhoCap` (an iteration that
 * must stay finite reads it so), ms; 0 without a loop.
 */
export function loopWaitBelowMs(loop: LoopQueue | null, rhoCap: number): number {
  if (!loop) return 0;
  const rho = Math.min(rhoCap, loop.workUtilisation);
  return (
    (rho / (1 - rho)) * loop.workServiceMs * ((1 + loop.serviceScv) / 2) +
    loop.wakeDelayMs +
    loopStallMeanMs(loop)
  );
}

/** The mean of a pass's wait for its preempted thread (LoopQueue `stall`), ms; 0 without one. */
function loopStallMeanMs(loop: LoopQueue | null | undefined): number {
  return loop?.stall ? loop.stall.probability * loop.stall.meanMs : 0;
}

/** Mean wait of one pass through the loop, its stall's included, ms (0 when there is no loop; null when saturated). */
export function loopPassWaitMs(loop: LoopQueue | null): number | null {
  if (!loop) return 0;
  return loop.saturated ? null : (loop.meanWaitMs ?? 0) + loopStallMeanMs(loop);
}
