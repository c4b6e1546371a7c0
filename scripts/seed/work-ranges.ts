import { BLOCK_USERS } from './row-writer.ts';

/** A contiguous range of user indexes [from, to). */
export interface UserRange {
  from: number;
  to: number;
}

/**
 * Splits `users` into `workers` contiguous, block-aligned ranges (faker is reseeded per block, so a
 * range must start at a block boundary for the data not to depend on the worker count).
 */
export function splitUsers(users: number, workers: number): UserRange[] {
  const blocks = Math.ceil(users / BLOCK_USERS);
  const ranges: UserRange[] = [];
  for (let w = 0; w < workers; w++) {
    const from = Math.min(users, Math.floor((w * blocks) / workers) * BLOCK_USERS);
    const to = Math.min(users, Math.floor(((w + 1) * blocks) / workers) * BLOCK_USERS);
    if (to > from) ranges.push({ from, to });
  }
  return ranges;
}
