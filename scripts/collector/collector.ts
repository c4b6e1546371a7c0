import pg from 'pg';
import { LOOP_DELAY_RESOLUTION_MS } from '../../backend/metrics.ts';
import { byLabel, type PromSample, parsePrometheus, sumOf } from './prometheus.ts';

// Samples what the server side does while k6 measures what clients see: the target's /metrics (pool,
// upstream sockets, 429s, queries by kind) and pg_stat_activity (connections by state), once a second.

/** One second of server-side state. */
export interface ServerSample {
  /** Epoch ms the sample was taken. */
  atMs: number;
  pool: { total: number; inUse: number; idle: number; waiting: number } | null;
  dbConnections: Record<string, number> | null;
  upstream: { inUse: number; queued: number } | null;
  /** Cumulative 429s the target counted (atlas_rate_limited_total, all tiers). */
  rateLimitedTotal: number | null;
  /**
   * The target's garbage-collection pauses so far (nodejs_gc_duration_seconds by kind, cumulative);
   * null when the target does not export them. Optional: samples of older collectors have none.
   */
  gc?: GcTotals | null;
  /**
   * The target's event-loop delay since the previous scrape (prom-client's nodejs_eventloop_lag_*,
   * reset at each scrape), beyond the monitor's timer; null when not exported or no tick ran.
   * Optional: samples of older collectors have none.
   */
  loopDelay?: LoopDelay | null;
}

/**
 * How late the event loop ran its monitor's ticks, ms beyond the timer: a tick due at a random moment
 * waits out whatever holds the loop then (callbacks, a GC pause, the thread off its core), so this is
 * the wait for the loop that a request arriving at that moment would see.
 */
export interface LoopDelay {
  meanMs: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The loop delay of one /metrics scrape beyond the monitor's timer, or null (none exported, or no tick). */
export function loopDelayOf(samples: PromSample[]): LoopDelay | null {
  const read = (name: string): number | undefined => {
    const v = sumOf(samples, `nodejs_eventloop_lag_${name}_seconds`);
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const [mean, p90, p99, max] = [read('mean'), read('p90'), read('p99'), read('max')];
  if (mean === undefined || p90 === undefined || p99 === undefined || max === undefined || !(max > 0))
    return null;
  const beyond = (s: number): number => Math.max(0, s * 1000 - LOOP_DELAY_RESOLUTION_MS);
  return { meanMs: beyond(mean), p90Ms: beyond(p90), p99Ms: beyond(p99), maxMs: beyond(max) };
}

/** Cumulative garbage-collection pauses of a Node process, by V8's kind (minor, major, incremental, weakcb). */
export type GcTotals = Record<string, { pauses: number; seconds: number }>;

/** The GC pauses of one /metrics scrape (nodejs_gc_duration_seconds_count and _sum by kind), or null. */
export function gcTotalsOf(samples: PromSample[]): GcTotals | null {
  const counts = byLabel(samples, 'nodejs_gc_duration_seconds_count', 'kind');
  const sums = byLabel(samples, 'nodejs_gc_duration_seconds_sum', 'kind');
  const kinds = Object.keys(counts);
  if (kinds.length === 0) return null;
  return Object.fromEntries(kinds.map((k) => [k, { pauses: counts[k]!, seconds: sums[k] ?? 0 }]));
}

/** Counters read at the start and at the end: what the run cost the server. */
export interface CounterSnapshot {
  atMs: number;
  queriesByKind: Record<string, number>;
  querySecondsByKind: Record<string, number>;
  rateLimitedByTier: Record<string, number>;
  upstreamCallsByStatus: Record<string, number>;
  dbErrorsByCode: Record<string, number>;
  httpByRouteStatus: Record<string, number>;
}

/** Options of {@link startCollector}. */
export interface CollectorOptions {
  /** Base URL of the target; /metrics is read from it. Omit for a remote target without metrics. */
  metricsUrl?: string;
  /** Database whose pg_stat_activity is sampled (connections of that database only). */
  databaseUrl?: string;
  intervalMs?: number;
}

/** A running collector. */
export interface Collector {
  /** The newest sample so far (the live line reads it); undefined before the first. */
  latest(): ServerSample | undefined;
  /** Stops sampling and returns everything collected. */
  stop(): Promise<{ samples: ServerSample[]; first: CounterSnapshot | null; last: CounterSnapshot | null }>;
}

/** Reads the counters of one /metrics scrape. */
export function snapshotOf(samples: PromSample[], atMs: number): CounterSnapshot {
  const routeStatus: Record<string, number> = {};
  for (const s of samples) {
    if (s.name === 'http_requests_total') {
      const key = `${s.labels.route ?? ''} ${s.labels.status ?? ''}`;
      routeStatus[key] = (routeStatus[key] ?? 0) + s.value;
    }
  }
  const errors: Record<string, number> = {};
  for (const s of samples) {
    if (s.name === 'atlas_db_errors_total') {
      const key = s.labels.code ?? 'unknown';
      errors[key] = (errors[key] ?? 0) + s.value;
    }
  }
  return {
    atMs,
    queriesByKind: byLabel(samples, 'atlas_db_queries_total', 'kind'),
    querySecondsByKind: byLabel(samples, 'atlas_db_query_duration_seconds_sum', 'kind'),
    rateLimitedByTier: byLabel(samples, 'atlas_rate_limited_total', 'tier'),
    upstreamCallsByStatus: byLabel(samples, 'atlas_upstream_calls_total', 'status'),
    dbErrorsByCode: errors,
    httpByRouteStatus: routeStatus,
  };
}

/** The server-side sample of one /metrics scrape (null parts when the target does not export them). */
export function sampleOf(samples: PromSample[], atMs: number): Omit<ServerSample, 'dbConnections'> {
  const size = sumOf(samples, 'atlas_db_pool_size');
  const inUse = sumOf(samples, 'atlas_db_pool_in_use');
  const idle = sumOf(samples, 'atlas_db_pool_idle');
  const waiting = sumOf(samples, 'atlas_db_pool_waiting');
  const upInUse = sumOf(samples, 'atlas_upstream_sockets_in_use');
  const upQueued = sumOf(samples, 'atlas_upstream_requests_queued');
  return {
    atMs,
    pool:
      size === undefined && inUse === undefined
        ? null
        : { total: size ?? 0, inUse: inUse ?? 0, idle: idle ?? 0, waiting: waiting ?? 0 },
    upstream: upInUse === undefined ? null : { inUse: upInUse, queued: upQueued ?? 0 },
    rateLimitedTotal: sumOf(samples, 'atlas_rate_limited_total') ?? (samples.length > 0 ? 0 : null),
    gc: gcTotalsOf(samples),
    loopDelay: loopDelayOf(samples),
  };
}

async function scrape(url: string): Promise<PromSample[] | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(900) });
    if (!res.ok) return undefined;
    return parsePrometheus(await res.text());
  } catch {
    return undefined; // a target busy or restarting: this second has no server sample
  }
}

/** Connections of the sampled database by state, excluding the collector's own. */
const ACTIVITY_SQL = `select coalesce(state, 'unknown') as state, count(*)::int as n
  from pg_stat_activity
 where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
 group by 1`;

/** Starts sampling every `intervalMs` (1 s); samples that take longer than the interval are skipped, not queued. */
export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const metricsUrl = options.metricsUrl ? `${options.metricsUrl.replace(/\/+$/, '')}/metrics` : undefined;
  const intervalMs = options.intervalMs ?? 1000;
  let client: pg.Client | undefined;
  const connect = async (): Promise<pg.Client | undefined> => {
    if (!options.databaseUrl) return undefined;
    const c = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: 'atlas-cap collector',
      connectionTimeoutMillis: 900,
    });
    c.on('error', () => {}); // a cut connection (fault runs) is replaced on the next tick
    try {
      await c.connect();
      return c;
    } catch {
      await c.end().catch(() => {});
      return undefined;
    }
  };
  client = await connect();
  const samples: ServerSample[] = [];
  let first: CounterSnapshot | null = null;
  let last: CounterSnapshot | null = null;
  let busy = false;

  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    const atMs = Date.now();
    try {
      const [prom, activity] = await Promise.all([
        metricsUrl ? scrape(metricsUrl) : Promise.resolve(undefined),
        (async () => {
          if (!options.databaseUrl) return null;
          client ??= await connect();
          if (!client) return null;
          try {
            const { rows } = await client.query<{ state: string; n: number }>(ACTIVITY_SQL);
            return Object.fromEntries(rows.map((r) => [r.state, r.n]));
          } catch {
            await client.end().catch(() => {});
            client = undefined;
            return null;
          }
        })(),
      ]);
      const base = prom
        ? sampleOf(prom, atMs)
        : { atMs, pool: null, upstream: null, rateLimitedTotal: null, gc: null, loopDelay: null };
      samples.push({ ...base, dbConnections: activity });
      if (prom) {
        last = snapshotOf(prom, atMs);
        first ??= last;
      }
    } finally {
      busy = false;
    }
  };

  await tick();
  const timer = setInterval(() => void tick(), intervalMs);
  return {
    latest: () => samples.at(-1),
    async stop() {
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 20));
      await tick();
      await client?.end().catch(() => {});
      return { samples, first, last };
    },
  };
}
