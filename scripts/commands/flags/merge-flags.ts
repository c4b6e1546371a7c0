import { z } from 'zod';
import { seconds, userCount } from './values.ts';

/** `atlas-cap merge` flags → its options (policy and profile still names). */
export const MERGE_FLAGS = z.object({
  files: z.array(z.string()).min(1, { error: 'name at least one raw output' }),
  out: z.string(),
  scenario: z.string().optional(),
  users: userCount.optional(),
  policy: z.string(),
  profile: z.string(),
  duration: seconds(1).optional(),
  target: z.string().optional(),
});
