import { describe, expect, it } from 'vitest';
import { reproduceCommand } from './reproduce-command.ts';

describe('reproduceCommand', () => {
  it('spells out every input that decides the tables', () => {
    expect(
      reproduceCommand({
        profile: 'ci-smoke',
        users: 1000,
        seed: 20251107,
        asOf: '2025-06-01T00:00:00.000Z',
        schema: 'plain',
      }),
    ).toBe(
      'atlas-cap seed --profile ci-smoke --users 1000 --seed 20251107 --as-of 2025-06-01T00:00:00Z --schema plain',
    );
  });

  it('quotes a profile path a shell would split', () => {
    expect(
      reproduceCommand({
        profile: "/tmp/my profile's.yaml",
        users: 5,
        seed: 0,
        asOf: '2025-06-01T12:34:56.000Z',
        schema: 'partitioned',
      }),
    ).toBe(
      "atlas-cap seed --profile '/tmp/my profile'\\''s.yaml' --users 5 --seed 0 --as-of 2025-06-01T12:34:56Z --schema partitioned",
    );
  });
});
