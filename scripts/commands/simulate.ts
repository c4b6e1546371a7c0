import type { Argv, CommandModule } from 'yargs';
import type { Policy } from '../../core/policy.ts';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { UsageError } from '../../core/usage-error.ts';
import type {
  ClaimEvaluation,
  DesPattern,
  SeedCostEstimate,
  SimulationMode,
  SimulationResult,
} from '../../simulator/index.ts';
import {
  calibrate,
  DIURNAL_RAMP,
  evaluateClaims,
  formatClaims,
  formatSimulation,
  JITTERED_TIMERS,
  modelFor,
  POISSON,
  PREDICTABLE_SCENARIOS,
  seedCostEstimates,
  simulate,
  simulateScenario,
  THUNDERING_HERD,
} from '../../simulator/index.ts';
import { calibrationRuns, dataSizeInputs, resolveAssumptions } from '../inputs/model-inputs.ts';
import { loadPricing } from '../inputs/pricing.ts';
import { loadReadinessClaims } from '../inputs/readiness-claims.ts';
import { readRunRecords } from '../inputs/run-records.ts';
import { SCENARIOS } from '../run/plan.ts';
import { type PATTERN_NAMES, parseFlags, SIMULATE_FLAGS } from './flags/index.ts';

/** Flags of `atlas-cap simulate`, as yargs parses them. */
export interface SimulateArgs {
  profile: string;
  policy: string;
  users: string;
  mode: string;
  calibration?: string[];
  claims: boolean;
  seed: string;
  pattern: string;
  duration: string;
  'abusive-share': string;
  'abusive-rate': string;
  /** Predict the measuring machine (target, database, k6 on its cores) instead of a deployment. */
  rig?: boolean;
  /** Shape of the calibrated base latency against load: fading (default) or flat. */
  'base-latency': string;
  json: boolean;
  /** `--set name=value`, repeated: load, upstream and language-model assumptions (simulator/assumptions.ts). */
  set?: string[] | string;
  /** Predict exactly the traffic `atlas-cap run SCENARIO` sends (simulator/scenario-load.ts). */
  scenario?: string;
}

const PATTERNS: Record<(typeof PATTERN_NAMES)[number], DesPattern> = {
  poisson: POISSON,
  timers: JITTERED_TIMERS,
  herd: THUNDERING_HERD,
  diurnal: DIURNAL_RAMP,
};

/** Parses `--users 1000,10000,100000` (whole numbers, at least one). */
export function parseUsers(value: string): number[] {
  return parseFlags(SIMULATE_FLAGS.pick({ users: true }), { users: value }).users;
}

/** Everything `simulate` computes, before printing. */
export interface SimulateOutput {
  result: SimulationResult;
  claims: ClaimEvaluation[] | null;
  /** The seed documents' monthly costs (from their claims), printed beside the predicted ones. */
  seedCosts: SeedCostEstimate[];
}

/** Validates the flags, reads every input, then simulates (nothing is printed before all input is valid). */
export function runSimulate(args: SimulateArgs): SimulateOutput {
  const flags = parseFlags(SIMULATE_FLAGS, args);
  const mode: SimulationMode = flags.mode;
  const profile = loadProfile(flags.profile);
  const policies = flags.policy.map((n) => loadPolicy(n, '--policy'));
  const { users, seed, duration } = flags;
  const scenario = flags.scenario === undefined ? null : flags.scenario;
  if (scenario !== null && !(SCENARIOS as readonly string[]).includes(scenario))
    throw new UsageError('--scenario', `unknown scenario '${scenario}' (known: ${SCENARIOS.join(', ')})`);
  if (scenario !== null && !(PREDICTABLE_SCENARIOS as readonly string[]).includes(scenario))
    throw new UsageError(
      '--scenario',
      `${scenario} sends probes, not a workload the model predicts (one of ${PREDICTABLE_SCENARIOS.join(', ')})`,
    );
  if (scenario !== null && flags.abusiveShare > 0)
    throw new UsageError(
      '--abusive-share',
      'the scenario sets the abuse (rate-limit: its abusive users); leave it out',
    );
  const pricing = loadPricing();
  // --set values are checked by the flag schema; the profile's and the pair p95 >= median here.
  const assumptions = resolveAssumptions(profile, pricing, flags.set);
  // The same run filter as `review` (newest per scenario/users/policy of this profile, steady, no faults).
  const read =
    flags.calibration && flags.calibration.length > 0
      ? readRunRecords(flags.calibration, '--calibration')
      : [];
  const runs = calibrationRuns(read, profile.name);
  const calibration = calibrate(runs, { baseLatency: flags.baseLatency });
  const otherProfiles = read.filter((r) => r.record.profile.name !== profile.name).length;
  if (otherProfiles > 0)
    calibration.notes.push(
      `${otherProfiles} run record(s) of other profiles left out: the model predicts profile ${profile.name} (as review does)`,
    );
  if (flags.rig && !calibration.cpu)
    throw new UsageError('--rig', 'needs --calibration runs that measured CPU (run records with `cpu`)');
  const readiness = loadReadinessClaims();
  const claimsList = flags.claims ? readiness : null;
  const { points, input: dataSize } = dataSizeInputs(runs, read);
  const input = {
    profile,
    policies,
    users,
    mode,
    // The load assumptions define what N registered users do; a scenario reproduces what k6 sends instead.
    ...(scenario === null ? { assumptions } : {}),
    abuse: { share: flags.abusiveShare, messagesPerMinute: flags.abusiveRate, tiers: ['free' as const] },
    calibration,
    // The rig is the measuring machine, not something to price.
    ...(flags.rig && calibration.cpu ? { rig: { cores: calibration.cpu.rigCores } } : { pricing }),
    // N users' workload at the data size N users hold; a scenario's traffic is the run's, on its seed.
    ...(scenario === null ? { dataSize } : {}),
    seed,
    des: {
      pattern: PATTERNS[flags.pattern],
      durationSeconds: duration,
      warmupSeconds: Math.min(20, Math.floor(duration / 5)),
    },
  };
  const result = scenario === null ? simulate(input) : simulateScenario(input, scenario);
  let claims: ClaimEvaluation[] | null = null;
  if (claimsList) {
    const byName: Record<string, Policy> = Object.fromEntries(policies.map((p) => [p.name, p]));
    for (const c of claimsList) if (!byName[c.policy]) byName[c.policy] = loadPolicy(c.policy, '--claims');
    claims = evaluateClaims(claimsList, {
      profile,
      policies: byName,
      pricing,
      modelFor: (p) => modelFor(input, p),
      dataSizePoints: points,
    });
  }
  return { result, claims, seedCosts: seedCostEstimates(readiness) };
}

/** The text `simulate` prints. */
export function formatSimulateOutput(out: SimulateOutput): string {
  return (
    formatSimulation(out.result, out.seedCosts) +
    (out.claims
      ? `\nClaims of the seed documents (fixtures/targets/readiness.yaml):\n\n${formatClaims(out.claims)}`
      : '')
  );
}

/** `atlas-cap simulate`: Predict capacity and cost at any number of users. */
export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate',
  describe: 'Predict capacity and cost at any number of users',
  builder: (yargs: Argv) =>
    yargs
      .option('profile', {
        type: 'string',
        default: 'launch-10k',
        describe: 'Workload profile (fixture name or YAML path)',
      })
      .option('policy', {
        type: 'string',
        default: 'current,fixed,scale',
        describe: 'Policies, comma-separated',
      })
      .option('users', {
        type: 'string',
        default: '1000,10000,100000',
        describe: 'Numbers of users, comma-separated',
      })
      .option('mode', {
        type: 'string',
        default: 'analytic',
        describe: 'analytic (closed-form queueing) or des (discrete-event simulation)',
      })
      .option('calibration', {
        type: 'string',
        array: true,
        describe: 'Run-record folders (or folders of them) to calibrate from',
      })
      .option('claims', {
        type: 'boolean',
        default: false,
        describe: "Evaluate the seed documents' claims (fixtures/targets/readiness.yaml)",
      })
      .option('seed', { type: 'string', default: '1', describe: 'DES seed' })
      .option('pattern', {
        type: 'string',
        default: 'poisson',
        describe: 'DES arrivals: poisson, timers (jittered), herd (synchronised after a deploy), diurnal',
      })
      .option('duration', { type: 'string', default: '120', describe: 'DES simulated seconds per point' })
      .option('abusive-share', {
        type: 'string',
        default: '0',
        describe:
          'Stress case: share of online free users sending /api/message abusively (added to the load; 429 shares per tier)',
      })
      .option('abusive-rate', {
        type: 'string',
        default: '1000',
        describe: "Abusive users' sends per minute",
      })
      .option('rig', {
        type: 'boolean',
        default: false,
        describe:
          'Predict the machine the calibration runs measured on (its cores shared by target, database and k6)',
      })
      .option('base-latency', {
        type: 'string',
        default: 'fading',
        describe:
          'Calibrated latency with no queue wait: fading (floor + fade / load, from runs of one scenario at several loads) or flat',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print JSON instead of tables',
      })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'Set an assumption, repeatable: --set peakConcurrentShare=0.3 (names: docs/simulator.md)',
      })
      .option('scenario', {
        type: 'string',
        describe:
          'Predict exactly the traffic `atlas-cap run SCENARIO` sends (full-sync, delta-sync, launch-mix, rate-limit)',
      }) as unknown as Argv<SimulateArgs>,
  handler: (args) => {
    const out = runSimulate(args);
    process.stdout.write(args.json ? `${JSON.stringify(out, null, 2)}\n` : formatSimulateOutput(out));
  },
};
