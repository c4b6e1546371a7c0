import type { ClientTotals } from './live-tally.ts';

/** One moment of a running run: what the live line shows. */
export interface LiveSnapshot {
  /** Seconds since the measured load started, and its planned length. */
  elapsedSeconds: number;
  totalSeconds: number;
  /** Iterations per second the open model offers (k6's schedule). */
  offeredPerSecond: number;
  client: ClientTotals;
  /** The target's pool and upstream sockets at the last collector sample; null when not exposed. */
  pool: { total: number; inUse: number; waiting: number } | null;
  upstream: { inUse: number; queued: number } | null;
}

function fixed(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The live line of a run: elapsed / total, offered and achieved iterations per second (achieved over
 * the time since `previous`), requests per second, p95 per endpoint so far, errors and 429s so far,
 * pool in use / waiting, upstream busy, k6 VUs and dropped iterations. Without `previous` the rates
 * are over the whole elapsed time.
 */
export function formatLiveLine(now: LiveSnapshot, previous?: LiveSnapshot): string {
  const base = previous ?? {
    ...now,
    elapsedSeconds: 0,
    client: { ...now.client, iterations: 0, requests: 0 },
  };
  const dt = now.elapsedSeconds - base.elapsedSeconds;
  const rate = (a: number, b: number): string => (dt > 0 ? fixed((a - b) / dt) : '-');
  const c = now.client;
  const p95 = Object.entries(c.p95ByEndpoint)
    .map(([name, ms]) => `${name} ${fixed(ms)}`)
    .join(' ');
  const parts = [
    `${clock(now.elapsedSeconds)}/${clock(now.totalSeconds)}`,
    `it/s ${rate(c.iterations, base.client.iterations)} of ${fixed(now.offeredPerSecond)}`,
    `req/s ${rate(c.requests, base.client.requests)}`,
    `p95 ms ${p95 || '-'}`,
    `err ${c.errors}`,
    `429 ${c.status429}`,
    now.pool ? `pool ${now.pool.inUse}/${now.pool.total} wait ${now.pool.waiting}` : 'pool n/a',
    now.upstream ? `upstream ${now.upstream.inUse} queued ${now.upstream.queued}` : 'upstream n/a',
    `VUs ${c.vus}`,
    `dropped ${c.droppedIterations}`,
  ];
  return parts.join(' · ');
}
