// A synthetic k6 raw output of one run with a warm-up, for the tests of the window's cut: 10 s of
// warm-up (3 slow failing requests, dropped iterations, failed checks, a high VU count) then a 10 s
// window (20 requests of 1..20 ms, two a second). Every figure below is worked out by hand in the tests.

/** Epoch ms k6's load started (2026-01-01T00:00:00Z). */
export const LOAD_START_MS = Date.parse('2026-01-01T00:00:00Z');
/** Epoch ms the measured window starts: 10 s of warm-up later. */
export const WINDOW_START_MS = LOAD_START_MS + 10_000;

function iso(ms: number): string {
  // k6 writes nanoseconds; six fractional digits exercise the parser.
  const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d+Z$/, '');
  return `${whole}.${String(Math.round((ms % 1000) * 1000)).padStart(6, '0')}Z`;
}

function point(metric: string, ms: number, value: number, tags: object = {}, metadata?: object): string {
  const data = { time: iso(ms), value, tags, ...(metadata ? { metadata } : {}) };
  return JSON.stringify({ metric, type: 'Point', data });
}

function declare(name: string, type: string): string {
  return JSON.stringify({ type: 'Metric', metric: name, data: { name, type, contains: 'default' } });
}

/**
 * The lines of the raw output (k6's `--out json` format), in time order; `shiftMs` later for a segment
 * whose load started that much after the first one's.
 */
export function warmupRawLines(shiftMs = 0): string[] {
  const load = LOAD_START_MS + shiftMs;
  const windowStart = WINDOW_START_MS + shiftMs;
  const lines = [
    declare('http_req_duration', 'trend'),
    declare('http_req_failed', 'rate'),
    declare('iterations', 'counter'),
    declare('dropped_iterations', 'counter'),
    declare('checks', 'rate'),
  ];
  const sync = { scenario: 'sync_active' };
  const request = (ms: number, duration: number, status: string): void => {
    const tags = { name: 'rest.conversations', status, ...sync };
    lines.push(point('http_req_duration', ms, duration, tags));
    lines.push(point('http_req_failed', ms, status === '200' ? 0 : 1, tags));
    lines.push(point('checks', ms, status === '200' ? 1 : 0, { check: 'ok', ...sync }));
    lines.push(point('iterations', ms, 1, sync));
    lines.push(point('iteration_duration', ms, duration + 1, sync));
    if (status !== '200') lines.push(point('atlas_errors', ms, 1, { kind: '5xx', ...sync }));
  };
  // Warm-up: VUs 40 of 50, 5 iterations dropped, 3 slow 503s, the last 1 ms before the window.
  lines.push(point('vus_max', load, 50));
  lines.push(point('vus', load, 40));
  lines.push(point('dropped_iterations', load + 2000, 5, sync));
  lines.push(point('atlas_acked_messages', load + 3000, 1, {}, { message_id: 'm-warm' }));
  request(load + 1000, 100, '503');
  request(load + 5000, 200, '503');
  request(windowStart - 1, 300, '503');
  // Window: VUs 5 of 7, 2 dropped at 3 s, request i (1..20) of i ms at (i-1)·0.5 s; the 20th is a 500.
  lines.push(point('vus_max', windowStart + 1000, 7));
  lines.push(point('vus', windowStart + 1000, 5));
  lines.push(point('dropped_iterations', windowStart + 3000, 2, sync));
  lines.push(point('atlas_acked_messages', windowStart + 4000, 1, {}, { message_id: 'm-window' }));
  for (let i = 1; i <= 20; i++) request(windowStart + (i - 1) * 500, i, i === 20 ? '500' : '200');
  return lines;
}
