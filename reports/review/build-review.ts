import { byPolicyOrder } from '../charts/chart-theme.ts';
import { collectAssumptions } from './assumptions.ts';
import { decide, headline } from './decide.ts';
import { kneeChart } from './knee-chart-data.ts';
import { buildKneeCheck } from './knee-check.ts';
import { summariseRun } from './measured-run.ts';
import { calibrationSentence, openingCharts } from './opening.ts';
import { predictedCell } from './predicted-cell.ts';
import { readinessVerdicts } from './readiness-verdicts.ts';
import { reviewCharts } from './review-charts.ts';
import type { Review, ReviewInput } from './review-types.ts';

/**
 * The readiness review as data: GO/NO-GO per scale and policy with reasons, a verdict per readiness
 * target, predicted and measured figures, claims, assumptions and chart specs. Pure: no clock, file
 * or environment; the HTML, Markdown and data.json are renderings of this object.
 */
export function buildReview(input: ReviewInput): Review {
  const { simulation, scales } = input;
  const targets = simulation.targets;
  const policyNames = input.policies.map((p) => p.name).sort(byPolicyOrder);
  const predictions = simulation.predictions
    .filter((p) => scales.includes(p.users) && policyNames.includes(p.policy))
    .sort((a, b) => a.users - b.users || byPolicyOrder(a.policy, b.policy));
  const measured = input.runs
    .map(summariseRun)
    .sort(
      (a, b) =>
        a.users - b.users || byPolicyOrder(a.policy, b.policy) || a.scenario.localeCompare(b.scenario),
    );
  const decisions = predictions.map((p) => decide(p, targets, measured));
  const kneeCheck = input.kneeStep ? buildKneeCheck(input.kneeStep.run, input.kneeStep.prediction) : null;
  const middle = scales[Math.floor(scales.length / 2)] ?? scales[0] ?? 0;
  const uncertainty = input.uncertainty ?? null;
  const opening = openingCharts(uncertainty, scales);
  return {
    title: `Atlas launch readiness review: ${scales.map((s) => s.toLocaleString('en-US')).join(' / ')} users`,
    generatedAt: input.generatedAt,
    commit: input.commit,
    profile: input.profile.name,
    scales: [...scales],
    policies: policyNames,
    targets,
    headline: headline(decisions, scales),
    load: input.load ?? null,
    modelAssumptions: input.modelAssumptions ?? [],
    stress: input.stress ?? [],
    uncertainty,
    calibrationSentence: calibrationSentence(simulation.calibration, measured, uncertainty?.flipPoints),
    whatIf: opening.whatIf,
    knees: simulation.knees
      .filter((k) => policyNames.includes(k.policy))
      .sort((a, b) => byPolicyOrder(a.policy, b.policy))
      .map((k) => ({ policy: k.policy, users: k.users, unbounded: k.unbounded, limitedBy: k.limitedBy })),
    decisions,
    predicted: predictions.map(predictedCell),
    measured,
    readiness: readinessVerdicts(predictions, input.policies, scales, targets, measured),
    claims: input.claims,
    assumptions: collectAssumptions(input.profile, input.policies, simulation, input.assumptions),
    calibration: {
      calibrated: simulation.calibration.calibrated,
      runs: simulation.calibration.runs,
      notes: simulation.calibration.notes,
    },
    live: input.live,
    kneeCheck: kneeCheck ?? null,
    // The knee band opens the report; the other charts follow in their section.
    charts: [
      ...(opening.kneeBand ? [opening.kneeBand] : []),
      ...reviewCharts({
        predictions,
        desPredictions: input.desPredictions,
        policies: input.policies,
        runs: input.runs,
        measured,
        targets,
        rateLimitScale: middle,
        seedCosts: input.seedCosts,
      }),
      ...(input.kneeStep ? [kneeChart(input.kneeStep.run, kneeCheck!)] : []),
    ],
  };
}
