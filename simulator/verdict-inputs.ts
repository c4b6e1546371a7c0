import type { Calibration } from './calibration.ts';
import { judge } from './decision-rule.ts';
import type { EndpointPrediction, Extrapolation, ResourcePrediction, VerdictInputs } from './prediction.ts';
import type { Targets } from './targets.ts';

// What a prediction's verdict rests on: budgets met, the bottleneck, and how far the prediction
// extrapolates beyond the calibration's measured range.

/** Extrapolation flags of a workload against a calibration's measured range. */
export function extrapolation(cal: Calibration, queriesPerSecond: number): Extrapolation {
  if (!cal.measuredRange) {
    return {
      beyond2x: false,
      measuredMaxQueriesPerSecond: null,
      ratio: null,
      note: 'uncalibrated: every service time is an assumption',
    };
  }
  const { minQueriesPerSecond: lo, maxQueriesPerSecond: hi } = cal.measuredRange;
  const ratio = hi > 0 ? queriesPerSecond / hi : null;
  const beyond = (ratio !== null && ratio > 2) || queriesPerSecond < lo / 2;
  return {
    beyond2x: beyond,
    measuredMaxQueriesPerSecond: hi,
    ratio,
    note: beyond
      ? `extrapolates: ${queriesPerSecond.toFixed(0)} queries/s is outside 0.5×–2× of the measured ${lo.toFixed(0)}–${hi.toFixed(0)} queries/s`
      : 'within 2× of the measured range',
  };
}

/** Verdict inputs: budgets met, the bottleneck, where it saturates, and the decision rule's outcome. */
export function verdictOf(
  resources: ResourcePrediction[],
  endpoints: EndpointPrediction[],
  errorShare: number,
  targets: Targets,
  users: number,
): VerdictInputs {
  let worst: number | null = 0;
  for (const e of endpoints) {
    if (e.ratePerSecond <= 0) continue;
    const budget = targets.p95Ms[e.endpoint] ?? targets.p95Ms.default;
    if (e.p95Ms === null) {
      worst = null;
      break;
    }
    worst = Math.max(worst, e.p95Ms / budget);
  }
  const bottleneck = resources.reduce((a, b) => (b.utilisation > a.utilisation ? b : a));
  const rule = judge({ resources, endpoints, errorShare }, targets);
  return {
    meetsLatency: worst !== null && worst <= 1,
    meetsErrors: errorShare <= targets.errorShare,
    bottleneck: bottleneck.name,
    bottleneckUtilisation: bottleneck.utilisation,
    saturationUsers: bottleneck.utilisation > 0 ? users / bottleneck.utilisation : Number.POSITIVE_INFINITY,
    latencyBudgetRatio: worst,
    errorShare,
    accepted: rule.accepted,
    bindingResource: rule.bindingResource,
    failures: rule.failures.map((f) => f.text),
  };
}
