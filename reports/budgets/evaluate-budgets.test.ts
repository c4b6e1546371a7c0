import { describe, expect, it } from 'vitest';
import type { EndpointSummary } from '../../core/run-record.ts';
import { seededRandom } from '../../core/seeded-random.ts';
import { BudgetFileSchema } from './budget-file.ts';
import { checkSummaryMarkdown } from './check-summary.ts';
import { evaluateBudgets, type MeasuredScenario } from './evaluate-budgets.ts';
import { checkJUnitXml } from './junit-report.ts';

function samples(n: number, median: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => median * Math.exp(0.4 * (random() + random() + random() - 1.5)));
}

function summary(durations: number[], errors = 0): EndpointSummary {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    count: durations.length,
    errorRate: errors / durations.length,
    statuses: { '200': durations.length - errors, '503': errors },
    mean: durations.reduce((s, d) => s + d, 0) / durations.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.at(-1)!,
  };
}

function measured(runId: string, median: number, seed: number): MeasuredScenario {
  const conv = samples(400, median, seed);
  const msgs = samples(300, median * 2, seed + 1);
  return {
    scenario: 'delta-sync',
    runId,
    endpoints: { 'rest.conversations': summary(conv), 'rest.messages': summary(msgs, 3) },
    latencies: { 'rest.conversations': conv, 'rest.messages': msgs },
    warnings: [],
  };
}

function budgets(p95Ms: number, extra: object = {}) {
  return BudgetFileSchema.parse({
    profile: 'ci-smoke',
    policy: 'fixed',
    regression: { tolerance: 0.25, resamples: 500 },
    scenarios: [
      {
        scenario: 'delta-sync',
        users: 100,
        durationSeconds: 10,
        budgets: [{ endpoint: '*', p95Ms, errorRate: 0.05, ...extra }],
      },
    ],
  });
}

describe('budget evaluation', () => {
  it('fails every latency budget set below what the run achieved and passes when set above', () => {
    const run = measured('r1', 20, 1);
    const tight = evaluateBudgets(budgets(5), [run]);
    expect(tight.passed).toBe(false);
    expect(tight.counts['over-budget']).toBe(2); // p95 of both endpoints
    expect(tight.results.filter((r) => r.metric === 'errorRate').every((r) => r.status === 'pass')).toBe(
      true,
    );
    const loose = evaluateBudgets(budgets(10_000), [run]);
    expect(loose.passed).toBe(true);
    expect(loose.results).toHaveLength(4); // 2 endpoints x (p95, errorRate)
  });

  it('fails a budget whose endpoint or scenario was not measured', () => {
    const file = budgets(100);
    file.scenarios[0]!.budgets.push({ endpoint: 'api.message', p99Ms: 100 });
    const outcome = evaluateBudgets(file, [measured('r1', 20, 1)]);
    const missing = outcome.results.filter((r) => r.status === 'missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/api\.message has no requests/);
    expect(evaluateBudgets(file, []).results.every((r) => r.status === 'missing')).toBe(true);
  });

  it('flags a 2x regression against a baseline but not a rerun of the same build', () => {
    const file = budgets(10_000);
    const baseline = measured('base', 20, 1);
    const slower = evaluateBudgets(file, [measured('slow', 40, 50)], [baseline]);
    expect(slower.passed).toBe(false);
    expect(slower.counts.regression).toBe(2);
    const rerun = evaluateBudgets(file, [measured('rerun', 20, 99)], [baseline]);
    expect(rerun.passed).toBe(true);
    expect(rerun.results.find((r) => r.metric === 'p95')!.baseline!.interval).not.toBeNull();
  });

  it('writes one JUnit test case per budget with value, limit and baseline properties', () => {
    const outcome = evaluateBudgets(budgets(5), [measured('r1', 20, 1)], [measured('b<&>"1', 20, 2)]);
    const xml = checkJUnitXml(outcome);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toMatch(/<testsuite name="atlas-cap check" tests="4" failures="2"/);
    expect(xml).toContain('<property name="limit" value="5"/>');
    expect(xml).toMatch(/<property name="value" value="\d+(\.\d+)?"\/>/);
    expect(xml).toContain('value="b&lt;&amp;>&quot;1"'); // escaped (> needs none in attributes)
    expect(xml).not.toContain('b<&>"1');
  });

  it('summarises in Markdown with a row per budget and the failures listed', () => {
    const outcome = evaluateBudgets(budgets(5), [measured('r1', 20, 1)]);
    const md = checkSummaryMarkdown(outcome);
    expect(md).toMatch(/^### Latency budgets: FAIL/);
    expect(md.split('\n').filter((l) => l.startsWith('| delta-sync'))).toHaveLength(4);
    expect(md).toMatch(/\*\*Failures\*\*/);
    expect(checkSummaryMarkdown(evaluateBudgets(budgets(10_000), [measured('r1', 20, 1)]))).toMatch(/: PASS/);
  });
});
