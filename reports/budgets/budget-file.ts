import { z } from 'zod';

/** Absolute limits for one endpoint of a scenario (`*` = every endpoint the run measured). */
export const EndpointBudgetSchema = z
  .object({
    endpoint: z.string().min(1),
    /** p95 latency limit in ms. */
    p95Ms: z.number().positive().optional(),
    /** p99 latency limit in ms. */
    p99Ms: z.number().positive().optional(),
    /** Largest share of failed requests (status >= 400 or network error), 0..1. */
    errorRate: z.number().min(0).max(1).optional(),
  })
  .refine((b) => b.p95Ms !== undefined || b.p99Ms !== undefined || b.errorRate !== undefined, {
    message: 'set at least one of p95Ms, p99Ms, errorRate',
  });

/** One budgeted scenario: a short run at a fixed small load on the local target, and its limits. */
export const BudgetScenarioSchema = z.object({
  scenario: z.string().min(1),
  users: z.number().int().positive(),
  durationSeconds: z.number().int().positive().max(600),
  /** Policy of the target; defaults to the file's policy. */
  policy: z.string().min(1).optional(),
  budgets: z.array(EndpointBudgetSchema).min(1),
});

/** How a slowdown against a baseline is judged (both conditions must hold to flag a regression). */
export const RegressionSchema = z.object({
  /** A quantile must grow by more than this share (0.25 = 25%) ... */
  tolerance: z.number().min(0),
  /** ... and the bootstrap interval of the ratio, at this confidence, must lie above 1. */
  confidence: z.number().gt(0.5).lt(1).default(0.95),
  resamples: z.number().int().min(100).max(100_000).default(2000),
  seed: z.number().int().min(0).default(1),
  /** Fewer raw samples than this on either side: the comparison is reported, never flagged. */
  minSamples: z.number().int().min(1).default(50),
});

/** Schema of fixtures/budgets/*.yaml: what `atlas-cap check` runs and the limits it enforces. */
export const BudgetFileSchema = z.object({
  name: z.string().optional(),
  description: z.string().default(''),
  profile: z.string().min(1),
  policy: z.string().min(1),
  regression: RegressionSchema,
  scenarios: z.array(BudgetScenarioSchema).min(1),
});

/** A validated budget file. */
export type BudgetFile = z.output<typeof BudgetFileSchema>;
/** One scenario of a budget file. */
export type BudgetScenario = z.output<typeof BudgetScenarioSchema>;
/** One endpoint's limits. */
export type EndpointBudget = z.output<typeof EndpointBudgetSchema>;
/** Regression settings. */
export type RegressionSettings = z.output<typeof RegressionSchema>;
