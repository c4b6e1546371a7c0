import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LOAD_START_MS, WINDOW_START_MS, warmupRawLines } from '../../test/support/warmup-raw-output.ts';
import { readDurations, settledP95 } from './settled-p95.ts';

describe("a run's p95 without its first seconds", () => {
  it('leaves out the samples before the settle time, per endpoint (hand-worked)', () => {
    // 20 samples of 1..20 ms at t = 0..19 s: all of them p95 = 19.05 (type 7: 1 + 0.95·19);
    // after 10 s the samples 11..20: p95 = 11 + 0.95·9 = 19.55; a burst of 100 ms at t < 4 s is dropped.
    const samples = Array.from({ length: 20 }, (_, i) => ({ t: i * 1000, endpoint: 'e', ms: i + 1 }));
    expect(settledP95(samples, 0).e).toBeCloseTo(19.05, 12);
    expect(settledP95(samples, 10).e).toBeCloseTo(19.55, 12);
    const burst = [...samples, ...[0, 1, 2, 3].map((s) => ({ t: s * 1000 + 500, endpoint: 'e', ms: 100 }))];
    expect(settledP95(burst, 4)).toEqual(settledP95(samples, 4));
    expect(settledP95(burst, 0).e).toBeGreaterThan(50);
  });
});

describe('the durations of a raw output with a warm-up', () => {
  it("are timed from the window's start, the warm-up's left out", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'atlas-settled-')), 'k6.json.gz');
    writeFileSync(file, gzipSync(warmupRawLines().join('\n') + '\n'));
    // The window's request i (1..20 ms) at (i - 1)·0.5 s; after 4 s, requests 9..20: p95 9 + 0.95·11.
    const window = await readDurations(file, WINDOW_START_MS);
    expect(window).toHaveLength(20);
    expect(window[0]).toEqual({ t: 0, endpoint: 'rest.conversations', ms: 1 });
    expect(settledP95(window, 4)['rest.conversations']).toBeCloseTo(19.45, 9);
    // Without the origin (an older record): from the first sample, the warm-up's 100-300 ms included.
    // The first request is 1 s after the load's start, the window's first 9 s after it.
    const whole = await readDurations(file);
    expect(whole).toHaveLength(23);
    expect(whole[0]).toEqual({ t: 0, endpoint: 'rest.conversations', ms: 100 });
    expect(whole.find((d) => d.ms === 1)!.t).toBe(WINDOW_START_MS - (LOAD_START_MS + 1000));
    // A 9 s window: requests 19 and 20 (at 9.0 and 9.5 s, in k6's graceful stop) are left out.
    const cut = await readDurations(file, WINDOW_START_MS, WINDOW_START_MS + 9000);
    expect(cut.map((d) => d.ms)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });
});
