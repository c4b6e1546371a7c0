import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import { type CheckOutcome, formatMetric } from './evaluate-budgets.ts';

// The package is CommonJS whose module.exports is a builder instance, while its types declare an ES
// default export; require gives the runtime shape under Node and tsx alike.
const junit = createRequire(import.meta.url)('junit-report-builder') as Builder;

/**
 * JUnit XML with one test case per budget (scenario, endpoint, metric): value, limit and baseline
 * in its properties, a <failure> when it is over budget, regressed or missing. Built with
 * junit-report-builder, which escapes everything it writes.
 */
export function checkJUnitXml(outcome: CheckOutcome, suiteName = 'atlas-cap check'): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name(suiteName);
  for (const r of outcome.results) {
    const testCase = suite
      .testCase()
      .className(`budget.${r.scenario}`)
      .name(`${r.endpoint} ${r.metric} <= ${formatMetric(r.metric, r.limit)}`)
      .property('scenario', r.scenario)
      .property('endpoint', r.endpoint)
      .property('metric', r.metric)
      .property('unit', r.unit)
      .property('value', r.value === null ? 'missing' : String(r.value))
      .property('limit', String(r.limit))
      .property('run', r.runId);
    if (r.baseline) {
      testCase.property('baseline', Number.isNaN(r.baseline.value) ? 'missing' : String(r.baseline.value));
      testCase.property('baselineRun', r.baseline.runId);
      if (r.baseline.interval) {
        testCase.property('ratio', r.baseline.interval.ratio.toFixed(4));
        testCase.property('ratioLow', r.baseline.interval.low.toFixed(4));
        testCase.property('ratioHigh', r.baseline.interval.high.toFixed(4));
      }
    }
    if (r.status !== 'pass') testCase.failure(r.message, r.status);
    else testCase.standardOutput(r.message);
  }
  return builder.build();
}
