import { z } from 'zod';
import { assignments, nameList, oneOf, userCounts, wholeNumber } from './values.ts';

/** `atlas-cap review` flags → the options of `runReview` (runs not yet resolved to absolute paths). */
export const REVIEW_FLAGS = z.object({
  live: z.boolean(),
  runs: z.array(z.string()).optional(),
  out: z.string(),
  profile: z.string(),
  policies: nameList('policy'),
  users: userCounts,
  liveSeconds: wholeNumber(1, 600),
  databaseUrl: z.string().optional(),
  /** `--set name=value`, repeated: the model's assumptions (simulator/assumptions.ts). */
  set: assignments,
  json: z.boolean(),
  /** Tornado, flip points, Monte Carlo and the what-if (`--no-sensitivity` skips them). */
  sensitivity: z.boolean(),
  /** Monte Carlo draws over the assumptions' ranges, and its seed. */
  draws: wholeNumber(1, 100_000),
  seed: wholeNumber(0, 2_147_483_647),
  /** The Monte Carlo's knee per draw: the response surface (fast) or an exact search with the rule. */
  knees: oneOf(['surface', 'exact']),
});
