import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
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

function segment(seed: number, n: number): { lines: string[]; durations: number[]; iterationMs: number[] } {
  const rnd = lcg(seed);
  const lines = [
    metric('http_req_duration', 'trend'),
    metric('iterations', 'counter'),
    metric('http_req_failed', 'rate'),
  ];
  const durations: number[] = [];
  const iterationMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const ms = T0 + rnd() * 10_000;
    // Segments get different distributions, so averaging their p95s would be wrong.
    const d = seed === 1 ? 5 + rnd() * 20 : 50 + rnd() * 400;
    const status = rnd() < 0.02 ? '503' : '200';
    durations.push(d);
    lines.push(
      point('http_req_duration', ms, d, { name: 'rest.conversations', status, scenario: 'sync_active' }),
    );
    lines.push(
      point('http_req_failed', ms, status === '200' ? 0 : 1, { name: 'rest.conversations', status }),
    );
    lines.push(point('iterations', ms, 1, { scenario: 'sync_active' }));
    iterationMs.push(d + 1 + seed);
    lines.push(point('iteration_duration', ms, d + 1 + seed, { scenario: 'sync_active' }));
  }
  lines.push(point('dropped_iterations', T0 + 5000, 3, { scenario: 'sync_active' }));
  lines.push(point('vus_max', T0, 7, {}));
  lines.push(point('atlas_acked_messages', T0 + 1, 1, { name: 'rest.push' }, { message_id: `m-${seed}` }));
  return { lines, durations, iterationMs };
}

/** p-quantile by the closest-ranks definition, written independently of percentile.ts. */
function referenceQuantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  const below = s[Math.floor(rank)]!;
  const above = s[Math.ceil(rank)]!;
  return below + (above - below) * (rank - Math.floor(rank));
}

describe('merging raw k6 outputs', () => {
  it('gives exact percentiles over the union of samples and sums counters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-merge-'));
    const a = segment(1, 3000);
    const b = segment(2, 1000);
    writeFileSync(join(dir, 'a.json'), a.lines.join('\n') + '\n');
    writeFileSync(join(dir, 'b.json.gz'), gzipSync(b.lines.join('\n') + '\n'));
    const thresholds = parseThresholds({
      'http_req_duration{name:rest.conversations}': ['p(95)<300'],
      dropped_iterations: ['count==0'],
    });
    const merged = await mergeRawOutputs([join(dir, 'a.json'), join(dir, 'b.json.gz')], thresholds, T0);
    const union = [...a.durations, ...b.durations];
    const summary = merged.endpoints['rest.conversations']!;
    expect(summary.count).toBe(4000);
    expect(summary.p95).toBeCloseTo(referenceQuantile(union, 0.95), 9);
    expect(summary.p99).toBeCloseTo(referenceQuantile(union, 0.99), 9);
    const averaged = (referenceQuantile(a.durations, 0.95) + referenceQuantile(b.durations, 0.95)) / 2;
    expect(Math.abs(summary.p95 - averaged)).toBeGreaterThan(1);
    expect(merged.iterations.completed).toBe(4000);
    expect(merged.iterations.dropped).toBe(6);
    const iterationMs = [...a.iterationMs, ...b.iterationMs];
    expect(merged.iterations.meanDurationMs).toBeCloseTo(
      iterationMs.reduce((s, x) => s + x, 0) / iterationMs.length,
      9,
    );
    expect(iterationSummary(merged, 10, 400)).toMatchObject({
      completed: 4000,
      rate: 400,
      byScenario: { sync_active: 4000 },
      meanDurationMs: merged.iterations.meanDurationMs,
    });
    expect(merged.maxVUs).toBe(14);
    expect(merged.ackedMessageIds.sort()).toEqual(['m-1', 'm-2']);
    const p95Threshold = merged.thresholds['http_req_duration{name:rest.conversations}']![0]!;
    expect(p95Threshold.value).toBeCloseTo(summary.p95, 9);
    expect(p95Threshold.ok).toBe(summary.p95 < 300);
    expect(merged.thresholds['dropped_iterations']![0]).toMatchObject({ ok: false, value: 6 });
    expect(merged.series).toHaveLength(10);
    expect(merged.series.reduce((sum, s) => sum + s.requests, 0)).toBe(4000);
    const errors = Object.entries(summary.statuses).filter(([s]) => s !== '200');
    expect(summary.errorRate).toBeCloseTo(errors.reduce((n, [, c]) => n + c, 0) / 4000, 12);
  });

  it('rejects a threshold k6 would not understand', () => {
    expect(() => parseThresholds({ http_req_duration: ['p95 < 3'] })).toThrow(/not an aggregate/);
  });
});
