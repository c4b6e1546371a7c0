import { describe, expect, it } from 'vitest';
import { formatLiveLine, type LiveSnapshot } from './live-line.ts';

const at = (elapsedSeconds: number, iterations: number, requests: number): LiveSnapshot => ({
  elapsedSeconds,
  totalSeconds: 3600,
  offeredPerSecond: 33.333,
  client: {
    iterations,
    requests,
    errors: 4,
    status429: 3,
    droppedIterations: 2,
    vus: 17,
    p95ByEndpoint: { 'rest.conversations': 12.34, 'rest.messages': 250.2 },
  },
  pool: { total: 10, inUse: 7, waiting: 12 },
  upstream: { inUse: 50, queued: 3 },
});

describe('formatLiveLine', () => {
  it('shows elapsed/total, offered vs achieved over the last interval, p95 so far, errors, pool, upstream, VUs, drops', () => {
    expect(formatLiveLine(at(65, 2000, 6000), at(60, 1850, 5500))).toBe(
      '1:05/60:00 · it/s 30.0 of 33.3 · req/s 100 · p95 ms rest.conversations 12.3 rest.messages 250 · err 4 · 429 3 · pool 7/10 wait 12 · upstream 50 queued 3 · VUs 17 · dropped 2',
    );
  });

  it('without a previous snapshot rates are over the elapsed time; missing server figures read n/a', () => {
    const first = { ...at(2, 60, 150), pool: null, upstream: null };
    first.client = { ...first.client, p95ByEndpoint: {} };
    expect(formatLiveLine(first)).toBe(
      '0:02/60:00 · it/s 30.0 of 33.3 · req/s 75.0 · p95 ms - · err 4 · 429 3 · pool n/a · upstream n/a · VUs 17 · dropped 2',
    );
    expect(formatLiveLine({ ...first, elapsedSeconds: 0 })).toContain('it/s - of 33.3 · req/s -');
  });
});
