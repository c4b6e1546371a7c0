import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { RUN_FILES, type RunRecord, RunRecordSchema, type SeriesSample } from '../core/run-record.ts';
import { runScenario } from '../scripts/run/run-scenario.ts';
import { workloadAt } from '../simulator/index.ts';
import { type7Quantile } from './support/reference-quantile.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

const profile = loadProfile('ci-smoke');
const current = loadPolicy('current');

/**
 * Raw request durations of one endpoint in the measured windows of a run's segments (the record's
 * `k6.windows`; a sample's segment is its `segment` tag, 0 without one), read straight from the run's
 * k6.json.gz (independent of the merge).
 */
function rawDurations(dir: string, record: RunRecord, endpoint: string): number[] {
  const windows = record.k6.windows!.map((w) => [Date.parse(w.from), Date.parse(w.until)] as const);
  const text = gunzipSync(readFileSync(join(dir, RUN_FILES.rawK6))).toString('utf8');
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"http_req_duration"')) continue;
    const p = JSON.parse(line) as {
      type: string;
      data: { time: string; value: number; tags: { name?: string; segment?: string } };
    };
    if (p.type !== 'Point' || p.data.tags.name !== endpoint) continue;
    const [from, until] = windows[Number(p.data.tags.segment ?? 0)]!;
    const t = Date.parse(p.data.time);
    if (t >= from && t < until) out.push(p.data.value);
  }
  return out;
}

/** Epoch ms (Date.parse: whole ms, floored) of one endpoint's requests in a run's k6.json.gz. */
function rawTimes(dir: string, endpoint: string): number[] {
  const text = gunzipSync(readFileSync(join(dir, RUN_FILES.rawK6))).toString('utf8');
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"http_req_duration"')) continue;
    const p = JSON.parse(line) as { type: string; data: { time: string; tags: { name?: string } } };
    if (p.type === 'Point' && p.data.tags.name === endpoint) out.push(Date.parse(p.data.time));
  }
  return out;
}

describe('atlas-cap run on the local target (ci-smoke, 1000 users)', await needs('PostgreSQL', 'k6'), () => {
  let db: ScratchDatabase;
  const out = mkdtempSync(join(tmpdir(), 'atlas-run-'));
  // The delta-sync run is set up here, not in its test: the full-sync test compares against it, and
  // no test may depend on an earlier one having run.
  let delta: { dir: string; record: RunRecord };

  beforeAll(async () => {
    db = await createScratchDatabase('atlas_run');
    delta = await runScenario({
      scenario: 'delta-sync',
      users: 1000,
      policy: current,
      profile,
      durationSeconds: 15,
      databaseUrl: db.url,
      target: 'local',
      outDir: join(out, 'delta'),
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('delta-sync: achieved syncs within one per k6 stream of the open model, nothing dropped, pool sampled every second', async () => {
    const { dir, record } = delta;
    expect(RunRecordSchema.parse(JSON.parse(readFileSync(join(dir, RUN_FILES.record), 'utf8')))).toEqual(
      record,
    );
    const workload = workloadAt(profile, { ...current, sync: { ...current.sync, mode: 'delta' } }, 1000);
    const implied = workload.syncsPerSecond;
    expect(record.arrivalRates.sync).toBeCloseTo(implied, 9);
    expect(record.iterations.dropped).toBe(0);
    // k6 runs one constant-arrival-rate stream per activity class; each schedules its rate × 15 s
    // iterations to within one at the window's edges (where its first and last fall), and its arrival
    // spread (one beat at most, scenarios/lib/arrival-spread.ts) can carry one more across the window's
    // start: 50 ± 6 here, so a share (5 % = 2.5 iterations) would fail on the edges alone.
    const streams = Object.values(workload.syncsPerSecondByClass).filter((r) => r > 0).length;
    expect(streams).toBe(3);
    expect(Math.abs(record.iterations.completed - implied * 15)).toBeLessThanOrEqual(2 * streams);
    // Each iteration waited its arrival delay, uniform over at most one beat (at most 1 s) of its stream.
    expect(record.iterations.meanArrivalDelayMs).toBeGreaterThan(0);
    expect(record.iterations.meanArrivalDelayMs).toBeLessThan(1000);
    const series = JSON.parse(readFileSync(join(dir, RUN_FILES.series), 'utf8')) as SeriesSample[];
    const withPool = series.filter((s) => s.pool !== null).length;
    expect(series.length).toBeGreaterThanOrEqual(15);
    expect(withPool).toBeGreaterThanOrEqual(13);
    expect(record.sync?.mode).toBe('delta');
    expect(record.sync!.queriesPerSync).toBeGreaterThan(0.9);
    expect(record.endpoints['rest.conversations']!.count).toBe(record.iterations.completed);
    expect(record.loadGenerator.maxVUs).toBeGreaterThan(0);
    // Its syncs as chains: completed iterations per k6 scenario, and how long one lasted.
    const byScenario = record.iterations.byScenario!;
    expect(Object.keys(byScenario).every((n) => n.startsWith('sync_'))).toBe(true);
    expect(Object.values(byScenario).reduce((a, b) => a + b, 0)).toBe(record.iterations.completed);
    expect(record.iterations.meanDurationMs).toBeGreaterThan(0);
    expect(record.iterations.meanDurationMs).toBeLessThan(5000);
    // The database's own activity: pages hit or read by the syncs, its size beside shared_buffers.
    expect(record.database!.blocksHit + record.database!.blocksRead).toBeGreaterThan(0);
    expect(record.database!.sizeBytes).toBeGreaterThan(0);
    expect(record.database!.sharedBuffersBytes).toBeGreaterThan(0);
    expect(JSON.stringify(record)).not.toContain('super-secret');
  });

  it('full-sync costs at least 10x the queries of delta-sync per sync; a warm-up is left out of the record', async () => {
    const { dir, record } = await runScenario({
      scenario: 'full-sync',
      users: 1000,
      policy: current,
      profile,
      durationSeconds: 10,
      warmupSeconds: 5,
      databaseUrl: db.url,
      target: 'local',
      outDir: join(out, 'full'),
    });
    // 3.33 syncs/s: ~33 in the measured 10 s; the warm-up's ~17 more would show as +50%.
    expect(record.warmupSeconds).toBe(5);
    expect(
      Math.abs(record.iterations.rate - record.arrivalRates.sync!) / record.arrivalRates.sync!,
    ).toBeLessThan(0.15);
    // One k6 run: its raw output holds the warm-up's syncs (~17) before the window's start, which the
    // record leaves out, and what k6 finished in its graceful stop after the window's end, also left
    // out; it counts exactly the requests in the window: 10 s from its start.
    const from = Date.parse(record.measuredFrom!);
    const until = Date.parse(record.k6.windows![0]!.until);
    expect(until - from).toBe(10_000);
    const times = rawTimes(dir, 'rest.conversations');
    const inWindow = times.filter((t) => t >= from && t < until).length;
    expect(times.filter((t) => t < from).length).toBeGreaterThan(10);
    expect(record.endpoints['rest.conversations']!.count).toBe(inWindow);
    // A sync straddling the cut has its first request in the warm-up and its end in the window.
    expect(
      Math.abs(record.endpoints['rest.conversations']!.count - record.iterations.completed),
    ).toBeLessThanOrEqual(1);
    // The per-second series covers the window, not the 5 s before it: its seconds hold exactly the raw
    // requests of the window (the warm-up's ~17 would add half again). Its length is the window and
    // however long the collector took to take its last sample after it (on a slow CI machine, seconds),
    // so only its lower end is fixed. The window starts 5 s after k6's load (its first request),
    // however long k6's start took.
    const series = JSON.parse(readFileSync(join(dir, RUN_FILES.series), 'utf8')) as SeriesSample[];
    expect(series.length).toBeGreaterThanOrEqual(10);
    expect(series.reduce((sum, s) => sum + (s.endpoints['rest.conversations']?.count ?? 0), 0)).toBe(
      inWindow,
    );
    expect(from - Math.min(...times)).toBeGreaterThan(4000);
    expect(from - Math.min(...times)).toBeLessThan(5500);
    expect(record.sync?.mode).toBe('full');
    expect(record.sync!.queriesPerSync).toBeGreaterThanOrEqual(10 * delta.record.sync!.queriesPerSync!);
    expect(record.sync!.requestsPerSync).toBeGreaterThan(profile.conversationsPerUser.mean / 2);
    // Every push is on one of its two paths (k6's batch tag): ~33 pushes, each with a row 5 % of the time.
    const push = record.endpoints['rest.push']!;
    const empty = record.batches?.['rest.push/empty']?.count ?? 0;
    const rows = record.batches?.['rest.push/rows']?.count ?? 0;
    expect(empty).toBeGreaterThan(0);
    expect(empty + rows).toBe(push.count);
  });

  it('--segments 2 vs 1: iterations within 2%, merged p95 equals the p95 of the union of raw samples', async () => {
    // A 1 s sync interval makes delta-sync 100 syncs/s at 100 paid users: enough iterations for 2%.
    const everySecond = {
      ...current,
      name: 'current-1s',
      sync: { ...current.sync, interval: { kind: 'fixed' as const, seconds: 1 } },
    };
    const runs: { dir: string; record: RunRecord }[] = [];
    for (const segments of [1, 2]) {
      runs.push(
        await runScenario({
          scenario: 'delta-sync',
          users: 1000,
          policy: everySecond,
          profile,
          durationSeconds: 10,
          databaseUrl: db.url,
          target: 'local',
          segments,
          outDir: join(out, `segments-${segments}`),
        }),
      );
    }
    const [one, two] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(two.record.k6.segments).toBe(2);
    // Scheduled = completed + dropped: on a busy machine k6 drops iterations for want of a VU, which
    // is the machine's doing; splitting into segments must schedule the same work either way.
    const scheduled = (r: RunRecord) => r.iterations.completed + r.iterations.dropped;
    const a = scheduled(one.record);
    const b = scheduled(two.record);
    expect(a).toBeGreaterThan(900);
    expect(Math.abs(a - b) / a).toBeLessThanOrEqual(0.02);
    // Each segment's window is its own 10 s (their loads start a few hundred ms apart).
    const union = rawDurations(two.dir, two.record, 'rest.conversations');
    expect(union.length).toBe(two.record.endpoints['rest.conversations']!.count);
    expect(two.record.endpoints['rest.conversations']!.p95).toBeCloseTo(type7Quantile(union, 0.95), 9);
    const latencyFile = JSON.parse(
      readFileSync(join(two.dir, RUN_FILES.latencyDir, 'rest.conversations.json'), 'utf8'),
    );
    expect([...latencyFile].sort((x: number, y: number) => x - y)).toEqual([...union].sort((x, y) => x - y));
  });

  it("isolation: under load no user reads or writes another user's rows, and own reads work", async () => {
    const { record } = await runScenario({
      scenario: 'isolation',
      users: 1000,
      policy: current,
      profile,
      durationSeconds: 8,
      databaseUrl: db.url,
      target: 'local',
      outDir: join(out, 'isolation'),
    });
    expect(record.thresholds['isolation_breaches']!.ok).toBe(true);
    expect(record.thresholds['checks{check:own rows readable}']!.ok).toBe(true);
    expect(record.endpoints['rest.profiles']!.count).toBeGreaterThanOrEqual(30);
    // The cross-user inserts are refused; none of them may have succeeded.
    expect(record.endpoints['rest.push']!.statuses['201'] ?? 0).toBe(0);
  });
});
