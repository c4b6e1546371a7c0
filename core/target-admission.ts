import type { Policy } from './policy.ts';

// The reference target's two bounds on what waits inside it (backend/index.ts sets them, the simulator
// predicts a run on the rig with them): how many requests may wait for a pooled connection, and how
// many requests it serves at once before it answers the next one 503 (backend/admission.ts).

/**
 * Per pooled connection, requests that may wait for one: 8 (an assumption). A waiter then waits about
 * 8 statement times, far below any latency budget; a longer queue only waits toward the acquire
 * timeout and holds memory. Measured under overload: docs/target.md, "Overload".
 */
export const WAITING_PER_CONNECTION = 8;

/** Requests that may wait for a pooled connection under `policy` (the pool's size × WAITING_PER_CONNECTION). */
export function waitingForDbLimit(policy: Policy): number {
  return policy.database.poolSize * WAITING_PER_CONNECTION;
}

/**
 * Requests the target serves at once under `policy` before it answers 503 at once: room for every
 * upstream socket, every pooled connection and its waiters (50 + 10 + 80 = 140 under `current`).
 */
export function admissionLimit(policy: Policy, waitingForDb = waitingForDbLimit(policy)): number {
  return policy.upstream.maxSockets + policy.database.poolSize + waitingForDb;
}
