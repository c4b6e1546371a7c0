import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FILES, RunRecordSchema } from '../core/run-record.ts';
import { mergeRawOutputs } from '../scripts/k6/aggregate.ts';
import { findK6 } from '../scripts/k6/binary.ts';
import { startK6 } from '../scripts/k6/run-k6.ts';
import { executionSegment } from '../scripts/run/plan.ts';
import { type7Quantile } from './support/reference-quantile.ts';
import { needs } from './support/services.ts';

const ROOT = resolve(import.meta.dirname, '..');
const k6 = findK6() ?? resolve(ROOT, '.tools/bin/k6');
const execFileAsync = promisify(execFile);

const SCRIPT = `
import http from 'k6/http';
export const options = {
  scenarios: { load: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '4s', preAllocatedVUs: 20, maxVUs: 40 } },
  thresholds: { 'http_req_duration{name:echo}': ['p(95)<1000'] },
  summaryTrendStats: ['p(95)', 'p(99)', 'max'],
};
export default function () { http.get(__ENV.BASE_URL + '/?d=' + Math.floor(Math.random() * 8), { tags: { name: 'echo' } }); }
`;

function durations(file: string): number[] {
  const out: number[] = [];
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (!line.includes('"http_req_duration"') || !line.includes('"Point"')) continue;
    out.push((JSON.parse(line) as { data: { value: number } }).data.value);
  }
  return out;
}

describe('raw k6 outputs: segments, merge and k6 agreement', await needs('k6'), () => {
  let server: Server;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'atlas-k6merge-'));
  const script = join(dir, 'echo.js');

  beforeAll(async () => {
    writeFileSync(script, SCRIPT);
    // Replies after 0-7 ms, so the latency distribution has a shape worth a percentile.
    server = createServer((req, res) => {
      const d = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('d') ?? 0);
      setTimeout(() => res.end('ok'), d);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server?.close();
  });

  it('one k6 process: merged p95 equals the p95 k6 itself reports', async () => {
    const raw = join(dir, 'single.json.gz');
    const summary = join(dir, 'summary.json');
    // Asynchronously: the echo server lives in this process and must keep answering.
    await execFileAsync(k6, [
      'run',
      '--quiet',
      '--no-usage-report',
      '--address',
      '',
      '--out',
      `json=${raw}`,
      '--summary-export',
      summary,
      '-e',
      `BASE_URL=${base}`,
      script,
    ]);
    const merged = await mergeRawOutputs([raw]);
    const { metrics } = JSON.parse(readFileSync(summary, 'utf8')) as {
      metrics: Record<string, Record<string, number>>;
    };
    expect(merged.endpoints.echo!.p95).toBeCloseTo(metrics['http_req_duration{name:echo}']!['p(95)']!, 6);
    // k6's own counts decide: completed and dropped as k6 reports them.
    expect(merged.iterations.completed).toBe(metrics.iterations!.count);
    expect(merged.iterations.dropped).toBe(metrics.dropped_iterations?.count ?? 0);
    // 200/s for 4 s schedules 800 iterations, or 801 when the one due at 4 s makes it in; on a busy
    // machine k6 drops some for want of a free VU, so started + dropped is what must add up.
    const scheduled = merged.iterations.completed + merged.iterations.dropped;
    expect(scheduled).toBeGreaterThanOrEqual(795);
    expect(scheduled).toBeLessThanOrEqual(801);
  });

  it('two segments: iterations add up, merged p95 is the p95 of the union, and `atlas-cap merge` writes a run record', async () => {
    const files = [0, 1].map((i) => join(dir, `seg-${i}.json.gz`));
    const procs = files.map((rawOut, i) =>
      startK6({
        k6,
        file: script,
        env: { BASE_URL: base },
        rawOut,
        logFile: join(dir, `seg-${i}.log`),
        processEnv: process.env,
        segment: { ...executionSegment(i, 2), index: i },
      }),
    );
    expect(await Promise.all(procs.map((p) => p.done))).toEqual([0, 0]);
    const merged = await mergeRawOutputs(files);
    // Each segment schedules its share; together they schedule what one process would (see above).
    const scheduled = merged.iterations.completed + merged.iterations.dropped;
    expect(Math.abs(scheduled - 801)).toBeLessThanOrEqual(801 * 0.02);
    const union = files.flatMap(durations);
    expect(merged.endpoints.echo!.count).toBe(union.length);
    // The oracle is the quantile's definition (test/support/reference-quantile.ts), not the merge's code.
    expect(merged.endpoints.echo!.p95).toBeCloseTo(type7Quantile(union, 0.95), 9);

    const out = join(dir, 'merged');
    const { stdout } = await execFileAsync(process.execPath, [
      join(ROOT, 'bin/atlas-cap.js'),
      'merge',
      ...files,
      '--out',
      out,
    ]);
    expect(stdout).toContain('run record');
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(out, RUN_FILES.record), 'utf8')));
    expect(record.k6.segments).toBe(2);
    expect(record.endpoints.echo!.p95).toBeCloseTo(merged.endpoints.echo!.p95, 9);
    expect(durations(join(out, RUN_FILES.rawK6)).length).toBe(union.length);
  });
});
