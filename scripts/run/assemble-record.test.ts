import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { RUN_FILES } from '../../core/run-record.ts';
import { WINDOW_START_MS, warmupRawLines } from '../../test/support/warmup-raw-output.ts';
import { readRawOutput } from '../k6/raw-output.ts';
import { parseThresholds } from '../k6/thresholds.ts';
import { recordOfRun } from './assemble-record.ts';
import type { Measurement } from './measure-load.ts';
import { planScenario } from './plan.ts';

const policy = loadPolicy('current');
const profile = loadProfile('ci-smoke');

/** The record of the synthetic run (10 s of warm-up, a 10 s window), k6 having exited with `code`. */
async function recordOf(threshold: string, code: number) {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-record-'));
  mkdirSync(join(dir, 'samples'));
  const raw = join(dir, 'k6-0.json.gz');
  writeFileSync(raw, gzipSync(warmupRawLines().join('\n') + '\n'));
  const run = {
    scenario: 'full-sync' as const,
    profile,
    segments: 1,
    warmupSeconds: 10,
    fault: undefined,
    local: true,
    schema: 'plain' as const,
    dbCores: undefined,
  };
  const measured: Measurement = {
    originMs: WINDOW_START_MS,
    segmentStartsMs: [WINDOW_START_MS],
    segmentEndsMs: [WINDOW_START_MS + 10_000],
    ended: new Date(WINDOW_START_MS + 11_000),
    rawFiles: [raw],
    codes: [code],
    cpu: { summary: null, runCpu: null, loadGenerator: { mean: 10, max: 20 } },
    // The collector starts with the window: one sample a second, 0.2 s into each.
    server: {
      samples: Array.from({ length: 10 }, (_, t) => ({
        atMs: WINDOW_START_MS + t * 1000 + 200,
        pool: { total: 10, inUse: t, idle: 10 - t, waiting: 0 },
        dbConnections: null,
        upstream: null,
        rateLimitedTotal: null,
      })),
      first: null,
      last: null,
    },
    statements: { before: null, after: null },
    database: null,
    targetHealthy: true,
    databaseUrl: undefined,
    faultInfo: {},
    interrupted: false,
    ranSeconds: 10,
  };
  return {
    dir,
    ...(await recordOfRun(
      {
        dir,
        options: {
          scenario: 'full-sync',
          users: 1000,
          policy,
          profile,
          durationSeconds: 10,
          warmupSeconds: 10,
          target: 'local',
        },
        run,
        plan: planScenario('full-sync', profile, policy, 1000, 10, 10),
        baseUrl: 'http://127.0.0.1:1',
        started: new Date(WINDOW_START_MS - 15_000),
        load: { targetRate: 2, allocatedVUs: 7 },
        notes: [],
      },
      measured,
      parseThresholds({ 'http_req_duration{name:rest.conversations}': [threshold] }),
    )),
  };
}

describe('the run record of a run with a warm-up', () => {
  it('starts its window and series at the cut and counts only the window', async () => {
    const { dir, record, series, latency } = await recordOf('p(95)<50', 99);
    expect(record.measuredFrom).toBe('2026-01-01T00:00:10.000Z');
    expect([record.warmupSeconds, record.durationSeconds]).toEqual([10, 10]);
    expect(series.map((s) => s.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(series.map((s) => s.requests)).toEqual(Array(10).fill(2));
    expect(series.map((s) => s.pool?.inUse)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(record.endpoints['rest.conversations']!.count).toBe(20);
    expect(record.endpoints['rest.conversations']!.p95).toBeCloseTo(19.05, 9);
    expect(latency['rest.conversations']).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // 20 iterations over 10 s; 2 dropped, with 5 of 7 VUs busy: not the load generator's fault.
    expect(record.iterations).toMatchObject({ completed: 20, dropped: 2, rate: 2, targetRate: 2 });
    expect(record.loadGenerator).toMatchObject({ maxVUs: 7, saturated: false });
    // The run folder keeps the whole raw output: the warm-up's 3 requests are there, before the window.
    let before = 0;
    for await (const line of readRawOutput(join(dir, RUN_FILES.rawK6))) {
      if (line.kind === 'point' && line.point.metric === 'http_req_duration')
        before += line.point.time < WINDOW_START_MS ? 1 : 0;
    }
    expect(before).toBe(3);
  });

  it("judges thresholds on the window: k6's 99 for a warm-up breach is not the exit status", async () => {
    // p95 19.05 in the window (190 with the warm-up): under 50 it holds, under 19 it does not.
    const held = (await recordOf('p(95)<50', 99)).record;
    expect(held.thresholds).toEqual({ 'http_req_duration{name:rest.conversations}': { ok: true } });
    expect(held.exitStatus).toBe(0);
    expect(held.notes.join('\n')).toContain('warm-up included; the measured window meets them all');
    const broken = (await recordOf('p(95)<19', 99)).record;
    expect(broken.thresholds).toEqual({ 'http_req_duration{name:rest.conversations}': { ok: false } });
    expect(broken.exitStatus).toBe(99);
    // Another k6 exit code is the record's status whatever the thresholds say.
    expect((await recordOf('p(95)<50', 107)).record.exitStatus).toBe(107);
  });
});
