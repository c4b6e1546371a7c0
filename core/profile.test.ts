import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from './load-yaml-config.ts';
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

  it('refuses a field the schema does not know, so a typo never leaves a default silently in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-profile-'));
    const smoke = readFileSync(fixturePath('profiles', 'ci-smoke'), 'utf8');
    // `seed` is optional (default 1): misspelt, zod alone would drop it and seed with 1.
    const typo = join(dir, 'typo.yaml');
    expect(smoke).toMatch(/^seed: \d+$/m);
    writeFileSync(typo, smoke.replace(/^seed: \d+$/m, 'seeed: 5'));
    expect(usageMessage(() => loadProfile(typo))).toMatch(
      /typo\.yaml: field seeed: not a field of a profile here \(allowed: .*\bseed\b.*\)$/,
    );
    // Nested: within activity.active.
    const nested = join(dir, 'nested.yaml');
    writeFileSync(nested, smoke.replace(/withinHours:/, 'withinHour:'));
    expect(smoke).toMatch(/withinHours:/);
    expect(usageMessage(() => loadProfile(nested))).toMatch(/field activity\.\w+\.withinHour: not a field/);
    // A required field misspelt: the missing one is named, and the misspelling beside it.
    const policy = readFileSync(fixturePath('policies', 'current'), 'utf8');
    expect(policy).toMatch(/maxSockets:/);
    const misspelt = join(dir, 'policy.yaml');
    writeFileSync(misspelt, policy.replace('maxSockets:', 'maxSocket:'));
    expect(usageMessage(() => loadPolicy(misspelt))).toMatch(
      /policy\.yaml: field upstream\.maxSockets: .*; upstream\.maxSocket is not a field here \(a typo\?\)$/,
    );
    // The same file with the field spelt right loads.
    writeFileSync(typo, smoke.replace(/^seed: \d+$/m, 'seed: 5'));
    expect(loadProfile(typo).seed).toBe(5);
  });
});
