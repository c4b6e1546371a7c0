import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { loadYamlConfig } from '../../core/load-yaml-config.ts';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import type { LoadedRun } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import {
  type BudgetFile,
  BudgetFileSchema,
  type CheckOutcome,
  checkJUnitXml,
  checkSummaryMarkdown,
  evaluateBudgets,
  type MeasuredScenario,
} from '../../reports/index.ts';
import { loadLatencies, loadRun, readRunRecords } from '../inputs/run-records.ts';
import { compactTime } from '../lib/compact-time.ts';
import { throwIfInterrupted } from '../run/interrupt.ts';
import type { LiveSnapshot } from '../run/live-line.ts';
import { parseScenario } from '../run/plan.ts';
import { readRunEnvironment, runScenario } from '../run/run-scenario.ts';
import { withLiveView } from '../run/with-live-view.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Exit code of a check whose budget or regression failed (2 is bad input, from the CLI). */
export const EXIT_BUDGET_FAILED = 1;

/** Options of {@link runCheck}; the CLI parses its flags into exactly this. */
export interface CheckOptions {
  /** Budget file: a fixture name under fixtures/budgets or a YAML path. */
  budgets: string;
  /** A run record folder, or a folder of them (a previous check's --out), to compare against. */
  baseline?: string | undefined;
  /** Judge these existing run records (a folder of them) instead of running the scenarios. */
  runs?: string | undefined;
  junit?: string | undefined;
  summary?: string | undefined;
  /** Folder for this check's run records, JUnit and summary; default reports/runs/check-<time>/. */
  out?: string | undefined;
  databaseUrl?: string | undefined;
  log?: (line: string) => void;
  now?: () => Date;
  /** The live line of each run (see scripts/run/live-view.ts). */
  progress?: (snapshot: LiveSnapshot) => void;
  /** Called after each scenario's run (ends its live line). */
  onRunEnd?: () => void;
  /** Ctrl-C: the running scenario stops and its record is marked interrupted; nothing is judged. */
  signal?: AbortSignal;
}

/** What a check did and decided. */
export interface CheckResult {
  outcome: CheckOutcome;
  out: string;
  junit: string;
  summary: string;
  markdown: string;
  runs: string[];
}

/** The check's view of a run record: endpoint summaries, raw latencies, and what to warn about. */
export function measuredFromRun(run: LoadedRun): MeasuredScenario {
  const r = run.record;
  const warnings: string[] = [];
  if (r.loadGenerator.saturated)
    warnings.push(`load generator saturated in ${r.id}: latencies may be understated`);
  if (r.iterations.dropped > 0) warnings.push(`${r.iterations.dropped} iterations dropped in ${r.id}`);
  if (r.exitStatus !== 0) warnings.push(`k6 exit status ${r.exitStatus} in ${r.id} (thresholds or errors)`);
  return {
    scenario: r.scenario,
    runId: r.id,
    endpoints: r.endpoints,
    latencies: loadLatencies(run.dir),
    warnings,
  };
}

/** The newest run of each scenario under a folder of run records (`flag` names it in errors). */
function loadNewestRuns(path: string, flag: string): MeasuredScenario[] {
  const newest = new Map<string, LoadedRun>();
  for (const run of readRunRecords([path], flag)) {
    const seen = newest.get(run.record.scenario);
    if (!seen || seen.record.startedAt < run.record.startedAt) newest.set(run.record.scenario, run);
  }
  return [...newest.values()].map(measuredFromRun);
}

function validate(options: CheckOptions): {
  file: BudgetFile;
  baseline: MeasuredScenario[];
  stored: MeasuredScenario[] | null;
} {
  const file = loadYamlConfig('budgets', options.budgets, BudgetFileSchema, '--budgets') as BudgetFile;
  loadProfile(file.profile, `${options.budgets}: profile`);
  loadPolicy(file.policy, `${options.budgets}: policy`);
  const seen = new Set<string>();
  for (const s of file.scenarios) {
    try {
      parseScenario(s.scenario);
    } catch (error) {
      throw new UsageError('--budgets', (error as Error).message.replace(/^SCENARIO: /, ''));
    }
    if (seen.has(s.scenario)) throw new UsageError('--budgets', `scenario ${s.scenario} is listed twice`);
    seen.add(s.scenario);
    if (s.policy) loadPolicy(s.policy, `${options.budgets}: scenarios.${s.scenario}.policy`);
  }
  const baseline = options.baseline === undefined ? [] : loadNewestRuns(options.baseline, '--baseline');
  let stored: MeasuredScenario[] | null = null;
  if (options.runs !== undefined) {
    stored = loadNewestRuns(options.runs, '--runs');
    for (const s of file.scenarios) {
      if (!stored.some((m) => m.scenario === s.scenario))
        throw new UsageError('--runs', `no ${s.scenario} run record in ${options.runs}`);
    }
  }
  for (const [flag, path] of [
    ['--junit', options.junit],
    ['--summary', options.summary],
  ] as const) {
    if (path !== undefined && existsSync(path) && statSync(path).isDirectory()) {
      throw new UsageError(flag, `${path} is a folder; name a file`);
    }
  }
  return { file, baseline, stored };
}

/**
 * Runs every budgeted scenario on the local target (short, fixed small load; or takes the newest stored
 * run of each from `runs`), judges p95, p99 and
 * error rate against the budgets and, with a baseline, flags significant regressions; writes JUnit
 * XML and a Markdown summary. Validates everything before running anything.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const log = options.log ?? (() => {});
  const { file, baseline, stored } = validate(options);
  const profile = loadProfile(file.profile);
  const now = options.now ?? (() => new Date());
  const out = resolve(options.out ?? join(ROOT, 'reports', 'runs', `check-${compactTime(now())}`));
  mkdirSync(out, { recursive: true });
  const measured: MeasuredScenario[] = [];
  const runs: string[] = [];
  if (stored) {
    measured.push(...stored.filter((m) => file.scenarios.some((s) => s.scenario === m.scenario)));
    runs.push(resolve(options.runs!));
  }
  for (const s of stored ? [] : file.scenarios) {
    const policy = loadPolicy(s.policy ?? file.policy);
    log(`check: ${s.scenario} at ${s.users} users under ${policy.name} for ${s.durationSeconds} s`);
    const { dir } = await runScenario({
      scenario: s.scenario,
      users: s.users,
      policy,
      profile,
      durationSeconds: s.durationSeconds,
      databaseUrl: options.databaseUrl,
      target: 'local',
      environment: readRunEnvironment(process.env),
      outDir: join(out, `${s.scenario}-${s.users}u-${policy.name}`),
      log,
      progress: options.progress,
      signal: options.signal,
    });
    options.onRunEnd?.();
    throwIfInterrupted(
      options.signal,
      `interrupted: ${dir} holds the run so far (marked interrupted); nothing judged`,
    );
    runs.push(dir);
    measured.push(measuredFromRun(loadRun(dir, '--out')));
  }
  const outcome = evaluateBudgets(file, measured, baseline);
  const junit = resolve(options.junit ?? join(out, 'junit.xml'));
  const summary = resolve(options.summary ?? join(out, 'summary.md'));
  const markdown = checkSummaryMarkdown(outcome, `Latency budgets (${file.name ?? options.budgets})`);
  mkdirSync(dirname(junit), { recursive: true });
  mkdirSync(dirname(summary), { recursive: true });
  writeFileSync(junit, checkJUnitXml(outcome, `atlas-cap check ${file.name ?? ''}`.trim()));
  writeFileSync(summary, markdown);
  return { outcome, out, junit, summary, markdown, runs };
}

/** Flags of `atlas-cap check`. */
interface CheckArgs {
  budgets: string;
  baseline?: string;
  runs?: string;
  junit?: string;
  summary?: string;
  out?: string;
  databaseUrl?: string;
  json: boolean;
}

/** `atlas-cap check`: Run the budgeted scenarios and gate CI on latency budgets and regressions. */
export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Run the budgeted scenarios and gate CI on latency budgets and regressions',
  builder: (yargs: Argv) =>
    yargs
      .option('budgets', {
        type: 'string',
        default: 'ci',
        describe: 'budget file: name under fixtures/budgets or a YAML path',
      })
      .option('baseline', {
        type: 'string',
        describe: 'run record folder (or a previous check --out) to compare with',
      })
      .option('runs', {
        type: 'string',
        describe:
          'judge the run records in this folder (e.g. from atlas-cap run) instead of running the scenarios',
      })
      .option('junit', { type: 'string', describe: 'write JUnit XML here (default <out>/junit.xml)' })
      .option('summary', {
        type: 'string',
        describe: 'write the Markdown summary here (default <out>/summary.md)',
      })
      .option('out', {
        type: 'string',
        describe: 'folder for run records and reports (default reports/runs/check-<time>)',
      })
      .option('database-url', { type: 'string', describe: 'PostgreSQL (else DATABASE_URL, else embedded)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the outcome as JSON' })
      .epilog(
        'Exit codes: 0 every budget holds, 1 a budget or regression failed, 2 bad input.',
      ) as unknown as Argv<CheckArgs>,
  handler: async (args) => {
    const result = await withLiveView(args.json, (hooks) =>
      runCheck({
        budgets: args.budgets,
        baseline: args.baseline,
        runs: args.runs,
        junit: args.junit,
        summary: args.summary,
        out: args.out,
        databaseUrl: args.databaseUrl,
        ...hooks,
      }),
    );
    if (args.json) {
      const { outcome } = result;
      const body = {
        passed: outcome.passed,
        counts: outcome.counts,
        results: outcome.results,
        warnings: outcome.warnings,
        junit: result.junit,
        summary: result.summary,
        runs: result.runs,
      };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      process.stdout.write(`${result.markdown}\nJUnit: ${result.junit}\nSummary: ${result.summary}\n`);
    }
    if (!result.outcome.passed) process.exitCode = EXIT_BUDGET_FAILED;
  },
};
