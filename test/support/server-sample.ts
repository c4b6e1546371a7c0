import type { ServerSample } from '../../scripts/collector/collector.ts';

/** A collector sample at `atMs` with nothing scraped but the given parts (GC totals, loop delay). */
export function serverSample(atMs: number, parts: Pick<ServerSample, 'gc' | 'loopDelay'>): ServerSample {
  return { atMs, pool: null, dbConnections: null, upstream: null, rateLimitedTotal: null, ...parts };
}
