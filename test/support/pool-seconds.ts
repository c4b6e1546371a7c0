import type { SeriesSample } from '../../core/run-record.ts';

/**
 * `n` seconds of a run for tests: `requests` each, the database at `dbPercent` of a core, the pool at
 * `inUse` of 10 with `waiting` requests waiting for a connection.
 */
export function poolSeconds(
  n: number,
  requests: number,
  dbPercent: number,
  inUse: number,
  waiting: number,
): SeriesSample[] {
  return Array.from({ length: n }, (_, t) => ({
    t,
    requests,
    endpoints: {},
    pool: { total: 10, inUse, idle: 10 - inUse, waiting },
    dbConnections: null,
    upstream: null,
    rateLimited: null,
    cpu: { host: 150, target: 40, database: dbPercent, loadGenerator: 30, runner: 1 },
  }));
}
