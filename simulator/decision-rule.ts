import { wholeNumber } from '../core/whole-number.ts';
import type { EndpointPrediction, ResourceName, ResourcePrediction } from './prediction.ts';
import type { Targets } from './targets.ts';

// The one rule that decides whether a configuration carries a load. GO/NO-GO (the review), the knee
// (the largest N it accepts), the cheapest configuration (the cheapest one it accepts), the analytic
// and DES verdicts and `simulate` all call `judge`; nothing else decides. docs/simulator.md states it.
//
// A prediction is accepted when
//   1. no resource is saturated (offered load >= servers),
//   2. every resource has headroom: utilisation <= targets.maxUtilisation (the seeds' 20% headroom), or,
//      for a pool large enough that the flat ceiling is wrong, an Erlang C probability of waiting at or
//      below targets.maxWaitProbability (200 sockets at 83% wait with probability 0.007: fine),
//   3. every endpoint with traffic has a bounded p95 within its budget,
//   4. the error share (legitimate requests) is within its budget.

/**
 * Largest probability that an arrival waits at which a resource above the utilisation ceiling still has
 * headroom. Assumption: 5% (one request in twenty waits at all; Erlang C). Only pools of many servers
 * reach it above 80% utilisation: one server at 80% waits with probability 0.8, two with 0.71.
 */
export const DEFAULT_MAX_WAIT_PROBABILITY = 0.05;

/** What the rule looks at: a prediction's resources, endpoints and error share. */
export interface RuleInput {
  resources: readonly ResourcePrediction[];
  endpoints: readonly EndpointPrediction[];
  errorShare: number;
}

/** One criterion a prediction fails, with the resource or endpoint and a sentence saying why. */
export interface RuleFailure {
  kind: 'saturated' | 'headroom' | 'latency' | 'errors';
  /** The resource that fails (saturated, headroom), or the bottleneck behind a latency/error failure. */
  resource: ResourceName | null;
  endpoint: string | null;
  text: string;
}

/** The rule's outcome for one prediction. */
export interface RuleOutcome {
  accepted: boolean;
  failures: RuleFailure[];
  /**
   * The resource that binds: the failing resource with the highest utilisation, else the most utilised
   * resource (what fails first as load grows).
   */
  bindingResource: ResourceName | null;
}

/** The p95 budget of an endpoint under the targets (`default` when not named). */
export function budgetOf(targets: Targets, endpoint: string): number {
  return targets.p95Ms[endpoint] ?? targets.p95Ms.default;
}

const pct = (x: number, digits = 0): string => `${(x * 100).toFixed(digits)}%`;

/** True when a resource has headroom under the rule (criterion 2): the utilisation ceiling or the Erlang C wait. */
export function hasHeadroom(r: ResourcePrediction, targets: Targets): boolean {
  if (r.saturated) return false;
  if (r.utilisation <= targets.maxUtilisation) return true;
  return r.probabilityOfWaiting <= (targets.maxWaitProbability ?? DEFAULT_MAX_WAIT_PROBABILITY);
}

/** Applies the decision rule to one prediction (pure; the one place a verdict is decided). */
export function judge(p: RuleInput, targets: Targets): RuleOutcome {
  const failures: RuleFailure[] = [];
  const maxWait = targets.maxWaitProbability ?? DEFAULT_MAX_WAIT_PROBABILITY;
  for (const r of p.resources) {
    // A provider's per-minute limit is one "server": say it in its own units, with no Erlang C clause.
    const limit = r.limitPerMinute;
    const perMinute = limit
      ? `${wholeNumber(r.arrivalRate * 60)} ${limit.what}/min on the provider's ${wholeNumber(limit.limit)}/min limit`
      : '';
    if (r.saturated)
      failures.push({
        kind: 'saturated',
        resource: r.name,
        endpoint: null,
        text: limit
          ? `${r.name} saturated: ${perMinute} (${pct(r.utilisation)})`
          : `${r.name} saturated: offered ${r.offeredLoad.toFixed(1)} busy on ${r.servers} (${pct(r.utilisation)} utilisation)`,
      });
    else if (!hasHeadroom(r, targets))
      failures.push({
        kind: 'headroom',
        resource: r.name,
        endpoint: null,
        text: limit
          ? `${r.name} at ${pct(r.utilisation)}: ${perMinute}, over the ${pct(targets.maxUtilisation)} ceiling`
          : `${r.name} at ${pct(r.utilisation)} utilisation, over the ${pct(targets.maxUtilisation)} ceiling, and P(wait) ${r.probabilityOfWaiting.toFixed(3)} over ${maxWait}`,
      });
  }
  const bottleneck = p.resources.length
    ? p.resources.reduce((a, b) => (b.utilisation > a.utilisation ? b : a))
    : null;
  for (const e of p.endpoints) {
    if (e.ratePerSecond <= 0) continue;
    const budget = budgetOf(targets, e.endpoint);
    if (e.p95Ms === null)
      failures.push({
        kind: 'latency',
        resource: bottleneck?.name ?? null,
        endpoint: e.endpoint,
        text: `${e.endpoint} p95 unbounded (a resource on its path is saturated)`,
      });
    else if (e.p95Ms > budget)
      failures.push({
        kind: 'latency',
        resource: bottleneck?.name ?? null,
        endpoint: e.endpoint,
        text: `${e.endpoint} p95 ${e.p95Ms.toFixed(0)} ms over the ${budget} ms budget`,
      });
  }
  if (p.errorShare > targets.errorShare)
    failures.push({
      kind: 'errors',
      resource: bottleneck?.name ?? null,
      endpoint: null,
      text: `error share ${pct(p.errorShare, 2)} over the ${pct(targets.errorShare, 2)} budget`,
    });
  const failingResources = p.resources.filter((r) =>
    failures.some((f) => f.resource === r.name && (f.kind === 'saturated' || f.kind === 'headroom')),
  );
  const binding = failingResources.length
    ? failingResources.reduce((a, b) => (b.utilisation > a.utilisation ? b : a)).name
    : (bottleneck?.name ?? null);
  return { accepted: failures.length === 0, failures, bindingResource: binding };
}
