import type { Policy } from '../core/policy.ts';
import { admissionLimit } from '../core/target-admission.ts';
import {
  type LogNormal,
  logNormalFromMedianP95,
  logNormalQuantile,
  quantileFromSurvival,
} from './distributions.ts';
import { type FiniteQueue, finiteQueue, finiteQueueWaitSurvival } from './finite-queue.ts';
import type { Prediction } from './prediction.ts';
import { ENDPOINTS } from './workload.ts';

// The reference target's admission limit on the rig (backend/admission.ts): it serves at most
// admissionLimit(policy) requests at once (50 sockets + 10 connections + 80 waiters = 140 under
// `current`) and answers the next one 503 at once, whatever its endpoint. Past the upstream sockets'
// knee the messages waiting for a socket fill that room: a message is then admitted only when one
// leaves, so the sockets and their line form an M/M/c/K queue (finite-queue.ts) with c the sockets and
// K the limit less the other requests in flight, and every request that arrives while it is full,
// messages and the syncs' REST requests alike, is shed (arrivals see the queue's states: the same
// share for each). The admitted messages wait about (K − c) / (c / S) for a socket, bounded, and k6's
// VUs do not run out: a 503 comes back at once. Pure.

/** The blocked share from which the limit shapes a run's prediction (below it the open queues stand). */
export const ADMISSION_SHED_THRESHOLD = 1e-3;

/** Points of the upstream call's log-normal the response's survival averages over (its quantiles). */
const HOLD_POINTS = 200;

/** What the admission limit does to a run on the rig. */
export interface RigAdmission {
  /** Requests the target serves at once (admissionLimit of the policy). */
  limit: number;
  /** Mean requests in flight other than the messages at the sockets: REST requests and messages before their socket. */
  otherInFlight: number;
  /** The sockets' queue: c the sockets, K the room left for messages, offered the messages' rate. */
  sockets: FiniteQueue;
  /** Share of every endpoint's requests answered 503 at once (the sockets' blocked share). */
  shedShare: number;
  /** An admitted /api/message's mean, ms: its time outside the sockets, its wait, its call. */
  messageMeanMs: number;
  /** Its p95, ms (rigAdmissionP95Ms; absent until asked: a search over loads needs the mean only). */
  messageP95Ms?: number;
  /** Mean seconds a message iteration takes (a shed one: none). */
  messageIterationS: number;
  /** The upstream call and the message's time outside the sockets, for its p95. */
  call: { hold: LogNormal; holdMeanMs: number; outsideMs: number };
}

/**
 * The admission limit's effect on a run predicted at `p` under `policy` (the rig's reference target),
 * or null where it sheds under ADMISSION_SHED_THRESHOLD, where no message reaches a socket, or where
 * the message's path outside the sockets is itself saturated (the open queues say so already). With
 * `p95`, the admitted message's p95 too.
 */
export function rigAdmission(p: Prediction, policy: Policy, p95 = true): RigAdmission | null {
  const sockets = p.resources.find((r) => r.name === 'upstream.sockets');
  const message = p.endpoints.find((e) => e.endpoint === ENDPOINTS.message);
  if (!sockets || !message || !(sockets.arrivalRate > 0) || message.outsideUpstreamMeanMs === undefined)
    return null;
  const outsideMs = message.outsideUpstreamMeanMs;
  // REST requests in flight (Little's law on each); a saturated one fills the room itself.
  let rest = 0;
  for (const e of p.endpoints) {
    if (e.endpoint === 'sync' || e.endpoint === ENDPOINTS.message || e.ratePerSecond <= 0) continue;
    if (e.meanMs === null) return null;
    rest += (e.ratePerSecond * e.meanMs) / 1000;
  }
  const limit = admissionLimit(policy);
  const otherInFlight = rest + (message.ratePerSecond * outsideMs) / 1000;
  const servers = sockets.servers;
  const room = Math.max(servers, Math.floor(limit - otherInFlight));
  const queue = finiteQueue(sockets.arrivalRate, servers, sockets.serviceTimeMs / 1000, room);
  if (queue.blockedShare < ADMISSION_SHED_THRESHOLD) return null;
  const call = {
    hold: logNormalFromMedianP95(policy.upstream.latencyMs.median, policy.upstream.latencyMs.p95),
    holdMeanMs: sockets.serviceTimeMs,
    outsideMs,
  };
  const messageMeanMs = outsideMs + queue.meanWaitS * 1000 + sockets.serviceTimeMs;
  const admission: RigAdmission = {
    limit,
    otherInFlight,
    sockets: queue,
    shedShare: queue.blockedShare,
    messageMeanMs,
    messageIterationS: ((1 - queue.blockedShare) * messageMeanMs) / 1000,
    call,
  };
  return p95 ? { ...admission, messageP95Ms: admittedQuantileMs(queue, call, 0.95) } : admission;
}

/**
 * The q-quantile of an admitted message's latency, ms: its time outside the sockets, its wait in the
 * M/M/c/K line (finite-queue.ts) and its call drawn from its own log-normal (the survival averaged
 * over HOLD_POINTS quantiles of the call).
 */
export function admittedQuantileMs(queue: FiniteQueue, call: RigAdmission['call'], q: number): number {
  const holdsMs = Array.from({ length: HOLD_POINTS }, (_, i) =>
    logNormalQuantile(call.hold, (i + 0.5) / HOLD_POINTS),
  );
  const survival = (tMs: number): number =>
    holdsMs.reduce((s, h) => s + finiteQueueWaitSurvival(queue, (tMs - call.outsideMs - h) / 1000), 0) /
    HOLD_POINTS;
  return quantileFromSurvival(survival, q, call.outsideMs + queue.meanWaitS * 1000 + call.holdMeanMs);
}

/**
 * Each endpoint's share answered 503 where the target sheds `shed` of what arrives at random (the
 * sockets' blocked share). A sync is a chain of requests: a shed conversations request leaves it no
 * conversations to read, so its push follows within a millisecond, while the target is still full,
 * and is shed as well; a push after an admitted one sees what any arrival sees. So the push's share is
 * shed + (1 − shed)·shed = 1 − (1 − shed)², every other endpoint's `shed`. Session 50 (bench:knee
 * launch-mix, 1.1K and 1.3K): push 17.6 and 49.9 % where /api/message measured 8.0 and 22.1 and
 * conversations 10.9 and 31.6, i.e. 0.96 and 1.1 of the pushes after a shed conversations request shed.
 */
export function endpointShedShares(shed: number, endpoints: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    endpoints.map((e) => [e, e === ENDPOINTS.push ? 1 - (1 - shed) * (1 - shed) : shed] as const),
  );
}
