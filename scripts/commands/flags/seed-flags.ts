import { z } from 'zod';
import { instant, oneOf, userCount, wholeNumber } from './values.ts';

/** `atlas-cap seed` flags → the seed command's options (the profile still a name). */
export const SEED_FLAGS = z.object({
  profile: z.string(),
  users: userCount.optional(),
  seed: wholeNumber(0).optional(),
  asOf: instant().optional(),
  databaseUrl: z.string().optional(),
  allowRemote: z.string().optional(),
  schema: oneOf(['plain', 'partitioned']),
  reset: z.boolean(),
  workers: wholeNumber(1),
  export: z.string().optional(),
  json: z.boolean(),
});

/** What {@link SEED_FLAGS} yields. */
export type SeedFlags = z.output<typeof SEED_FLAGS>;
