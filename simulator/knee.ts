import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import type { Prediction } from './prediction.ts';

/** The knee: the largest N meeting the latency and error budgets under one policy. */
export interface Knee {
  policy: string;
  /** Largest users meeting the budgets; null when even the smallest tried fails. */
  users: number | null;
  /** What breaks just past the knee. */
  limitedBy: string;
  /** True when the knee is above the largest N searched (no limit found). */
  unbounded: boolean;
}

/** Highest number of users the knee search considers. */
export const KNEE_MAX_USERS = 10_000_000;

/** True when the decision rule accepts a prediction (decision-rule.ts; the knee's criterion). */
export function withinBudgets(p: Prediction): boolean {
  return p.verdict.accepted;
}

function limitedBy(p: Prediction): string {
  const first = p.verdict.failures[0];
  if (first) return `${first} (binding ${p.verdict.bindingResource ?? p.verdict.bottleneck})`;
  if (!p.verdict.meetsErrors)
    return `errors ${(p.errorShare * 100).toFixed(2)}% (bottleneck ${p.verdict.bottleneck})`;
  const worst = p.endpoints
    .filter((e) => e.ratePerSecond > 0)
    .map((e) => ({ e, ratio: e.p95Ms === null ? Number.POSITIVE_INFINITY : e.p95Ms }))
    .sort((a, b) => b.ratio - a.ratio)[0];
  return `${worst ? `${worst.e.endpoint} p95` : 'latency'} (bottleneck ${p.verdict.bottleneck} at ${(p.verdict.bottleneckUtilisation * 100).toFixed(0)}%)`;
}

/**
 * The knee under one policy: the largest N the decision rule accepts, by
 * bisection on log(N) to 0.5% (the model is monotone in N: every rate is linear in users).
 */
export function findKnee(profile: Profile, policy: Policy, ctx: ModelContext): Knee {
  // The rule's inputs only (no medians): every step is judged, none is shown.
  const at = (n: number): Prediction => predictAnalytic(profile, policy, n, ctx, 'rule');
  if (!withinBudgets(at(1)))
    return { policy: policy.name, users: null, limitedBy: limitedBy(at(1)), unbounded: false };
  if (withinBudgets(at(KNEE_MAX_USERS)))
    return {
      policy: policy.name,
      users: KNEE_MAX_USERS,
      limitedBy: 'nothing below the search limit',
      unbounded: true,
    };
  let lo = 1;
  let hi = KNEE_MAX_USERS;
  while (hi / lo > 1.005) {
    const mid = Math.sqrt(lo * hi);
    if (withinBudgets(at(mid))) lo = mid;
    else hi = mid;
  }
  return { policy: policy.name, users: Math.floor(lo), limitedBy: limitedBy(at(hi)), unbounded: false };
}
