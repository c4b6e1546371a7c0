import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: 5 ms (a cached read) to 30 s (the fixed policy's upstream socket timeout). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Query buckets in seconds: sub-millisecond index lookups to the 5 s statement timeout and beyond. */
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The timer of the event-loop delay monitor (perf_hooks.monitorEventLoopDelay, run by prom-client's
 * default metrics), ms: prom-client's default, made explicit because its nodejs_eventloop_lag_* figures
 * include it (a tick that waited nothing reads this much).
 */
export const LOOP_DELAY_RESOLUTION_MS = 10;

/** Live values the pool and upstream gauges read when /metrics is scraped. */
export interface GaugeSources {
  dbPool(): { size: number; inUse: number; idle: number; waiting: number };
  upstream(): { size: number; inUse: number; queued: number };
}

/** Every metric the target exports, in one registry per target instance (docs/target.md lists them). */
export interface TargetMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'status'>;
  httpDuration: Histogram<'route' | 'status'>;
  rateLimited: Counter<'tier'>;
  tierLimited: Counter<'tier'>;
  dbQueries: Counter<'kind'>;
  dbQueryDuration: Histogram<'kind'>;
  dbAcquireWait: Histogram;
  dbErrors: Counter<'kind' | 'code'>;
  upstreamCalls: Counter<'status'>;
  upstreamDuration: Histogram<'status'>;
  /** Connects the pool and upstream gauges to their sources. */
  bindGauges(sources: GaugeSources): void;
}

/** Creates the target's metrics in a fresh registry, with Node's default process metrics. */
export function createMetrics(): TargetMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: LOOP_DELAY_RESOLUTION_MS });
  let sources: GaugeSources | undefined;
  const gauge = (name: string, help: string, read: (s: GaugeSources) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (sources) this.set(read(sources));
      },
    });
  gauge(
    'atlas_db_pool_size',
    'Configured size of the PostgreSQL pool (policy database.poolSize)',
    (s) => s.dbPool().size,
  );
  gauge('atlas_db_pool_in_use', 'PostgreSQL connections checked out by requests', (s) => s.dbPool().inUse);
  gauge('atlas_db_pool_idle', 'Open PostgreSQL connections waiting in the pool', (s) => s.dbPool().idle);
  gauge('atlas_db_pool_waiting', 'Requests queued for a PostgreSQL connection', (s) => s.dbPool().waiting);
  gauge(
    'atlas_upstream_pool_size',
    'maxSockets of the upstream agent (policy upstream.maxSockets)',
    (s) => s.upstream().size,
  );
  gauge('atlas_upstream_sockets_in_use', 'Upstream sockets carrying a request', (s) => s.upstream().inUse);
  gauge(
    'atlas_upstream_requests_queued',
    'Upstream calls queued for a free socket',
    (s) => s.upstream().queued,
  );
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route template and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'atlas_rate_limited_total',
      help: '/api/message requests refused by the per-user rate limit (429)',
      labelNames: ['tier'],
      registers: [registry],
    }),
    tierLimited: new Counter({
      name: 'atlas_tier_limited_total',
      help: '/api/message requests refused by the monthly tier limit (402)',
      labelNames: ['tier'],
      registers: [registry],
    }),
    dbQueries: new Counter({
      name: 'atlas_db_queries_total',
      help: 'Statements sent to PostgreSQL by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    dbQueryDuration: new Histogram({
      name: 'atlas_db_query_duration_seconds',
      help: 'Statement execution time by kind (connection already held)',
      labelNames: ['kind'],
      buckets: QUERY_BUCKETS,
      registers: [registry],
    }),
    dbAcquireWait: new Histogram({
      name: 'atlas_db_acquire_wait_seconds',
      help: 'Time a request waited for a pooled PostgreSQL connection',
      buckets: QUERY_BUCKETS,
      registers: [registry],
    }),
    dbErrors: new Counter({
      name: 'atlas_db_errors_total',
      help: 'Failed statements and acquisitions by kind and SQLSTATE (or pool_timeout / connect)',
      labelNames: ['kind', 'code'],
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: 'atlas_upstream_calls_total',
      help: 'Calls to the language-model upstream by HTTP status (or timeout / error)',
      labelNames: ['status'],
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'atlas_upstream_call_duration_seconds',
      help: 'Upstream call time including the wait for a socket',
      labelNames: ['status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    bindGauges(s) {
      sources = s;
    },
  };
}
