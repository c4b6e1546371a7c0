import { CONVERSATIONS_PER_USER_SIGMA } from '../core/profile.ts';
import { PUSH_REQUESTS_PER_SYNC } from './workload.ts';

// How much one sync's duration varies from user to user on the rig (session 23; rig-chains.ts). Pure.
//
// A full sync makes one request for the conversations, one for each conversation's messages, and the
// push: its requests are 1 + n + 1 with n the user's conversations, which the seeder draws log-normal
// around the profile's mean with σ = CONVERSATIONS_PER_USER_SIGMA (coefficient of variation
// √(e^{σ²} − 1) = 0.533 at σ = 0.5). A sync lasts about as long as its requests (each waits and works
// about alike; assumption), so its duration's CV is the conversations' CV times their share of the
// requests: 0.533 × 50/52 = 0.51 at the ci-smoke profile's 50. A delta sync asks only for the changed
// conversations, which scale with n too: the same rule on its requests (assumption).

/** Coefficient of variation of the seeded conversations per user (log-normal of shape σ). */
export function conversationsCv(sigma = CONVERSATIONS_PER_USER_SIGMA): number {
  return Math.sqrt(Math.expm1(sigma * sigma));
}

/**
 * Coefficient of variation of a sync's duration with `requestsPerSync` requests in the mean: the
 * conversations' CV × the share of the requests that are one per conversation (0 when none are).
 */
export function syncDurationCv(requestsPerSync: number): number {
  const perConversation = requestsPerSync - 1 - PUSH_REQUESTS_PER_SYNC;
  if (!(requestsPerSync > 0) || perConversation <= 0) return 0;
  return (conversationsCv() * perConversation) / requestsPerSync;
}
