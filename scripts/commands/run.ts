import type { Argv, CommandModule } from 'yargs';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { FAULTS } from '../run/faults.ts';
import { EXIT_INTERRUPTED } from '../run/interrupt.ts';
import { SCENARIOS } from '../run/plan.ts';
import { readRunEnvironment, runScenario } from '../run/run-scenario.ts';
import { formatRunSummary } from '../run/summary-text.ts';
import { withLiveView } from '../run/with-live-view.ts';
import { parseFlags, RUN_FLAGS } from './flags/index.ts';

/** Flags of `atlas-cap run`. */
interface RunArgs {
  scenario: string;
  users: string;
  policy: string;
  profile: string;
  duration: string;
  warmup: string;
  databaseUrl?: string;
  allowRemote?: string;
  target: string;
  segments: string;
  schema: string;
  dbCores?: string;
  busyCores?: string;
  fault?: string;
  redisUrl?: string;
  out?: string;
  json: boolean;
}

/** `atlas-cap run`: Run a k6 scenario end to end and write a run record. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a k6 scenario end to end and write a run record',
  builder: (yargs: Argv) =>
    yargs
      .positional('scenario', {
        type: 'string',
        describe: `one of ${SCENARIOS.join(', ')}`,
        demandOption: true,
      })
      .option('users', {
        type: 'string',
        demandOption: true,
        describe: 'registered users (the open model turns them into rates)',
      })
      .option('policy', {
        type: 'string',
        demandOption: true,
        describe: 'policy name (current, fixed, scale) or YAML file',
      })
      .option('profile', {
        type: 'string',
        default: 'ci-smoke',
        describe: 'workload profile name or YAML file',
      })
      .option('duration', {
        type: 'string',
        default: '60s',
        describe: 'length of the load (60, 60s, 2m; at most 1h)',
      })
      .option('warmup', {
        type: 'string',
        default: '0',
        describe: 'first seconds of the same k6 run, left out of the record (10, 10s, 1m)',
      })
      .option('database-url', {
        type: 'string',
        describe: 'PostgreSQL URL (else DATABASE_URL, else embedded)',
      })
      .option('allow-remote', { type: 'string', describe: 'permit this one non-loopback host' })
      .option('target', {
        type: 'string',
        default: 'local',
        describe: "'local' or the base URL of a deployment",
      })
      .option('segments', {
        type: 'string',
        default: '1',
        describe: 'k6 processes (execution segments), merged',
      })
      .option('schema', {
        type: 'string',
        default: 'plain',
        describe: 'schema to seed: plain or partitioned',
      })
      .option('db-cores', {
        type: 'string',
        describe: 'limit the embedded database server to this many cores (taskset; not with --database-url)',
      })
      .option('busy-cores', {
        type: 'string',
        describe:
          'keep this many cores from idling during the run (spinners at the idle scheduling class): CPU per request on busy cores; never a fit run',
      })
      .option('fault', {
        type: 'string',
        describe: `inject a fault into the local target: ${FAULTS.join(', ')}`,
      })
      .option('redis-url', { type: 'string', describe: 'Redis for the target rate-limit counters' })
      .option('out', { type: 'string', describe: 'run-record folder (default reports/runs/<...>)' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print run.json instead of the summary',
      }) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const { json, policy, profile, ...flags } = parseFlags(RUN_FLAGS, args);
    const { dir, record } = await withLiveView(json, ({ log, progress, signal }) =>
      runScenario({
        ...flags,
        policy: loadPolicy(policy),
        profile: loadProfile(profile),
        environment: readRunEnvironment(process.env),
        log,
        progress,
        signal,
      }),
    );
    process.stdout.write(`${json ? JSON.stringify(record, null, 2) : formatRunSummary(dir, record)}\n`);
    if (record.status === 'interrupted') process.exitCode = EXIT_INTERRUPTED;
    else if (record.exitStatus !== 0) process.exitCode = 1;
  },
};
