import type { Argv, CommandModule } from 'yargs';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { mergeToRunRecord } from '../k6/merge-record.ts';
import { parseScenario } from '../run/plan.ts';
import { formatRunSummary } from '../run/summary-text.ts';
import { MERGE_FLAGS, parseFlags } from './flags/index.ts';

/** Flags of `atlas-cap merge`. */
interface MergeArgs {
  files: string[];
  out: string;
  scenario?: string;
  users?: string;
  policy: string;
  profile: string;
  duration?: string;
  target?: string;
}

/** `atlas-cap merge`: Merge raw k6 outputs of several runners into one run record. */
export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe: 'Merge raw k6 outputs of several runners into one run record',
  builder: (yargs: Argv) =>
    yargs
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'raw outputs (--out json=FILE, .gz ok)',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'run-record folder to write' })
      .option('scenario', {
        type: 'string',
        describe: 'scenario the runners ran (its thresholds are judged on the merge)',
      })
      .option('users', { type: 'string', describe: 'users the runners simulated' })
      .option('policy', { type: 'string', default: 'fixed', describe: 'policy of the run' })
      .option('profile', { type: 'string', default: 'ci-smoke', describe: 'profile of the run' })
      .option('duration', { type: 'string', describe: 'length of the load (default: first to last sample)' })
      .option('target', {
        type: 'string',
        describe: 'URL the runners loaded (recorded, not contacted)',
      }) as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const flags = parseFlags(MERGE_FLAGS, args);
    const { dir, record } = await mergeToRunRecord({
      files: flags.files,
      outDir: flags.out,
      scenario: flags.scenario === undefined ? undefined : parseScenario(flags.scenario),
      users: flags.users,
      policy: loadPolicy(flags.policy),
      profile: loadProfile(flags.profile),
      durationSeconds: flags.duration,
      targetUrl: flags.target,
    });
    process.stdout.write(`${formatRunSummary(dir, record)}\n`);
    if (record.exitStatus !== 0) process.exitCode = 1;
  },
};
