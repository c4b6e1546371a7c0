import { type BudgetResult, type CheckOutcome, formatMetric } from './evaluate-budgets.ts';

const ICON: Record<BudgetResult['status'], string> = {
  pass: '✅ pass',
  'over-budget': '❌ over budget',
  regression: '❌ regression',
  missing: '❌ missing',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown summary of a check (fits a pull-request comment or $GITHUB_STEP_SUMMARY). */
export function checkSummaryMarkdown(outcome: CheckOutcome, title = 'Latency budgets'): string {
  const { counts } = outcome;
  const failed = counts['over-budget'] + counts.regression + counts.missing;
  const lines = [
    `### ${title}: ${outcome.passed ? 'PASS' : 'FAIL'}`,
    '',
    `${outcome.results.length} budgets: ${counts.pass} pass, ${failed} fail` +
      ` (${counts['over-budget']} over budget, ${counts.regression} regressions, ${counts.missing} missing).`,
    '',
    '| scenario | endpoint | metric | value | limit | baseline | vs baseline | result |',
    '|---|---|---|---:|---:|---:|---|---|',
  ];
  for (const r of outcome.results) {
    const value = r.value === null ? '-' : formatMetric(r.metric, r.value);
    const base =
      r.baseline && !Number.isNaN(r.baseline.value) ? formatMetric(r.metric, r.baseline.value) : '-';
    const interval = r.baseline?.interval;
    const versus = interval
      ? `${interval.ratio.toFixed(2)}x (CI ${interval.low.toFixed(2)}-${interval.high.toFixed(2)})`
      : (r.baseline?.note ?? '-');
    lines.push(
      `| ${cell(r.scenario)} | ${cell(r.endpoint)} | ${r.metric} | ${value} | ${formatMetric(r.metric, r.limit)} | ${base} | ${cell(versus)} | ${ICON[r.status]} |`,
    );
  }
  if (outcome.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...outcome.warnings.map((w) => `- ${w}`));
  }
  const failures = outcome.results.filter((r) => r.status !== 'pass');
  if (failures.length > 0) {
    lines.push(
      '',
      '**Failures**',
      '',
      ...failures.map((r) => `- ${r.scenario} ${r.endpoint} ${r.metric}: ${r.message}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
