import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LOAD_START_MS, WINDOW_START_MS, warmupRawLines } from '../../test/support/warmup-raw-output.ts';
import { iterationSummary, mergeRawOutputs } from './aggregate.ts';
import { parseThresholds } from './thresholds.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function iso(ms: number): string {
  // k6 writes nanoseconds; keep six fractional digits to exercise the parser.
  const whole = new Date(Math.floor(ms)).toISOString().replace(/\.\d+Z$/, '');
  const frac = (ms / 1000 - Math.floor(ms / 1000)).toFixed(6).slice(1);
  return `${whole}${frac}Z`;
}

function point(
  metric: string,
  ms: number,
  value: number,
  tags: Record<string, string>,
  metadata?: object,
): string {
  return JSON.stringify({
    metric,
    type: 'Point',
    data: { time: iso(ms), value, tags, ...(metadata ? { metadata } : {}) },
  });
}

function metric(name: string, type: string): string {
  return JSON.stringify({
    type: 'Metric',
    metric: name,
    data: { name, type, contains: 'default', thresholds: [] },
  });
}

/** A deterministic pseudo-random stream (LCG), so the test data is the same every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}

/**
 * One runner's raw output: `durations` (ms) in a shuffled order at random times, 2% of them 503s.
 * The durations are chosen, not drawn, so the test can state the expected percentiles by hand.
 */
function segment(seed: number, durations: number[]): { lines: string[]; failed: number } {
  const rnd = lcg(seed);
  const lines = [
    metric('http_req_duration', 'trend'),
    metric('iterations', 'counter'),
    metric('http_req_failed', 'rate'),
  ];
  const order = durations.map((d) => ({ d, key: rnd() })).sort((a, b) => a.key - b.key);
  let failed = 0;
  for (const { d } of order) {
    const ms = T0 + rnd() * 10_000;
    const status = rnd() < 0.02 ? '503' : '200';
    if (status !== '200') failed++;
    lines.push(
      point('http_req_duration', ms, d, { name: 'rest.conversations', status, scenario: 'sync_active' }),
    );
    lines.push(
      point('http_req_failed', ms, status === '200' ? 0 : 1, { name: 'rest.conversations', status }),
    );
    lines.push(point('iterations', ms, 1, { scenario: 'sync_active' }));
    lines.push(point('iteration_duration', ms, d + 1 + seed, { scenario: 'sync_active' }));
  }
  lines.push(point('dropped_iterations', T0 + 5000, 3, { scenario: 'sync_active' }));
  lines.push(point('vus_max', T0, 7, {}));
  lines.push(point('atlas_acked_messages', T0 + 1, 1, { name: 'rest.push' }, { message_id: `m-${seed}` }));
  return { lines, failed };
}

/** The whole numbers from..to (inclusive). */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('merging raw k6 outputs', () => {
  it('gives exact percentiles over the union of samples and sums counters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-merge-'));
    // Two runners with different distributions: 1..3000 ms and 3001..4000 ms. Their union is 1..4000,
    // whose type-7 quantiles (k6's definition) are 1 + p·3999: p95 3800.05, p99 3960.01 (R's
    // quantile(1:4000) prints the same). Averaging the runners' own p95s (2850.05 and 3950.05) would
    // give 3400.05 instead.
    const a = segment(1, range(1, 3000));
    const b = segment(2, range(3001, 4000));
    writeFileSync(join(dir, 'a.json'), a.lines.join('\n') + '\n');
    writeFileSync(join(dir, 'b.json.gz'), gzipSync(b.lines.join('\n') + '\n'));
    const thresholds = parseThresholds({
      'http_req_duration{name:rest.conversations}': ['p(95)<300'],
      dropped_iterations: ['count==0'],
    });
    const merged = await mergeRawOutputs([join(dir, 'a.json'), join(dir, 'b.json.gz')], thresholds, T0);
    const summary = merged.endpoints['rest.conversations']!;
    expect(summary.count).toBe(4000);
    expect(summary.p95).toBeCloseTo(3800.05, 9);
    expect(summary.p99).toBeCloseTo(3960.01, 9);
    expect(summary.max).toBe(4000);
    expect(merged.iterations.completed).toBe(4000);
    expect(merged.iterations.dropped).toBe(6);
    // Iteration durations are d + 1 + seed: (sum 1..3000 + 2·3000 + sum 3001..4000 + 3·1000) / 4000.
    expect(merged.iterations.meanDurationMs).toBeCloseTo((8_002_000 + 6000 + 3000) / 4000, 9);
    expect(iterationSummary(merged, 10, 400)).toMatchObject({
      completed: 4000,
      rate: 400,
      byScenario: { sync_active: 4000 },
      meanDurationMs: 2002.75,
    });
    expect(merged.maxVUs).toBe(14);
    expect(merged.ackedMessageIds.sort()).toEqual(['m-1', 'm-2']);
    expect(merged.thresholds['http_req_duration{name:rest.conversations}']![0]).toMatchObject({ ok: false });
    expect(merged.thresholds['http_req_duration{name:rest.conversations}']![0]!.value).toBeCloseTo(
      3800.05,
      9,
    );
    expect(merged.thresholds['dropped_iterations']![0]).toMatchObject({ ok: false, value: 6 });
    expect(merged.series).toHaveLength(10);
    expect(merged.series.reduce((sum, s) => sum + s.requests, 0)).toBe(4000);
    // The 503s the segments wrote, counted as they were written, not read back from the summary.
    expect(a.failed + b.failed).toBeGreaterThan(0);
    expect(summary.statuses['503']).toBe(a.failed + b.failed);
    expect(summary.errorRate).toBeCloseTo((a.failed + b.failed) / 4000, 12);
  });

  it("keeps an endpoint's requests apart by their batch tag, and in the endpoint's own summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-merge-'));
    // 19 empty pushes of 1..19 ms and one push with a row of 100 ms: the endpoint's p95 (type 7,
    // 1 + 0.95·19 = 19.05th of 20) falls between the two paths, each path's own stays in its own.
    const lines = [metric('http_req_duration', 'trend')];
    for (let i = 1; i <= 19; i++)
      lines.push(point('http_req_duration', T0 + i, i, { name: 'rest.push', status: '201', batch: 'empty' }));
    lines.push(point('http_req_duration', T0 + 50, 100, { name: 'rest.push', status: '201', batch: 'rows' }));
    lines.push(point('http_req_duration', T0 + 60, 7, { name: 'rest.conversations', status: '200' }));
    writeFileSync(join(dir, 'a.json'), lines.join('\n') + '\n');
    const merged = await mergeRawOutputs([join(dir, 'a.json')], [], T0);
    expect(merged.endpoints['rest.push']).toMatchObject({ count: 20, max: 100 });
    expect(merged.endpoints['rest.push']!.p95).toBeCloseTo(19 + 0.05 * 81, 9);
    expect(Object.keys(merged.batches).sort()).toEqual(['rest.push/empty', 'rest.push/rows']);
    expect(merged.batches['rest.push/empty']).toMatchObject({ count: 19, p50: 10, max: 19 });
    expect(merged.batches['rest.push/rows']).toMatchObject({ count: 1, p50: 100, p95: 100 });
  });

  it("takes each iteration's arrival delay out of its duration (scenarios/lib/await-arrival.ts)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-merge-'));
    // Four iterations of 100, 120, 140, 160 ms each (k6's iteration_duration), of which three waited
    // 10, 30 and 50 ms before their first request and one (another scenario, no spread) waited none:
    // work = (520 - 90) / 4 = 107.5 ms an iteration; the delay's mean is 90 / 3 = 30 ms.
    const lines = [metric('iteration_duration', 'trend'), metric('arrival_delay', 'trend')];
    for (const [i, [d, wait]] of [
      [100, 10],
      [120, 30],
      [140, 50],
      [160, null],
    ].entries()) {
      const at = T0 + 1000 * (i + 1);
      lines.push(point('iteration_duration', at, d!, { scenario: wait === null ? 'health' : 'sync_active' }));
      if (wait !== null) lines.push(point('arrival_delay', at - d!, wait!, { scenario: 'sync_active' }));
    }
    writeFileSync(join(dir, 'a.json'), lines.join('\n') + '\n');
    const merged = await mergeRawOutputs([join(dir, 'a.json')], [], T0);
    expect(merged.iterations.meanDurationMs).toBeCloseTo(107.5, 9);
    expect(merged.iterations.meanArrivalDelayMs).toBeCloseTo(30, 9);
    expect(iterationSummary(merged, 4, 1)).toMatchObject({ meanDurationMs: 107.5, meanArrivalDelayMs: 30 });
  });

  it('a p95 threshold passes when the merged p95 is under its limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-merge-'));
    // 1..100 ms: p95 = 1 + 0.95·99 = 95.05.
    writeFileSync(join(dir, 'a.json'), segment(3, range(1, 100)).lines.join('\n') + '\n');
    const limit = (ms: number) =>
      parseThresholds({ 'http_req_duration{name:rest.conversations}': [`p(95)<${ms}`] });
    const under = await mergeRawOutputs([join(dir, 'a.json')], limit(96), T0);
    expect(under.thresholds['http_req_duration{name:rest.conversations}']![0]).toMatchObject({ ok: true });
    const over = await mergeRawOutputs([join(dir, 'a.json')], limit(95), T0);
    expect(over.thresholds['http_req_duration{name:rest.conversations}']![0]).toMatchObject({ ok: false });
  });

  it('rejects a threshold k6 would not understand', () => {
    expect(() => parseThresholds({ http_req_duration: ['p95 < 3'] })).toThrow(/not an aggregate/);
  });
});

describe("the measured window's cut of one k6 run with a warm-up", () => {
  const thresholds = parseThresholds({
    'http_req_duration{name:rest.conversations}': ['p(95)<50'],
    dropped_iterations: ['count<=2'],
    http_req_failed: ['rate<0.1'],
    checks: ['rate>0.9'],
  });
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-cut-'));
    writeFileSync(join(dir, 'k6-0.json.gz'), gzipSync(warmupRawLines().join('\n') + '\n'));
    return join(dir, 'k6-0.json.gz');
  };

  it('leaves every sample before the window out: latencies, iterations, drops, checks, VUs, errors', async () => {
    const merged = await mergeRawOutputs([file()], thresholds, WINDOW_START_MS);
    // The window's 20 requests of 1..20 ms, one a 500 (type-7 quantiles: 1 + p·19).
    expect(merged.endpoints['rest.conversations']).toEqual({
      count: 20,
      errorRate: 0.05,
      statuses: { '200': 19, '500': 1 },
      mean: 10.5,
      p50: 10.5,
      p95: expect.closeTo(19.05, 9),
      p99: expect.closeTo(19.81, 9),
      max: 20,
    });
    // Iteration durations are d + 1: (1 + ... + 20 + 20) / 20 = 230 / 20.
    expect(merged.iterations).toEqual({
      completed: 20,
      dropped: 2,
      byScenario: { sync_active: 20 },
      meanDurationMs: 11.5,
      meanArrivalDelayMs: null, // no arrival_delay in this output
    });
    expect(iterationSummary(merged, 10, 2)).toMatchObject({ completed: 20, dropped: 2, rate: 2 });
    expect([merged.maxVUs, merged.peakVUs]).toEqual([7, 5]);
    expect(merged.errorsByKind).toEqual({ '5xx': 1 });
    // Integrity still covers the warm-up's acknowledged messages.
    expect(merged.ackedMessageIds.sort()).toEqual(['m-warm', 'm-window']);
    expect([merged.firstMs, merged.lastMs]).toEqual([WINDOW_START_MS, WINDOW_START_MS + 9500]);
  });

  it("starts the series at the cut: second 0 holds the window's first two requests", async () => {
    const merged = await mergeRawOutputs([file()], thresholds, WINDOW_START_MS);
    expect(merged.series).toHaveLength(10);
    expect(merged.series[0]).toEqual({
      t: 0,
      requests: 2,
      iterations: 2,
      endpoints: { 'rest.conversations': { count: 2, p50: 1.5, p95: 1.95, errors: 0 } },
    });
    // Second 9: requests 19 and 20 (the 500): p95 19 + 0.95.
    expect(merged.series[9]!.endpoints['rest.conversations']).toEqual({
      count: 2,
      p50: 19.5,
      p95: expect.closeTo(19.95, 9),
      errors: 1,
    });
    expect(merged.series.reduce((n, s) => n + s.requests, 0)).toBe(20);
  });

  it('judges thresholds on the window: each broken only by the warm-up holds', async () => {
    const window = await mergeRawOutputs([file()], thresholds, WINDOW_START_MS);
    expect(window.thresholds).toEqual({
      'http_req_duration{name:rest.conversations}': [
        { ok: true, value: expect.closeTo(19.05, 9), expression: 'p(95)<50' },
      ],
      dropped_iterations: [{ ok: true, value: 2, expression: 'count<=2' }],
      http_req_failed: [{ ok: true, value: 0.05, expression: 'rate<0.1' }],
      checks: [{ ok: true, value: 0.95, expression: 'rate>0.9' }],
    });
    // The whole run (as k6 judges it): 23 requests, 1..20 and 100, 200, 300 ms: p95 at rank 1 + 0.95·22
    // = 21.9, 100 + 0.9·(200 - 100) = 190; 7 dropped; 4 of 23 failed; 19 of 23 checks passed.
    const whole = await mergeRawOutputs([file()], thresholds, LOAD_START_MS);
    expect(whole.endpoints['rest.conversations']!.count).toBe(23);
    expect(whole.thresholds).toEqual({
      'http_req_duration{name:rest.conversations}': [
        { ok: false, value: expect.closeTo(190, 9), expression: 'p(95)<50' },
      ],
      dropped_iterations: [{ ok: false, value: 7, expression: 'count<=2' }],
      http_req_failed: [{ ok: false, value: 4 / 23, expression: 'rate<0.1' }],
      checks: [{ ok: false, value: 19 / 23, expression: 'rate>0.9' }],
    });
    expect([whole.iterations.completed, whole.maxVUs, whole.series.length]).toEqual([23, 50, 20]);
  });

  it("cuts at the window's end: what k6 finishes in its graceful stop after it counts nowhere", async () => {
    // A 9 s window: requests 19 and 20 (at 9.0 and 9.5 s, the 500 among them) finished after its end.
    const merged = await mergeRawOutputs([file()], thresholds, WINDOW_START_MS, [], [WINDOW_START_MS + 9000]);
    const e = merged.endpoints['rest.conversations']!;
    expect([e.count, e.max, e.errorRate]).toEqual([18, 18, 0]);
    expect(merged.iterations).toMatchObject({ completed: 18, dropped: 2 });
    expect(iterationSummary(merged, 9, 2)).toMatchObject({ completed: 18, rate: 2 });
    expect(merged.series).toHaveLength(9);
    expect(merged.errorsByKind).toEqual({});
    expect(merged.thresholds['http_req_failed']).toEqual([{ ok: true, value: 0, expression: 'rate<0.1' }]);
    expect(merged.lastMs).toBe(WINDOW_START_MS + 8500);
  });

  it('cuts each segment at its own start: one that started its load 0.3 s later keeps its own 10 s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-cut-'));
    writeFileSync(join(dir, 'k6-0.json'), warmupRawLines().join('\n') + '\n');
    writeFileSync(join(dir, 'k6-1.json'), warmupRawLines(300).join('\n') + '\n');
    const files = [join(dir, 'k6-0.json'), join(dir, 'k6-1.json')];
    const merged = await mergeRawOutputs(files, thresholds, WINDOW_START_MS, [
      WINDOW_START_MS,
      WINDOW_START_MS + 300,
    ]);
    // Each segment's 20 window requests: 1, 1, 2, 2, ..., 20, 20; p95 at rank 1 + 0.95·39 = 38.05 of 40:
    // 19 + 0.05·(20 - 19) = 19.05.
    const e = merged.endpoints['rest.conversations']!;
    expect([e.count, e.max]).toEqual([40, 20]);
    expect(e.p95).toBeCloseTo(19.05, 9);
    expect(merged.iterations).toMatchObject({ completed: 40, dropped: 4 });
    expect([merged.maxVUs, merged.peakVUs]).toEqual([14, 10]);
    // Cut at the first segment's start only, the second's last warm-up request (300 ms, 0.299 s into
    // the window) would count: 41 requests.
    const once = await mergeRawOutputs(files, thresholds, WINDOW_START_MS);
    expect(once.endpoints['rest.conversations']!.count).toBe(41);
  });
});
