import type { Prediction, Targets } from '../../simulator/index.ts';
import { judge, budgetOf as ruleBudgetOf } from '../../simulator/index.ts';
import { ms, num, pct, usersLabel } from './format.ts';
import type { Decision, MeasuredRun } from './review-types.ts';

/** The p95 budget of an endpoint under the targets (the decision rule's). */
export const budgetOf = ruleBudgetOf;

/**
 * GO when the decision rule (simulator/decision-rule.ts) accepts the prediction and no measurement at
 * this scale and policy says otherwise. Every failure becomes one reason.
 */
export function decide(prediction: Prediction, targets: Targets, runs: readonly MeasuredRun[]): Decision {
  const reasons: string[] = [];
  const caveats: string[] = [];
  const admittedAbuse = prediction.rateLimits.reduce(
    (sum, t) => sum + t.abusiveRate * (1 - t.abusiveRejectedShare),
    0,
  );
  const admittedTotal = prediction.rateLimits.reduce((sum, t) => sum + t.admittedRate, 0);
  // The model's side is the one decision rule (simulator/decision-rule.ts); measurements add reasons.
  const rule = judge(prediction, targets);
  for (const f of rule.failures) {
    // Say when abusive traffic that no per-user limit stops is what fills the upstream pool (stress rows).
    const abuse =
      f.kind === 'saturated' && f.resource === 'upstream.sockets' && admittedAbuse > 0 && admittedTotal > 0
        ? ` (${pct(admittedAbuse / admittedTotal, 0)} of the calls admitted are abusive users' - no per-user limit stops them)`
        : '';
    reasons.push(`${f.text}${abuse}`);
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
