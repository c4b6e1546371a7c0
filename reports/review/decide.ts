import type { Prediction, Targets } from '../../simulator/index.ts';
import { ms, num, pct, usersLabel } from './format.ts';
import type { Decision, MeasuredRun } from './review-types.ts';

/** The p95 budget of an endpoint under the targets (`default` when not named). */
export function budgetOf(targets: Targets, endpoint: string): number {
  return targets.p95Ms[endpoint] ?? targets.p95Ms.default;
}

/**
 * GO when nothing breaks a target: no saturated resource, every resource under the utilisation
 * ceiling (headroom for spikes), every endpoint's p95 within its budget, errors within budget, and
 * no measurement at this scale and policy saying otherwise. Every failure becomes one reason.
 */
export function decide(prediction: Prediction, targets: Targets, runs: readonly MeasuredRun[]): Decision {
  const reasons: string[] = [];
  const caveats: string[] = [];
  const admittedAbuse = prediction.rateLimits.reduce(
    (sum, t) => sum + t.abusiveRate * (1 - t.abusiveRejectedShare),
    0,
  );
  const admittedTotal = prediction.rateLimits.reduce((sum, t) => sum + t.admittedRate, 0);
  for (const r of prediction.resources) {
    if (r.saturated) {
      // Say when abusive traffic that no per-user limit stops is what fills the upstream pool:
      // the go/no-go reader must see that the cause is abuse, not legitimate load.
      const abuse =
        r.name === 'upstream.sockets' && admittedAbuse > 0 && admittedTotal > 0
          ? ` (${pct(admittedAbuse / admittedTotal, 0)} of the calls admitted are abusive users' - no per-user limit stops them)`
          : '';
      reasons.push(
        `${r.name} saturated: offered ${num(r.offeredLoad)} busy on ${r.servers} (${pct(r.utilisation, 0)} utilisation)${abuse}`,
      );
    } else if (r.utilisation > targets.maxUtilisation) {
      reasons.push(
        `${r.name} at ${pct(r.utilisation, 0)} utilisation, over the ${pct(targets.maxUtilisation, 0)} ceiling`,
      );
    }
  }
  const unbounded = prediction.endpoints.filter((e) => e.p95Ms === null).map((e) => e.endpoint);
  if (unbounded.length > 0) {
    reasons.push(`p95 unbounded (a resource on the path is saturated): ${unbounded.join(', ')}`);
  }
  for (const e of prediction.endpoints) {
    const budget = budgetOf(targets, e.endpoint);
    if (e.p95Ms !== null && e.p95Ms > budget)
      reasons.push(`${e.endpoint} p95 ${ms(e.p95Ms)} over the ${ms(budget)} budget`);
  }
  if (!prediction.verdict.meetsErrors) {
    reasons.push(
      `error share ${pct(prediction.verdict.errorShare, 2)} over the ${pct(targets.errorShare, 2)} budget`,
    );
  }
  const here = runs.filter(
    (r) => r.steadyState && r.users === prediction.users && r.policy === prediction.policy,
  );
  for (const run of here) {
    const label = `measured (${run.scenario}, ${run.id})`;
    for (const [endpoint, p95] of Object.entries(run.p95ByEndpoint)) {
      const budget = budgetOf(targets, endpoint);
      if (p95 > budget) reasons.push(`${label}: ${endpoint} p95 ${ms(p95)} over the ${ms(budget)} budget`);
    }
    if (run.errorRateExcluding429 > targets.errorShare) {
      reasons.push(
        `${label}: error rate ${pct(run.errorRateExcluding429, 2)} over the ${pct(targets.errorShare, 2)} budget`,
      );
    }
    if (run.droppedIterations > 0) {
      reasons.push(
        `${label}: ${num(run.droppedIterations)} iterations dropped (the offered load was not served)`,
      );
    }
    if (run.loadGeneratorSaturated)
      caveats.push(`${label}: the load generator was saturated; results understate capacity`);
    const pool = prediction.resources.find((r) => r.name === 'db.pool');
    if (run.pool && pool && pool.offeredLoad > 2 * Math.max(run.pool.maxInUse, 0.5)) {
      caveats.push(
        `${label}: the pool was at most ${num(run.pool.maxInUse)} of ${num(run.pool.size)} busy, the model predicts ` +
          `${num(pool.offeredLoad)} busy: the run sends only its scenario's share of the workload, or the calibration overstates service times`,
      );
    }
  }
  if (prediction.extrapolation.beyond2x) caveats.push(prediction.extrapolation.note);
  if (!prediction.calibrated) caveats.push('service demands are uncalibrated defaults (see assumptions)');
  return {
    users: prediction.users,
    policy: prediction.policy,
    decision: reasons.length === 0 ? 'GO' : 'NO-GO',
    reasons,
    caveats,
    evidence: here.length > 0 ? 'predicted + measured' : 'predicted',
  };
}

/** One sentence per scale: which policies are GO at it. */
export function headline(decisions: readonly Decision[], scales: readonly number[]): string[] {
  return scales.map((users) => {
    const at = decisions.filter((d) => d.users === users);
    const go = at.filter((d) => d.decision === 'GO').map((d) => d.policy);
    const noGo = at.filter((d) => d.decision === 'NO-GO').map((d) => d.policy);
    if (go.length === 0) return `${usersLabel(users)} users: NO-GO under every policy (${noGo.join(', ')}).`;
    if (noGo.length === 0) return `${usersLabel(users)} users: GO under every policy (${go.join(', ')}).`;
    return `${usersLabel(users)} users: GO under ${go.join(', ')}; NO-GO under ${noGo.join(', ')}.`;
  });
}
