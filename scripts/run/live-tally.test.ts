import { describe, expect, it } from 'vitest';
import { LatencyBuckets, LiveTally } from './live-tally.ts';

const point = (
  metric: string,
  value: number,
  tags: Record<string, string> = {},
  time = '2026-12-01T14:24:49.179101391Z',
): string => JSON.stringify({ metric, type: 'Point', data: { time, value, tags } });

describe('LatencyBuckets', () => {
  it('p95 of 1..1000 ms is 950 within the 1% bucket width', () => {
    const b = new LatencyBuckets();
    for (let ms = 1; ms <= 1000; ms++) b.add(ms);
    const p95 = b.quantile(0.95)!;
    expect(p95).toBeGreaterThanOrEqual(950);
    expect(p95).toBeLessThanOrEqual(950 * 1.01);
    expect(new LatencyBuckets().quantile(0.95)).toBeNull();
  });
});

describe('LiveTally', () => {
  it('counts requests, errors, 429s, iterations, drops and VUs from k6 JSON lines; ignores the rest', () => {
    const t = new LiveTally();
    t.addLine(
      '{"type":"Metric","data":{"name":"http_req_duration","type":"trend"},"metric":"http_req_duration"}',
    );
    t.addLine(point('http_req_duration', 10, { name: 'rest.conversations', status: '200' }));
    t.addLine(point('http_req_duration', 20, { name: 'rest.conversations', status: '429' }));
    t.addLine(point('http_req_duration', 30, { name: 'api.message', status: '0' }));
    t.addLine(point('http_req_waiting', 999, { name: 'api.message', status: '200' }));
    t.addLine(point('iterations', 1));
    t.addLine(point('iterations', 1));
    t.addLine(point('dropped_iterations', 3));
    t.addLine(point('vus', 5), 0);
    t.addLine(point('vus', 7), 0);
    t.addLine(point('vus', 4), 1);
    t.addLine('{"metric":"vus","type":"Point","data":{"ti'); // a line cut by a stop
    const { p95ByEndpoint, ...counts } = t.totals();
    expect(counts).toEqual({
      iterations: 2,
      requests: 3,
      errors: 2,
      status429: 1,
      droppedIterations: 3,
      vus: 11,
    });
    // One request each: p95 is that duration, to within the 1% bucket width.
    expect(Object.keys(p95ByEndpoint)).toEqual(['api.message', 'rest.conversations']);
    expect(p95ByEndpoint['api.message']).toBeGreaterThanOrEqual(30);
    expect(p95ByEndpoint['api.message']).toBeLessThanOrEqual(30.3);
    expect(p95ByEndpoint['rest.conversations']).toBeGreaterThanOrEqual(20);
    expect(p95ByEndpoint['rest.conversations']).toBeLessThanOrEqual(20.2);
  });

  it('counts nothing sampled before its start (the warm-up)', () => {
    // Window from 14:24:50.000Z: the samples at 49.999 are the warm-up's, those at 50.000 the window's.
    const t = new LiveTally(Date.parse('2026-12-01T14:24:50Z'));
    t.addLine(point('iterations', 1, {}, '2026-12-01T14:24:49.999Z'));
    t.addLine(point('http_req_duration', 500, { name: 'e', status: '500' }, '2026-12-01T14:24:49.999Z'));
    t.addLine(point('dropped_iterations', 2, {}, '2026-12-01T14:24:49.5Z'));
    t.addLine(point('iterations', 1, {}, '2026-12-01T14:24:50Z'));
    t.addLine(point('http_req_duration', 10, { name: 'e', status: '200' }, '2026-12-01T14:24:50.000001Z'));
    const { p95ByEndpoint, ...counts } = t.totals();
    expect(counts).toEqual({
      iterations: 1,
      requests: 1,
      errors: 0,
      status429: 0,
      droppedIterations: 0,
      vus: 0,
    });
    expect(p95ByEndpoint.e).toBeLessThanOrEqual(10.1);
  });
});
