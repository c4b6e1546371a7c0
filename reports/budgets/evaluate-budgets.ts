import type { EndpointSummary } from '../../core/run-record.ts';
import { bootstrapQuantileRatio, type RatioInterval } from './bootstrap.ts';
import type { BudgetFile, EndpointBudget, RegressionSettings } from './budget-file.ts';

/** What `check` measured in one budgeted scenario: the run's summary and its raw latency samples. */
export interface MeasuredScenario {
  scenario: string;
  runId: string;
  /** run.json `endpoints`. */
  endpoints: Record<string, EndpointSummary>;
  /** Raw request durations in ms per endpoint (samples/latency/<endpoint>.json); may lack some. */
  latencies: Record<string, readonly number[]>;
  /** Warnings about the run itself (load generator saturated, dropped iterations), shown in the summary. */
  warnings: string[];
}

/** A metric a budget limits. */
export type BudgetMetric = 'p95' | 'p99' | 'errorRate';

/** How the value compares with the same metric of the baseline run. */
export interface BaselineComparison {
  runId: string;
  value: number;
  /** Bootstrap interval of current / baseline (latency metrics with enough samples); null otherwise. */
  interval: RatioInterval | null;
  /** True when the slowdown exceeds the tolerance and the interval lies above 1. */
  regression: boolean;
  /** Why it is or is not a regression, in words. */
  note: string;
}

/** The verdict on one budget: one JUnit test case. */
export interface BudgetResult {
  scenario: string;
  endpoint: string;
  metric: BudgetMetric;
  /** Measured value (ms for latency, share for errorRate); null when the endpoint was not measured. */
  value: number | null;
  limit: number;
  unit: 'ms' | 'share';
  baseline: BaselineComparison | null;
  status: 'pass' | 'over-budget' | 'regression' | 'missing';
  /** One line: what passed or failed and by how much. */
  message: string;
  runId: string;
}

/** Outcome of a whole check. */
export interface CheckOutcome {
  results: BudgetResult[];
  passed: boolean;
  /** Counts by status. */
  counts: Record<BudgetResult['status'], number>;
  warnings: string[];
}

const QUANTILE: Record<'p95' | 'p99', number> = { p95: 0.95, p99: 0.99 };

/** Formats a metric value with its unit: `123.4 ms` or `0.52%`. */
export function formatMetric(metric: BudgetMetric, value: number): string {
  if (metric === 'errorRate') return `${(value * 100).toFixed(2)}%`;
  return `${value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toPrecision(2)} ms`;
}

function limitsOf(budget: EndpointBudget): [BudgetMetric, number][] {
  const out: [BudgetMetric, number][] = [];
  if (budget.p95Ms !== undefined) out.push(['p95', budget.p95Ms]);
  if (budget.p99Ms !== undefined) out.push(['p99', budget.p99Ms]);
  if (budget.errorRate !== undefined) out.push(['errorRate', budget.errorRate]);
  return out;
}

/**
 * Compares a latency quantile with the baseline's: a regression needs both a ratio above
 * 1 + tolerance and a bootstrap interval entirely above 1, so a slow second on a noisy runner
 * (wide interval) or a tiny real change (ratio under tolerance) does not fail the build.
 */
export function compareWithBaseline(
  metric: 'p95' | 'p99',
  current: readonly number[],
  baseline: readonly number[],
  settings: RegressionSettings,
): { interval: RatioInterval | null; regression: boolean; note: string } {
  if (current.length < settings.minSamples || baseline.length < settings.minSamples) {
    return {
      interval: null,
      regression: false,
      note: `too few raw samples to judge (${current.length} vs ${baseline.length}, need ${settings.minSamples})`,
    };
  }
  const interval = bootstrapQuantileRatio(current, baseline, {
    quantile: QUANTILE[metric],
    resamples: settings.resamples,
    confidence: settings.confidence,
    seed: settings.seed,
  });
  const overTolerance = interval.ratio > 1 + settings.tolerance;
  const significant = interval.low > 1;
  const ci = `${Math.round(settings.confidence * 100)}% CI ${interval.low.toFixed(2)}-${interval.high.toFixed(2)}`;
  const ratio = `${interval.ratio.toFixed(2)}x baseline (${ci})`;
  if (overTolerance && significant) {
    return {
      interval,
      regression: true,
      note: `${ratio}: above the ${pct(settings.tolerance)} tolerance and significant`,
    };
  }
  if (overTolerance)
    return { interval, regression: false, note: `${ratio}: above tolerance but within noise` };
  return { interval, regression: false, note: `${ratio}: within the ${pct(settings.tolerance)} tolerance` };
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function metricOf(summary: EndpointSummary, metric: BudgetMetric): number {
  return metric === 'errorRate' ? summary.errorRate : summary[metric];
}

/**
 * Judges every budget of `file` against the measured scenarios (and the baseline's, when given).
 * Pure: the same inputs give the same results, bootstrap included (seeded).
 */
export function evaluateBudgets(
  file: BudgetFile,
  measured: readonly MeasuredScenario[],
  baseline: readonly MeasuredScenario[] = [],
): CheckOutcome {
  const results: BudgetResult[] = [];
  const warnings: string[] = [];
  for (const scenario of file.scenarios) {
    const run = measured.find((m) => m.scenario === scenario.scenario);
    const base = baseline.find((m) => m.scenario === scenario.scenario);
    if (run) warnings.push(...run.warnings.map((w) => `${scenario.scenario}: ${w}`));
    for (const budget of scenario.budgets) {
      const endpoints =
        budget.endpoint === '*' ? Object.keys(run?.endpoints ?? {}).sort() : [budget.endpoint];
      if (endpoints.length === 0) endpoints.push('*');
      for (const endpoint of endpoints) {
        for (const [metric, limit] of limitsOf(budget)) {
          results.push(judge(scenario.scenario, endpoint, metric, limit, run, base, file.regression));
        }
      }
    }
  }
  const counts = { pass: 0, 'over-budget': 0, regression: 0, missing: 0 };
  for (const r of results) counts[r.status] += 1;
  return { results, passed: results.every((r) => r.status === 'pass'), counts, warnings };
}

function judge(
  scenario: string,
  endpoint: string,
  metric: BudgetMetric,
  limit: number,
  run: MeasuredScenario | undefined,
  base: MeasuredScenario | undefined,
  settings: RegressionSettings,
): BudgetResult {
  const unit = metric === 'errorRate' ? 'share' : 'ms';
  const summary = run?.endpoints[endpoint];
  if (!run || !summary || summary.count === 0) {
    const why = run
      ? `endpoint ${endpoint} has no requests in run ${run.runId}`
      : `scenario ${scenario} did not run`;
    return {
      scenario,
      endpoint,
      metric,
      value: null,
      limit,
      unit,
      baseline: null,
      status: 'missing',
      message: why,
      runId: run?.runId ?? '',
    };
  }
  const value = metricOf(summary, metric);
  const overBudget = value > limit;
  let baselineResult: BaselineComparison | null = null;
  const baseSummary = base?.endpoints[endpoint];
  if (base && baseSummary && baseSummary.count > 0) {
    const baseValue = metricOf(baseSummary, metric);
    if (metric === 'errorRate') {
      baselineResult = {
        runId: base.runId,
        value: baseValue,
        interval: null,
        regression: false,
        note: 'absolute budget only',
      };
    } else {
      const verdict = compareWithBaseline(
        metric,
        run.latencies[endpoint] ?? [],
        base.latencies[endpoint] ?? [],
        settings,
      );
      baselineResult = { runId: base.runId, value: baseValue, ...verdict };
    }
  } else if (base) {
    baselineResult = {
      runId: base.runId,
      value: Number.NaN,
      interval: null,
      regression: false,
      note: `baseline has no ${endpoint}`,
    };
  }
  const status = overBudget ? 'over-budget' : baselineResult?.regression ? 'regression' : 'pass';
  const head = `${formatMetric(metric, value)} ${overBudget ? '>' : '<='} limit ${formatMetric(metric, limit)}`;
  const message = baselineResult ? `${head}; baseline ${baselineResult.note}` : head;
  return {
    scenario,
    endpoint,
    metric,
    value,
    limit,
    unit,
    baseline: baselineResult,
    status,
    message,
    runId: run.runId,
  };
}
