import { z } from 'zod';
import { assignments, nameList, oneOf, share, userCounts, wholeNumber } from './values.ts';

/** Arrival patterns of the DES, by their `--pattern` name. */
export const PATTERN_NAMES = ['poisson', 'timers', 'herd', 'diurnal'] as const;

/** `atlas-cap simulate` flags → its options (profile and policies still names). */
export const SIMULATE_FLAGS = z.object({
  profile: z.string(),
  policy: nameList('policy'),
  users: userCounts,
  mode: oneOf(['analytic', 'des']),
  calibration: z.array(z.string()).optional(),
  claims: z.boolean(),
  seed: wholeNumber(0),
  pattern: oneOf(PATTERN_NAMES),
  duration: wholeNumber(10),
  abusiveShare: share,
  abusiveRate: wholeNumber(1),
  rig: z.boolean().optional(),
  baseLatency: oneOf(['fading', 'flat']),
  /** Checked against the scenarios by `runSimulate` (which of them the model predicts). */
  scenario: z.string().optional(),
  /** `--set name=value`, repeated: the model's assumptions (simulator/assumptions.ts). */
  set: assignments,
  json: z.boolean(),
});

/** What {@link SIMULATE_FLAGS} yields. */
export type SimulateFlags = z.output<typeof SIMULATE_FLAGS>;
