import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from './policy.ts';
import { loadProfile } from './profile.ts';
import { isUsageError } from './usage-error.ts';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isUsageError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('fixtures', () => {
  it('loads every shipped profile and policy', () => {
    for (const name of ['ci-smoke', 'launch-10k', 'scale-100k']) expect(loadProfile(name).name).toBe(name);
    expect(loadProfile('launch-10k').users).toBe(10000);
    for (const name of ['current', 'fixed', 'scale']) expect(loadPolicy(name).name).toBe(name);
    expect(loadPolicy('current').upstream.maxSockets).toBe(50);
    expect(loadPolicy('fixed').rateLimit.perUser).toEqual({ windowSeconds: 60, free: 20, paid: 100 });
  });

  it('names the file and the field of a bad profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-profile-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'users: -5\n');
    expect(usageMessage(() => loadProfile(file))).toMatch(/bad\.yaml: field users/);
    writeFileSync(file, 'users: [unclosed\n');
    expect(usageMessage(() => loadProfile(file))).toMatch(
      /bad\.yaml: is not valid YAML: .* at line \d+, column \d+$/,
    );
    expect(usageMessage(() => loadProfile('no-such-profile'))).toMatch(
      /--profile: unknown profile 'no-such-profile'/,
    );
  });
});
