import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../../core/usage-error.ts';
import {
  flagName,
  K8S_FLAGS,
  MERGE_FLAGS,
  parseFlags,
  REVIEW_FLAGS,
  RUN_FLAGS,
  SEED_FLAGS,
  SIMULATE_FLAGS,
} from './index.ts';

/** The one line the CLI would print for `args`, or 'ok'. */
function refusal(schema: Parameters<typeof parseFlags>[0], args: object): string {
  try {
    parseFlags(schema, args);
    return 'ok';
  } catch (error) {
    if (!isUsageError(error)) throw error;
    return error.message;
  }
}

// What yargs hands over for each command when only the required flags are given (defaults filled in).
const RUN = {
  scenario: 'delta-sync',
  users: '1000',
  policy: 'fixed',
  profile: 'ci-smoke',
  duration: '60s',
  warmup: '0',
  target: 'local',
  segments: '1',
  schema: 'plain',
  json: false,
};
const SEED = { profile: 'ci-smoke', schema: 'plain', reset: false, workers: '2', json: false };
const SIMULATE = {
  profile: 'launch-10k',
  policy: 'current,fixed,scale',
  users: '1000,10000,100000',
  mode: 'analytic',
  claims: false,
  seed: '1',
  pattern: 'poisson',
  duration: '120',
  'abusive-share': '0',
  'abusive-rate': '1000',
  'base-latency': 'fading',
  json: false,
};
const REVIEW = {
  live: true,
  out: 'reports/out',
  profile: 'ci-smoke',
  policies: 'current,fixed,scale',
  users: '1000,10000,100000',
  liveSeconds: '15',
  json: false,
  sensitivity: true,
  draws: '1000',
  seed: '1',
  knees: 'surface',
};
const K8S = {
  scenario: 'delta-sync',
  parallelism: '2',
  policy: 'fixed',
  profile: 'ci-smoke',
  duration: '60s',
  target: 'http://127.0.0.1:8080',
};
const MERGE = { files: ['a.json.gz'], out: 'out', policy: 'fixed', profile: 'ci-smoke' };

describe('--users, the same rule in every command', () => {
  const single = [
    ['run', RUN_FLAGS, RUN],
    ['seed', SEED_FLAGS, SEED],
    ['k8s', K8S_FLAGS, K8S],
    ['merge', MERGE_FLAGS, MERGE],
  ] as const;
  const lists = [
    ['simulate', SIMULATE_FLAGS, SIMULATE],
    ['review', REVIEW_FLAGS, REVIEW],
  ] as const;

  it.each(single)('%s: one positive integer', (_, schema, base) => {
    expect(refusal(schema, { ...base, users: 'ten' })).toBe("--users: must be a positive integer, got 'ten'");
    expect(refusal(schema, { ...base, users: '-5' })).toBe("--users: must be a positive integer, got '-5'");
    expect(refusal(schema, { ...base, users: '1.5' })).toBe("--users: must be a positive integer, got '1.5'");
    expect(refusal(schema, { ...base, users: '' })).toBe("--users: must be a positive integer, got ''");
    expect(refusal(schema, { ...base, users: '0' })).toBe("--users: must be a positive integer, got '0'");
    expect(refusal(schema, { ...base, users: '1e3' })).toBe("--users: must be a positive integer, got '1e3'");
    expect(refusal(schema, { ...base, users: '10_000' })).toBe('ok');
  });

  it.each(lists)('%s: positive integers, comma-separated', (_, schema, base) => {
    expect(refusal(schema, { ...base, users: 'ten' })).toBe("--users: must be positive integers, got 'ten'");
    expect(refusal(schema, { ...base, users: '-5' })).toBe("--users: must be positive integers, got '-5'");
    expect(refusal(schema, { ...base, users: '1000,1.5' })).toBe(
      "--users: must be positive integers, got '1.5'",
    );
    expect(refusal(schema, { ...base, users: '' })).toBe("--users: must be positive integers, got ''");
    expect(refusal(schema, { ...base, users: '1000,,2000' })).toBe(
      "--users: must be positive integers, got ''",
    );
  });

  it('yields the numbers the options object carries', () => {
    expect(parseFlags(RUN_FLAGS, { ...RUN, users: '10_000' }).users).toBe(10_000);
    expect(parseFlags(SEED_FLAGS, SEED).users).toBeUndefined();
    expect(parseFlags(SIMULATE_FLAGS, { ...SIMULATE, users: '1000, 10_000' }).users).toEqual([1000, 10_000]);
    expect(parseFlags(REVIEW_FLAGS, { ...REVIEW, users: [100, 200] }).users).toEqual([100, 200]);
  });
});

describe('the other flags name themselves and what is allowed', () => {
  it('run', () => {
    const options = parseFlags(RUN_FLAGS, { ...RUN, duration: '2m', warmup: '10s', out: 'x' });
    expect(options).toMatchObject({ durationSeconds: 120, warmupSeconds: 10, outDir: 'x', segments: 1 });
    expect(refusal(RUN_FLAGS, { ...RUN, duration: '0' })).toBe(
      "--duration: must be a whole number of seconds from 1 to 3600 (60, 60s, 2m, 1h), got '0'",
    );
    expect(refusal(RUN_FLAGS, { ...RUN, warmup: '2h' })).toBe(
      "--warmup: must be a whole number of seconds from 0 to 3600 (60, 60s, 2m, 1h), got '2h'",
    );
    expect(refusal(RUN_FLAGS, { ...RUN, segments: '17' })).toBe(
      "--segments: must be a whole number from 1 to 16, got '17'",
    );
    expect(parseFlags(RUN_FLAGS, { ...RUN, busyCores: '1' }).busyCores).toBe(1);
    expect(refusal(RUN_FLAGS, { ...RUN, busyCores: '0' })).toMatch(
      /^--busy-cores: must be a whole number from 1 to \d+, got '0'$/,
    );
    expect(refusal(RUN_FLAGS, { ...RUN, fault: 'meteor' })).toBe(
      "--fault: must be one of connections-cut, restart-db, redis-down, slow-queries, pool-burst, got 'meteor'",
    );
    expect(refusal(RUN_FLAGS, { ...RUN, schema: 'sharded' })).toBe(
      "--schema: must be one of plain, partitioned, got 'sharded'",
    );
  });

  it('seed', () => {
    expect(refusal(SEED_FLAGS, { ...SEED, seed: '-1' })).toBe(
      "--seed: must be a whole number >= 0, got '-1'",
    );
    expect(refusal(SEED_FLAGS, { ...SEED, workers: '0' })).toBe(
      "--workers: must be a whole number >= 1, got '0'",
    );
    expect(refusal(SEED_FLAGS, { ...SEED, 'as-of': 'yesterday' })).toBe(
      "--as-of: must be 'now' or an ISO time, got 'yesterday'",
    );
    expect(parseFlags(SEED_FLAGS, { ...SEED, 'as-of': '2025-06-01T00:00:00.700Z' }).asOf).toEqual(
      new Date('2025-06-01T00:00:00Z'),
    );
  });

  it('simulate', () => {
    expect(refusal(SIMULATE_FLAGS, { ...SIMULATE, mode: 'exact' })).toBe(
      "--mode: must be one of analytic, des, got 'exact'",
    );
    expect(refusal(SIMULATE_FLAGS, { ...SIMULATE, 'abusive-share': '1.5' })).toBe(
      "--abusive-share: must be a share between 0 and 1, got '1.5'",
    );
    expect(refusal(SIMULATE_FLAGS, { ...SIMULATE, policy: ' , ' })).toBe(
      '--policy: name at least one policy',
    );
    expect(refusal(SIMULATE_FLAGS, { ...SIMULATE, 'base-latency': 'curvy' })).toBe(
      "--base-latency: must be one of fading, flat, got 'curvy'",
    );
  });

  it('review', () => {
    expect(refusal(REVIEW_FLAGS, { ...REVIEW, liveSeconds: '601' })).toBe(
      "--live-seconds: must be a whole number from 1 to 600, got '601'",
    );
    expect(refusal(REVIEW_FLAGS, { ...REVIEW, knees: 'guess' })).toBe(
      "--knees: must be one of surface, exact, got 'guess'",
    );
    expect(parseFlags(REVIEW_FLAGS, { ...REVIEW, knees: 'exact' }).knees).toBe('exact');
  });

  it('k8s: the target and the database must be loopback or allowed', () => {
    expect(refusal(K8S_FLAGS, { ...K8S, target: 'local' })).toBe(
      "--target: must be an http(s) URL, got 'local'",
    );
    expect(refusal(K8S_FLAGS, { ...K8S, target: 'https://staging.example.com' })).toBe(
      '--target: host staging.example.com is not loopback; pass --allow-remote staging.example.com to use it',
    );
    expect(refusal(K8S_FLAGS, { ...K8S, databaseUrl: 'postgres://u:pw@db.example.com/atlas' })).toBe(
      '--database-url: host db.example.com is not loopback; pass --allow-remote db.example.com to use it',
    );
    expect(refusal(K8S_FLAGS, { ...K8S, parallelism: '0' })).toBe(
      "--parallelism: must be a whole number from 1 to 1000, got '0'",
    );
  });

  it('flag names are the dashed forms of the option keys', () => {
    expect(flagName('usersCsv')).toBe('--users-csv');
    expect(flagName('abusive-share')).toBe('--abusive-share');
  });
});
