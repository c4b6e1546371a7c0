import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { redact } from '../../core/redact.ts';
import { readRunEnvironment } from '../run/run-options.ts';
import { withLiveView } from '../run/with-live-view.ts';
import { parseFlags, REVIEW_FLAGS } from './flags/index.ts';
import { REVIEW_DEFAULTS, type ReviewResult, runReview } from './review.ts';

// The CLI face of `atlas-cap review`: its flags, parsed into ReviewOptions, and the text it prints.
// The review itself (inputs, model, report) is runReview in review.ts.

/** The text `atlas-cap review` prints: where the review is and its headline. */
export function formatReviewSummary(result: ReviewResult): string {
  const lines = [
    `review: ${join(result.dir, 'report.html')}`,
    `        ${join(result.dir, 'report.md')} · data.json · charts/ (latest: ${result.latest})`,
    ...result.review.headline.map((h) => `  ${h}`),
  ];
  if (result.review.kneeCheck) lines.push(`  ${result.review.kneeCheck.sentence}`);
  for (const s of result.review.live.skipped) lines.push(`  skipped ${s.what}: ${s.why}`);
  for (const r of result.review.live.ran) lines.push(`  ran ${r}`);
  return `${lines.join('\n')}\n`;
}

/** Flags of `atlas-cap review`. */
interface ReviewArgs {
  live: boolean;
  runs?: string[];
  out: string;
  profile: string;
  policies: string;
  users: string;
  liveSeconds: string;
  databaseUrl?: string;
  json: boolean;
  set?: string[] | string;
  sensitivity: boolean;
  draws: number;
  seed: number;
  knees: string;
}

/** `atlas-cap review`: Produce the go/no-go readiness review (what npm start runs). */
export const reviewCommand: CommandModule<object, ReviewArgs> = {
  command: 'review',
  describe: 'Produce the go/no-go readiness review (what npm start runs)',
  builder: (yargs: Argv) =>
    yargs
      .option('live', {
        type: 'boolean',
        default: true,
        describe: 'run a short live calibration first (--no-live: simulator and existing run records only)',
      })
      .option('runs', {
        type: 'string',
        array: true,
        describe: 'folders of run records (default reports/runs); live runs are written to the first',
      })
      .option('out', {
        type: 'string',
        default: REVIEW_DEFAULTS.out,
        describe: 'output parent: <out>/<time>/ and <out>/latest',
      })
      .option('profile', {
        type: 'string',
        default: REVIEW_DEFAULTS.profile,
        describe: 'workload profile name or YAML file',
      })
      .option('policies', {
        type: 'string',
        default: REVIEW_DEFAULTS.policies.join(','),
        describe: 'policies to review',
      })
      .option('users', {
        type: 'string',
        default: REVIEW_DEFAULTS.users.join(','),
        describe: 'user counts to review',
      })
      .option('live-seconds', {
        type: 'string',
        default: String(REVIEW_DEFAULTS.liveSeconds),
        describe: 'seconds per live run',
      })
      .option('database-url', {
        type: 'string',
        describe: 'PostgreSQL for the live runs (else DATABASE_URL, else embedded)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print a JSON summary instead of text',
      })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'set an assumption, repeatable: --set peakConcurrentShare=0.3 (names: docs/simulator.md)',
      })
      .option('sensitivity', {
        type: 'boolean',
        default: true,
        describe: 'tornado, flip points, Monte Carlo and the what-if (--no-sensitivity skips them)',
      })
      .option('draws', {
        type: 'string',
        default: String(REVIEW_DEFAULTS.draws),
        describe: 'Monte Carlo draws over the assumptions ranges',
      })
      .option('seed', {
        type: 'string',
        default: String(REVIEW_DEFAULTS.seed),
        describe: 'seed of the Monte Carlo',
      })
      .option('knees', {
        type: 'string',
        default: REVIEW_DEFAULTS.knees,
        describe:
          "the Monte Carlo's knee per draw: exact (a search with the decision rule per draw) or surface (the tornado's response surface, checked against searches at 40 draws; ~2 s less, less exact)",
      }) as unknown as Argv<ReviewArgs>,
  handler: async (args) => {
    const flags = parseFlags(REVIEW_FLAGS, args);
    const result = await withLiveView(flags.json, (hooks) =>
      runReview({
        ...flags,
        runs:
          flags.runs && flags.runs.length > 0 ? flags.runs.map((r) => resolve(r)) : [...REVIEW_DEFAULTS.runs],
        sets: flags.set,
        environment: readRunEnvironment(process.env),
        ...hooks,
        log: (line) => hooks.log(redact(line)),
      }),
    );
    if (args.json) {
      const { review } = result;
      const summary = {
        dir: result.dir,
        latest: result.latest,
        html: join(result.dir, 'report.html'),
        markdown: join(result.dir, 'report.md'),
        data: join(result.dir, 'data.json'),
        headline: review.headline,
        decisions: review.decisions.map((d) => ({
          users: d.users,
          policy: d.policy,
          decision: d.decision,
          reasons: d.reasons,
        })),
        readiness: review.readiness.map((t) => ({ target: t.target, verdict: t.verdict })),
        live: review.live,
      };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      process.stdout.write(formatReviewSummary(result));
    }
  },
};
