import type { SeriesSample } from '../core/run-record.ts';
import { congestionFactor } from './db-congestion.ts';

// The database's congestion cost read inside one run, second by second (issue 12). Pure.
//
// db-congestion.ts's κ (the database's CPU per statement growing with busy connections past its cores)
// was measured by comparing replicates of one level, congested against calm, and session 30 showed why
// that is not enough: a slower machine state makes both more CPU a statement and a fuller pool. Inside
// one replicate the machine state is one, so its own seconds can tell the two apart: the seconds with
// at most the database's cores + 1 connections in use and none waiting (calm) against those with the
// pool full and requests waiting (congested), at about the same load. Session 49 (bench:knee full sync,
// 2026-12-07 04:33, no stolen time): the database's CPU a request rose from 0.42 to 0.55-0.56 ms inside
// the two 0.9K replicates that collapsed (+30 %), 0.36 to 0.45 inside a 1.1K one, 0.51 to 0.59-0.60
// inside 0.8K's and the knee probe's slower ones; their calm seconds matched the calm replicates'
// (0.42-0.44 at 0.9K). The request is the unit (the series counts requests, not statements): one
// scenario's requests carry the same statements whatever the pool does.

/** Fewest seconds each state needs before a run's ratio is read (fewer: too few samples of one core's CPU). */
export const MIN_STATE_SECONDS = 5;

/** Seconds of one pool state inside a run: how many, the mean connections in use, the database's CPU a request. */
export interface PoolStateSeconds {
  seconds: number;
  /** Mean pooled connections in use over these seconds. */
  busyConnections: number;
  /** The database server's CPU over these seconds per request completed in them, ms. */
  databaseMsPerRequest: number;
}

/** A run's database CPU a request in its calm and congested seconds, their ratio and the κ it implies. */
export interface RunDbCongestion {
  calm: PoolStateSeconds;
  congested: PoolStateSeconds;
  /** congested.databaseMsPerRequest / calm.databaseMsPerRequest. */
  ratio: number;
  /**
   * κ of db-congestion.ts that gives this ratio between the two states' busy connections on
   * `databaseCores` (it can be negative: less CPU when congested); null when the two states' busy
   * connections past the cores are the same.
   */
  perBusyConnection: number | null;
}

function stateOf(samples: readonly SeriesSample[]): PoolStateSeconds | null {
  let requests = 0;
  let cpuPercentSeconds = 0;
  let busy = 0;
  for (const s of samples) {
    requests += s.requests;
    cpuPercentSeconds += s.cpu!.database!;
    busy += s.pool!.inUse;
  }
  if (samples.length < MIN_STATE_SECONDS || requests <= 0) return null;
  return {
    seconds: samples.length,
    busyConnections: busy / samples.length,
    // Percent of one core for a second is 10 ms of CPU.
    databaseMsPerRequest: (cpuPercentSeconds * 10) / requests,
  };
}

/** A second of a run's series with its pool full and requests waiting for a connection (the collapsed state). */
export function isCongestedSecond(s: SeriesSample): boolean {
  return s.pool !== null && s.pool.waiting > 0 && s.pool.inUse >= s.pool.total;
}

/**
 * The run's calm seconds (at most `databaseCores` + 1 connections in use, none waiting) against its
 * congested ones (the pool full, requests waiting), each with its database CPU a request; null when
 * either state has fewer than MIN_STATE_SECONDS seconds with the pool and the database's CPU sampled.
 */
export function runDbCongestion(
  series: readonly SeriesSample[],
  databaseCores: number,
): RunDbCongestion | null {
  const sampled = series.filter(
    (s) => s.pool !== null && typeof s.cpu?.database === 'number' && s.requests > 0,
  );
  const c = Math.max(1, Math.round(databaseCores));
  const calm = stateOf(sampled.filter((s) => s.pool!.waiting === 0 && s.pool!.inUse <= c + 1));
  const congested = stateOf(sampled.filter(isCongestedSecond));
  if (!calm || !congested || calm.databaseMsPerRequest <= 0) return null;
  const ratio = congested.databaseMsPerRequest / calm.databaseMsPerRequest;
  // ratio = f(B_hi) / f(B_lo) with f(B) = 1 + κ·max(0, B − c): κ = (ratio − 1) / (b − ratio·a).
  const a = congestionFactor(1, calm.busyConnections, c) - 1;
  const b = congestionFactor(1, congested.busyConnections, c) - 1;
  const denominator = b - ratio * a;
  return { calm, congested, ratio, perBusyConnection: denominator > 0 ? (ratio - 1) / denominator : null };
}
