import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { FAULTS } from '../../run/faults.ts';
import { MAX_DURATION_S, MAX_SEGMENTS } from '../../run/run-options.ts';
import { oneOf, seconds, userCount, wholeNumber } from './values.ts';

/** The numbers of a run, as `runScenario` checks them too (the library takes numbers, the CLI text). */
export const RUN_NUMBERS = z.object({
  users: userCount,
  duration: seconds(1, MAX_DURATION_S),
  warmup: seconds(0, MAX_DURATION_S),
  segments: wholeNumber(1, MAX_SEGMENTS),
});

/** `atlas-cap run` flags → the options of `runScenario` (policy and profile still names). */
export const RUN_FLAGS = RUN_NUMBERS.extend({
  scenario: z.string(),
  policy: z.string(),
  profile: z.string(),
  databaseUrl: z.string().optional(),
  allowRemote: z.string().optional(),
  target: z.string(),
  schema: oneOf(['plain', 'partitioned']),
  /** Cores the embedded database server is limited to (taskset); this machine's cores at most. */
  dbCores: wholeNumber(1, availableParallelism()).optional(),
  /** Cores kept from idling during the run (spinners at SCHED_IDLE, busy-cores.ts); this machine's at most. */
  busyCores: wholeNumber(1, availableParallelism()).optional(),
  fault: oneOf(FAULTS).optional(),
  redisUrl: z.string().optional(),
  out: z.string().optional(),
  json: z.boolean(),
}).transform(({ duration, warmup, out, ...rest }) => ({
  ...rest,
  durationSeconds: duration,
  warmupSeconds: warmup,
  outDir: out,
}));
