import type { Policy } from '../core/policy.ts';
import { predictAnalytic } from './analytic.ts';
import type { AssumptionName, Assumptions } from './assumptions.ts';
import { ASSUMPTION_NAMES } from './assumptions.ts';
import { computeForPolicy, monthlyCost } from './cost.ts';
import type { DecisionModel, Dial, DialValues } from './decision-model.ts';
import { judge } from './decision-rule.ts';
import { searchKnee } from './knee-search.ts';
import { llmResources } from './llm.ts';
import { buildQueues } from './model-queues.ts';
import { rateLimitOutcomes } from './rate-limit.ts';
import type { PolicyModel, SimulateInput } from './simulate.ts';
import { modelFor } from './simulate.ts';
import { messagesPerMinuteByTierOf, workloadAt } from './workload.ts';

/** Inputs of {@link analyticDecisionModel}. */
export interface AnalyticModelInput {
  /** The simulation's inputs as `simulate` and `review` read them, with the assumptions as set. */
  input: SimulateInput & { assumptions: Assumptions };
  policies: readonly Policy[];
  scales: readonly number[];
}

/** The what-if's pool dial: the database pool and the upstream sockets, as a multiple of the policy's. */
export const POOL_SCALE: Dial = {
  name: 'poolScale',
  label: 'database pool and upstream sockets, × the policy’s',
  unit: '×',
  low: 0.5,
  base: 1,
  high: 2,
  source: 'a choice: the policy sizes its pools',
  choice: true,
};

/**
 * The assumptions as dials: every one with a range except the stress case (abuse is a separate row,
 * never in a base verdict), and the pool choice of the what-if. monthlyActiveShare scales the load
 * exactly (users × share: nothing else reads it), so the knee goes as 1 / share; with a data-size carry
 * only nearly, since the data follows the registered users, not the share (docs/simulator.md "Data size").
 */
export function assumptionDials(assumptions: Assumptions): Dial[] {
  const dials: Dial[] = ASSUMPTION_NAMES.map((n) => assumptions[n])
    .filter((a) => a.group !== 'stress')
    .map((a) => ({
      name: a.name,
      label: a.label,
      unit: a.unit,
      low: Math.min(a.range.low, a.value),
      base: a.value,
      high: Math.max(a.range.high, a.value),
      source: a.source,
      ...(a.domain.integer ? { integer: true } : {}),
      ...(a.name === 'monthlyActiveShare' ? { scaling: 'load' as const } : {}),
    }));
  return [...dials, POOL_SCALE];
}

/** The assumptions with some dials set (values outside a domain are the caller's to avoid). */
export function withDials(assumptions: Assumptions, v: DialValues): Assumptions {
  const out = { ...assumptions };
  for (const [name, value] of Object.entries(v)) {
    const key = name as AssumptionName;
    const a = out[key];
    // A whole-number assumption (freeTierSyncs) takes the nearest whole value, as the model reads it.
    const v = a?.domain.integer ? Math.round(value) : value;
    if (a && a.value !== v) out[key] = { ...a, value: v };
  }
  // Drawn apart, the upstream p95 could fall below its median: a log-normal needs p95 >= median.
  if (out.upstreamP95Ms.value < out.upstreamMedianMs.value)
    out.upstreamP95Ms = { ...out.upstreamP95Ms, value: out.upstreamMedianMs.value };
  return out;
}

/**
 * What the model reads for one policy at some dial values: the same pipeline as `decide` (modelFor:
 * the assumptions applied to the profile and policy, the context), then the pools scaled.
 */
export function modelAt(
  input: SimulateInput & { assumptions: Assumptions },
  policy: Policy,
  v: DialValues,
): PolicyModel {
  const m = modelFor({ ...input, assumptions: withDials(input.assumptions, v) }, policy);
  const scale = v[POOL_SCALE.name] ?? 1;
  if (scale === 1) return m;
  const p = m.policy;
  return {
    ...m,
    policy: {
      ...p,
      upstream: { ...p.upstream, maxSockets: Math.max(1, Math.round(p.upstream.maxSockets * scale)) },
      database: { ...p.database, poolSize: Math.max(1, Math.round(p.database.poolSize * scale)) },
    },
  };
}

/**
 * The decision model of the review: the analytic simulator judged by the one decision rule
 * (decision-rule.ts judge), the knee the largest N it accepts, the cost of the policy's configuration.
 */
export function analyticDecisionModel(model: AnalyticModelInput): DecisionModel {
  const { input } = model;
  const byName = new Map(model.policies.map((p) => [p.name, p]));
  // A Monte Carlo draw asks for the loads and the costs of the same values object: resolve it once.
  const resolved = new WeakMap<DialValues, Map<string, PolicyModel>>();
  const resolve = (v: DialValues, name: string): PolicyModel => {
    const policy = byName.get(name);
    if (!policy) throw new RangeError(`unknown policy ${name}`);
    let byPolicy = resolved.get(v);
    if (!byPolicy) {
      byPolicy = new Map();
      resolved.set(v, byPolicy);
    }
    let m = byPolicy.get(name);
    if (!m) {
      m = modelAt(input, policy, v);
      byPolicy.set(name, m);
    }
    return m;
  };
  const loadsCache = new WeakMap<DialValues, Map<string, Record<string, number>>>();
  const accepts = (v: DialValues, name: string, users: number): boolean => {
    const { profile, policy, ctx } = resolve(v, name);
    return judge(predictAnalytic(profile, policy, users, ctx, 'rule'), ctx.targets).accepted;
  };
  const loadsOf = (v: DialValues, name: string): Record<string, number> => {
    // Utilisation per registered user of each queue, as a share of the ceiling (1 / users at it):
    // the queues at one user, with no waits (linear in users below saturation), on the demands of the
    // context (with a data-size carry: at the profile file's users' data, not at the knee's).
    const { profile, policy, ctx } = resolve(v, name);
    const w = workloadAt(profile, policy, 1);
    const limits = rateLimitOutcomes(policy, w, messagesPerMinuteByTierOf(profile), ctx.abuse);
    const admitted = limits.reduce((s, r) => s + r.admittedRate, 0);
    const q = buildQueues(policy, w, ctx, admitted);
    const ceiling = ctx.targets.maxUtilisation;
    const out: Record<string, number> = {
      'db.pool': q.pool.utilisation / ceiling,
      'upstream.sockets': q.upstream.utilisation / ceiling,
      [q.cpus.cpuName]: q.cpu.utilisation / ceiling,
    };
    if (q.cpus.app) out['app.cpu'] = q.cpus.app.utilisation / ceiling;
    if (q.cpus.db) out['db.cpu'] = q.cpus.db.utilisation / ceiling;
    // The language-model provider's request and token limits are capacities too.
    for (const r of llmResources(limits, ctx.llm)) out[r.name] = r.utilisation / ceiling;
    return out;
  };
  return {
    dials: assumptionDials(input.assumptions),
    policies: model.policies.map((p) => p.name),
    scales: [...model.scales],
    accepts,
    knee: (v, name, hint, tolerance) => {
      // One resolve per search: the profile and policy do not depend on N.
      const { profile, policy, ctx } = resolve(v, name);
      return searchKnee(
        (n) => judge(predictAnalytic(profile, policy, n, ctx, 'rule'), ctx.targets).accepted,
        {
          hint,
          tolerance: tolerance ?? 0.005,
        },
      );
    },
    loads: (v, name) => {
      const hit = loadsCache.get(v)?.get(name);
      if (hit) return hit;
      const out = loadsOf(v, name);
      if (!loadsCache.has(v)) loadsCache.set(v, new Map());
      loadsCache.get(v)!.set(name, out);
      return out;
    },
    monthlyUsd: (v, name, users) => {
      const pricing = input.pricing;
      if (!pricing) return users.map(() => null);
      const { profile, policy, ctx } = resolve(v, name);
      const compute = computeForPolicy(pricing, policy);
      // As policyCost prices a prediction: the policy's own configuration, the assumptions' usage items.
      return users.map(
        (n) =>
          monthlyCost(
            pricing,
            profile,
            policy,
            workloadAt(profile, policy, n),
            compute,
            policy.database.poolSize,
            policy.upstream.maxSockets,
            ctx.assumptions,
          ).monthlyUsd,
      );
    },
  };
}
