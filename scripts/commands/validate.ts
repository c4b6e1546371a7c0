import { basename } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { type Policy, PolicySchema } from '../../core/policy.ts';
import { type Profile, ProfileSchema } from '../../core/profile.ts';
import type { LoadedRun, RunRecord } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import type { HeldOutRun, RunSpeed, ValidationReport } from '../../simulator/index.ts';
import {
  calibrate,
  DB_CONGESTION_PER_BUSY_CONNECTION,
  formatValidation,
  scenarioLoad,
  validateRuns,
} from '../../simulator/index.ts';
import { readRunRecords } from '../inputs/run-records.ts';

/** Flags of `atlas-cap validate`. */
interface ValidateArgs {
  fit: string[];
  'held-out': string[];
  'knee-probe'?: string[];
  profile?: string;
  'mixed-machines': boolean;
  'db-congestion'?: number;
  speed: RunSpeed;
  json: boolean;
}

/** A machine as a run record names it: cores, memory, CPU model. */
function machineOf(r: RunRecord): string {
  const m = r.machine;
  return `${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.cpuModel}`;
}

/** The profile and policy a record ran (resolved objects, so the record stands alone). */
function resolvedInputs(run: LoadedRun, flag: string): { profile: Profile; policy: Policy } {
  const profile = ProfileSchema.safeParse(run.record.profile);
  const policy = PolicySchema.safeParse(run.record.policy);
  if (!profile.success || !policy.success)
    throw new UsageError(flag, `${run.dir}: its profile or policy does not parse as one (record too old?)`);
  return {
    profile: { ...profile.data, name: run.record.profile.name },
    policy: { ...policy.data, name: run.record.policy.name },
  };
}

/**
 * Checks and reads everything `validate` needs, then validates (pure past the reading). Errors, all
 * before anything is printed: a missing folder, a record of another profile than `--profile`, runs of
 * different machines unless `--mixed-machines`, a held-out scenario that sends no workload.
 */
export function runValidate(args: ValidateArgs): ValidationReport {
  if (args.fit.length === 0) throw new UsageError('--fit', 'name at least one run folder to calibrate on');
  if (args['held-out'].length === 0)
    throw new UsageError('--held-out', 'name at least one run folder to predict');
  const fit = readRunRecords(args.fit, '--fit');
  const held = readRunRecords(args['held-out'], '--held-out');
  const probes =
    (args['knee-probe'] ?? []).length > 0 ? readRunRecords(args['knee-probe']!, '--knee-probe') : [];
  const all: Array<[LoadedRun, string]> = [
    ...fit.map((r): [LoadedRun, string] => [r, '--fit']),
    ...held.map((r): [LoadedRun, string] => [r, '--held-out']),
    ...probes.map((r): [LoadedRun, string] => [r, '--knee-probe']),
  ];
  if (args.profile !== undefined)
    for (const [r, flag] of all)
      if (r.record.profile.name !== args.profile)
        throw new UsageError(
          flag,
          `${r.dir} is a run of profile '${r.record.profile.name}', not '${args.profile}' (--profile)`,
        );
  if (!args['mixed-machines']) {
    const first = machineOf(all[0]![0].record);
    for (const [r, flag] of all)
      if (machineOf(r.record) !== first)
        throw new UsageError(
          flag,
          `${r.dir} ran on ${machineOf(r.record)}, ${all[0]![0].dir} on ${first}: runs of different machines are mixed (say --mixed-machines to allow it)`,
        );
  }
  const heldOut: HeldOutRun[] = held.map((r) => {
    const inputs = resolvedInputs(r, '--held-out');
    if (!scenarioLoad(r.record.scenario, inputs.profile, inputs.policy, r.record.users))
      throw new UsageError(
        '--held-out',
        `${r.dir} ran ${r.record.scenario}, which sends probes, not a workload the model predicts (full-sync, delta-sync, launch-mix, rate-limit)`,
      );
    return { name: basename(r.dir), record: r.record, series: r.series, ...inputs };
  });
  const kappa = args['db-congestion'];
  if (kappa !== undefined && !(Number.isFinite(kappa) && kappa >= 0 && kappa <= 0.5))
    throw new UsageError(
      '--db-congestion',
      `must be a share per busy connection from 0 to 0.5, got '${kappa}'`,
    );
  const cal = calibrate(
    [
      ...fit.map((r) => ({ record: r.record, series: r.series })),
      ...probes.map((r) => ({ record: r.record, series: r.series, kneeProbe: true })),
    ],
    kappa === undefined ? {} : { dbCongestion: kappa },
  );
  return validateRuns(cal, heldOut, args.speed);
}

/** `atlas-cap validate`: Calibrate on some runs and predict others as they were run. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'Calibrate on some runs and predict held-out runs as they were run (measured vs predicted)',
  builder: (yargs: Argv) =>
    yargs
      .option('fit', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Run folders (or folders of them) to calibrate on',
      })
      .option('held-out', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Run folders (or folders of them) to predict',
      })
      .option('knee-probe', {
        type: 'string',
        array: true,
        describe:
          "Run folders near the knee whose target's, k6's and database's CPU join their CPU-at-load curves, and uncontended, the REST base latencies (bench:knee's probe)",
      })
      .option('profile', { type: 'string', describe: 'Refuse runs of any other profile' })
      .option('db-congestion', {
        type: 'number',
        describe: `The rig's database CPU per statement grows by this share per busy pool connection past its cores (0 turns it off; default ${DB_CONGESTION_PER_BUSY_CONNECTION.value}, range ${DB_CONGESTION_PER_BUSY_CONNECTION.range.low}-${DB_CONGESTION_PER_BUSY_CONNECTION.range.high})`,
      })
      .option('speed', {
        choices: ['probe', 'run-cpu'] as const,
        default: 'probe' as const,
        describe:
          "The machine speed each held-out run is predicted at: its syscall probe's (probe), or also the one its own host CPU per iteration shows (run-cpu: its demand, never its latency)",
      })
      .option('mixed-machines', {
        type: 'boolean',
        default: false,
        describe: 'Allow runs measured on different machines (cores, memory, CPU model)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe:
          'Print JSON: { knee: { users, bottleneck }, levels: [{ run, users, measured, predicted }] }',
      }) as unknown as Argv<ValidateArgs>,
  handler: (args) => {
    const report = runValidate(args);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatValidation(report));
  },
};
