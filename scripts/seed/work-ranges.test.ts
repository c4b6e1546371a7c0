import { describe, expect, it } from 'vitest';
import { BLOCK_USERS } from './row-writer.ts';
import { splitUsers } from './work-ranges.ts';

describe('splitUsers', () => {
  it.each([
    [1, 1],
    [1000, 4],
    [1000, 1],
    [BLOCK_USERS * 3, 7],
    [100_000, 2],
  ])('%i users over %i workers: block-aligned, contiguous, complete', (users, workers) => {
    const ranges = splitUsers(users, workers);
    expect(ranges[0]!.from).toBe(0);
    expect(ranges.at(-1)!.to).toBe(users);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
    for (const r of ranges) expect(r.from % BLOCK_USERS).toBe(0);
    expect(ranges.length).toBeLessThanOrEqual(workers);
  });
});
