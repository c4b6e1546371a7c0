// The reports' public face: what the CLI (review, check) and the tests may use, nothing more.
// Other folders import the reports through this file (test/public-faces.test.ts checks it).
export type { BudgetFile } from './budgets/budget-file.ts';
export { BudgetFileSchema } from './budgets/budget-file.ts';
export { checkSummaryMarkdown } from './budgets/check-summary.ts';
export type { BudgetResult, CheckOutcome, MeasuredScenario } from './budgets/evaluate-budgets.ts';
export { evaluateBudgets } from './budgets/evaluate-budgets.ts';
export { checkJUnitXml } from './budgets/junit-report.ts';
export { renderReview, writeReview } from './render/render-review.ts';
export { buildReview } from './review/build-review.ts';
export { claimRow } from './review/claim-rows.ts';
export { STEADY_SCENARIOS } from './review/measured-run.ts';
export type {
  Assumption,
  ClaimRow,
  LiveStatus,
  Review,
  ReviewInput,
  StressRow,
} from './review/review-types.ts';
