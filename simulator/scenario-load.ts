import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { defaultAssumptions } from './assumptions.ts';
import type { AbuseAssumption } from './rate-limit.ts';
import type { SimulateInput, SimulationResult } from './simulate.ts';
import { simulate } from './simulate.ts';
import { workloadAt } from './workload.ts';

// What one k6 scenario sends, as model inputs: `atlas-cap run S` (scripts/run/plan.ts) and
// `atlas-cap simulate --scenario S` / `atlas-cap validate` read the same function, so a prediction of
// a run is about the traffic that run sent, not the profile's whole workload. Pure.

/** Scenarios whose traffic the model can predict (the others send probes, not a workload). */
export const PREDICTABLE_SCENARIOS = ['full-sync', 'delta-sync', 'launch-mix', 'rate-limit'] as const;

/** Abusive users of the rate-limit scenario: the stress case's share of online free users (assumptions.ts abuseShare). */
export const ABUSIVE_SHARE = defaultAssumptions().abuseShare.value;
/** Most abusive users in one rate-limit run (plan.ts). */
export const MAX_ABUSIVE_USERS = 10;
/** Sends per minute of an abusive user: the stress case's rate (assumptions.ts abuseRatePerMinute). */
export const ABUSIVE_PER_MIN = defaultAssumptions().abuseRatePerMinute.value;

/** The sync mode a scenario runs under a policy (full-sync and delta-sync fix it; table-size is delta). */
export function scenarioSyncMode(scenario: string, policy: Policy): 'full' | 'delta' {
  if (scenario === 'full-sync') return 'full';
  if (scenario === 'delta-sync' || scenario === 'table-size') return 'delta';
  return policy.sync.mode;
}

/** Abusive users a rate-limit run starts at `users` (5 % of online free users, 1 to 10). */
export function abusiveUsersOf(profile: Profile, policy: Policy, users: number): number {
  const w = workloadAt(profile, policy, users);
  return Math.min(MAX_ABUSIVE_USERS, Math.max(1, Math.round(w.onlineByTier.free * ABUSIVE_SHARE)));
}

/** The model inputs of one scenario's traffic: the profile, policy and abuse it amounts to. */
export interface ScenarioLoad {
  profile: Profile;
  policy: Policy;
  abuse: AbuseAssumption;
}

/**
 * The traffic of `scenario` at `users` as model inputs, or null when the scenario is not a workload
 * (ramp-to-knee, isolation, table-size). full-sync and delta-sync send syncs only (no /api/message);
 * launch-mix sends syncs and messages (its 1/s /healthz is left out: no database or upstream work);
 * rate-limit sends messages only, with its abusive users spread as a share over every tier (the run
 * makes them free users; the model's abuse share is per tier: an approximation).
 */
export function scenarioLoad(
  scenario: string,
  profile: Profile,
  policy: Policy,
  users: number,
): ScenarioLoad | null {
  const mode = scenarioSyncMode(scenario, policy);
  const withMode: Policy = { ...policy, sync: { ...policy.sync, mode } };
  const noAbuse: AbuseAssumption = { share: 0, messagesPerMinute: ABUSIVE_PER_MIN };
  switch (scenario) {
    case 'full-sync':
    case 'delta-sync':
      return { profile: { ...profile, messagesPerUserPerMinute: 0 }, policy: withMode, abuse: noAbuse };
    case 'launch-mix':
      return { profile, policy: withMode, abuse: noAbuse };
    case 'rate-limit': {
      // k6's abusers are the first free users (scenarios/lib/message-plan.ts): a share of online free users.
      const online = workloadAt(profile, withMode, users).onlineByTier.free;
      const share = online > 0 ? abusiveUsersOf(profile, withMode, users) / online : 0;
      return {
        profile,
        policy: { ...withMode, sync: { ...withMode.sync, tiers: [] } },
        abuse: { share, messagesPerMinute: ABUSIVE_PER_MIN, tiers: ['free'] },
      };
    }
    default:
      return null;
  }
}

/**
 * simulate() restricted to one scenario's traffic: each policy and number of users predicted with the
 * scenario's profile, policy and abuse at that number of users (the abuse of rate-limit depends on it),
 * the knee of each policy searched on the scenario's traffic at the first number of users. The input's
 * own abuse assumption is replaced by the scenario's.
 */
export function simulateScenario(input: SimulateInput, scenario: string): SimulationResult {
  const predictions: SimulationResult['predictions'] = [];
  const knees: SimulationResult['knees'] = [];
  let first: SimulationResult | null = null;
  for (const policy of input.policies)
    for (const [i, users] of input.users.entries()) {
      const load = scenarioLoad(scenario, input.profile, policy, users);
      if (!load) throw new RangeError(`scenario ${scenario} sends no workload the model predicts`);
      const r = simulate({
        ...input,
        profile: load.profile,
        policies: [load.policy],
        users: [users],
        abuse: load.abuse,
      });
      first ??= r;
      predictions.push(...r.predictions);
      if (i === 0) knees.push(...r.knees);
    }
  if (!first) throw new RangeError('simulate needs at least one policy and one number of users');
  return { ...first, predictions, knees };
}
