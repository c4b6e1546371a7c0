import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import { computeForPolicy, meetsTargets, monthlyCost } from './cost.ts';
import type { DecisionModel, Dial, DialValues } from './decision-model.ts';
import { searchKnee } from './knee-search.ts';
import type { Pricing } from './types.ts';
import { workloadAt } from './workload.ts';

/** Inputs of {@link analyticDecisionModel}. */
export interface AnalyticModelInput {
  profile: Profile;
  policies: readonly Policy[];
  scales: readonly number[];
  pricing: Pricing | null;
  /** Model context per policy (calibration, targets, cores, no abuse). */
  contextFor: (policy: Policy) => ModelContext;
}

/** Dials of the analytic model: the load, the language-model hold and the pools. */
export function analyticDials(profile: Profile, policies: readonly Policy[]): Dial[] {
  const paid = profile.tierMix.core + profile.tierMix.studio;
  const hold = policies[0]?.upstream.latencyMs.median ?? 500;
  return [
    {
      name: 'onlineShare',
      label: 'share of registered users online at the peak',
      unit: 'share',
      low: Math.min(0.05, profile.onlineShare),
      base: profile.onlineShare,
      high: Math.max(1, profile.onlineShare),
      source: 'assumption: the seeds give no usage data; 1 = "concurrent users" (launch-readiness-report.md)',
      scaling: 'load',
    },
    {
      name: 'messagesPerMinute',
      label: '/api/message sends per online user per minute',
      unit: '/min',
      low: Math.min(0.5, profile.messagesPerUserPerMinute),
      base: profile.messagesPerUserPerMinute,
      high: Math.max(4, profile.messagesPerUserPerMinute),
      source: 'launch-readiness-report.md fix #1 "10k users × 2 requests/min"; range an assumption',
    },
    {
      name: 'upstreamMedianMs',
      label: 'language-model call, median time holding a socket (p95 in proportion)',
      unit: 'ms',
      low: Math.min(300, hold),
      base: hold,
      high: Math.max(1000, hold),
      source: 'launch-readiness-report.md #1 "holds connection for ~500ms"; range an assumption',
    },
    {
      name: 'paidShare',
      label: 'share of users on a paid tier (they sync)',
      unit: 'share',
      low: Math.min(0.05, paid),
      base: paid,
      high: Math.max(0.2, paid),
      source: 'launch-readiness-report.md "1,000 paying users" at 10k; range an assumption',
    },
    {
      name: 'poolScale',
      label: 'database pool and upstream sockets, × the policy',
      unit: '×',
      low: 0.5,
      base: 1,
      high: 2,
      source: 'a choice: the policy sizes its pools',
      choice: true,
    },
  ];
}

/** The profile and policy a set of dial values stands for. */
export function applyDials(profile: Profile, policy: Policy, v: DialValues): { profile: Profile; policy: Policy } {
  const paidNow = profile.tierMix.core + profile.tierMix.studio;
  const paid = v.paidShare ?? paidNow;
  const coreOfPaid = paidNow > 0 ? profile.tierMix.core / paidNow : 0.7;
  const holdScale = (v.upstreamMedianMs ?? policy.upstream.latencyMs.median) / policy.upstream.latencyMs.median;
  const poolScale = v.poolScale ?? 1;
  return {
    profile: {
      ...profile,
      onlineShare: v.onlineShare ?? profile.onlineShare,
      messagesPerUserPerMinute: v.messagesPerMinute ?? profile.messagesPerUserPerMinute,
      tierMix: { free: 1 - paid, core: paid * coreOfPaid, studio: paid * (1 - coreOfPaid) },
    },
    policy: {
      ...policy,
      upstream: {
        ...policy.upstream,
        maxSockets: Math.max(1, Math.round(policy.upstream.maxSockets * poolScale)),
        latencyMs: {
          median: policy.upstream.latencyMs.median * holdScale,
          p95: policy.upstream.latencyMs.p95 * holdScale,
        },
      },
      database: {
        ...policy.database,
        poolSize: Math.max(1, Math.round(policy.database.poolSize * poolScale)),
      },
    },
  };
}

/**
 * A decision model over the analytic simulator: GO when the prediction meets every target (latency,
 * errors, utilisation headroom; cost.ts meetsTargets), the knee the largest N it accepts, the cost of
 * the policy's own configuration.
 */
export function analyticDecisionModel(input: AnalyticModelInput): DecisionModel {
  const byName = new Map(input.policies.map((p) => [p.name, p]));
  const dials = analyticDials(input.profile, input.policies);
  const resolve = (v: DialValues, name: string) => {
    const policy = byName.get(name);
    if (!policy) throw new RangeError(`unknown policy ${name}`);
    return { ...applyDials(input.profile, policy, v), ctx: input.contextFor(policy) };
  };
  const accepts = (v: DialValues, name: string, users: number): boolean => {
    const { profile, policy, ctx } = resolve(v, name);
    return meetsTargets(predictAnalytic(profile, policy, users, ctx), ctx).ok;
  };
  return {
    dials,
    policies: input.policies.map((p) => p.name),
    scales: [...input.scales],
    accepts,
    knee: (v, name, hint, tolerance) =>
      searchKnee((n) => accepts(v, name, n), { hint, tolerance: tolerance ?? 0.005 }),
    monthlyUsd: (v, name, users) => {
      if (!input.pricing) return null;
      const { profile, policy } = resolve(v, name);
      const compute = computeForPolicy(input.pricing, policy);
      return monthlyCost(
        input.pricing,
        profile,
        policy,
        workloadAt(profile, policy, users),
        compute,
        policy.database.poolSize,
      ).monthlyUsd;
    },
  };
}
