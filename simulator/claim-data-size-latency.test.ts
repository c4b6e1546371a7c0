import { describe, expect, it } from 'vitest';
import type { Profile } from '../core/profile.ts';
import type { RunRecord } from '../core/run-record.ts';
import { loadReadinessClaims } from '../scripts/inputs/readiness-claims.ts';
import { syntheticDatabase, syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import type { ClaimsContext } from './claim.ts';
import { evaluateClaim } from './claims.ts';
import { dataSizePoints } from './data-size.ts';

// The analysis's "with partitioning: constant performance (~100-200ms queries)" judged from synthetic
// table-size run records; every expected figure is worked by hand beside it.

const claim = loadReadinessClaims().find((c) => c.id === 'A-partitioned-latency')!;

// launch-10k's shape: 50 conversations × 8 messages a user seeded; 15,000 users → 6,000,000 messages,
// 30,000 → 12,000,000.
const shape = {
  name: 'launch-10k',
  users: 10_000,
  conversationsPerUser: { mean: 50, max: 200 },
  messagesPerConversation: { mean: 8, max: 80, reference: 100 },
};

const summary = (p95: number) => ({
  count: 300,
  errorRate: 0,
  statuses: { '200': 300 },
  mean: p95 / 2,
  p50: p95 / 2,
  p95,
  p99: p95,
  max: p95,
});

/** A table-size record: its schema, users, messages p95 (null: no messages query) and database time. */
const record = (
  schema: 'plain' | 'partitioned',
  users: number,
  p95: number | null,
  msPerSync: number,
  readMs = 0.4,
): RunRecord =>
  syntheticRunRecord({
    id: `${schema}-${users}`,
    scenario: 'table-size',
    users,
    profile: shape,
    target: { kind: 'local', url: 'http://127.0.0.1:0', schema },
    endpoints: p95 === null ? {} : { 'rest.messages': summary(p95) },
    iterations: { completed: 300, dropped: 0, rate: 5, targetRate: 5 },
    sync: { mode: 'delta', queriesPerSync: 3, dbTimeMsPerSync: msPerSync, requestsPerSync: 3 },
    queryKinds: p95 === null ? {} : { 'select.messages': { calls: 300, meanMs: readMs } },
    database: syntheticDatabase({
      blocksHit: 3000,
      blocksRead: 30,
      hitRatio: 0.99,
      sizeBytes: users * 275_000,
    }),
  });

const ctx = (runs: Record<string, RunRecord>): ClaimsContext => ({
  profile: shape as unknown as Profile,
  policies: {},
  modelFor: () => {
    throw new Error('not used by data-size claims');
  },
  dataSizePoints: dataSizePoints(Object.entries(runs).map(([name, r]) => ({ name, record: r }))),
});

describe('the partitioned latency claim, from table-size runs', () => {
  it('reads as a data-size-latency claim on the partitioned schema, 100-200 ms, "~" as ±50%', () => {
    expect(claim.kind).toBe('data-size-latency');
    expect(claim.assumptions.schema).toBe('partitioned');
    expect(claim.claimed).toEqual([100, 200]);
    expect(claim.tolerance).toBe(0.5);
  });

  it('is refuted by a 5.7 ms messages p95 at the largest partitioned size, with the sizes and plain beside it', () => {
    const e = evaluateClaim(
      claim,
      ctx({
        'part-6m': record('partitioned', 15_000, 7.9, 1.034, 0.4),
        'part-12m': record('partitioned', 30_000, 5.7, 1.107, 0.45),
        'plain-12m': record('plain', 30_000, 5.0, 0.717),
      }),
    );
    // 5.7 ms at 12,000,000 messages; 100-200 ms at ±50% starts at 50 ms: not met.
    expect(e.verdict).toBe('assumption');
    expect(e.profile.value).toBe(5.7);
    // (5.7 − 100) / 100 = −0.943.
    expect(e.difference).toBeCloseTo(-0.943, 12);
    expect(e.reason).toBe(
      'measured 5.7 ms at 12,000,000 messages, not 100-200 ms, from partitioned table-size runs, messages query p95 ' +
        '(database time per messages statement, per sync): 7.9 ms at 6,000,000 messages (0.400 ms, 1.03 ms; part-6m), ' +
        '5.7 ms at 12,000,000 messages (0.450 ms, 1.11 ms; part-12m). ' +
        // 1.107 / 1.034 = 1.0706; 1.107 / 0.717 = 1.5439.
        'Database time per sync 1.07× from 6,000,000 to 12,000,000 messages. ' +
        'Plain at the same size: p95 5 ms, 0.717 ms per sync (partitioned 1.54×; plain-12m)',
    );
  });

  it('holds at 150 ms, the mean of the runs at the largest size', () => {
    const e = evaluateClaim(
      claim,
      ctx({
        a: record('partitioned', 30_000, 120, 2),
        b: record('partitioned', 30_000, 180, 2),
      }),
    );
    // (120 + 180) / 2 = 150 ms: inside 100-200.
    expect(e.verdict).toBe('holds');
    expect(e.profile.value).toBe(150);
    expect(e.difference).toBe(0);
    expect(e.reason).toMatch(/^measured 150 ms at 12,000,000 messages, within 100-200 ms, from partitioned/);
  });

  it('stays not-modelled, naming what is missing, without partitioned runs that sent a messages query', () => {
    const none = evaluateClaim(claim, ctx({ 'plain-12m': record('plain', 30_000, 5.0, 0.717) }));
    expect(none.verdict).toBe('not-modelled');
    expect(none.profile.value).toBeNull();
    expect(none.reason).toMatch(
      /^not measured: needs partitioned table-size runs \(their messages query p95\)/,
    );
    expect(none.reason).toContain('atlas-cap run table-size --profile launch-10k --schema partitioned');
    const silent = evaluateClaim(claim, ctx({ 'part-old': record('partitioned', 15_000, null, 1) }));
    expect(silent.verdict).toBe('not-modelled');
    expect(silent.reason).toMatch(
      /^not measured: partitioned table-size runs part-old sent no messages query; needs partitioned/,
    );
  });
});
