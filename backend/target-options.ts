import type { Policy } from '../core/policy.ts';

/** Options of `startTarget`; the CLI parses its flags into this object. */
export interface TargetOptions {
  policy: Policy;
  databaseUrl: string;
  /** Base URL of the language-model upstream (the stub, or a real endpoint). */
  upstreamUrl: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Redis for shared rate-limit counters; in-memory counters when absent. */
  redisUrl?: string;
  /** HS256 secret of the JWTs; SUPABASE_JWT_SECRET or the development default when absent. */
  jwtSecret?: string;
  /** Fault injection: pg_sleep(ms) before `share` (0..1) of the REST reads. */
  slowQuery?: { ms: number; share: number };
  /** Rows per REST response at most (Supabase's "Max rows", 1000). */
  maxRows?: number;
  /** Upstream calls allowed to queue for a socket before /api/message answers 503 (memory bound). */
  maxQueuedUpstream?: number;
  /** Requests allowed to wait for a database connection before new ones get 503 at once. */
  maxWaitingForDb?: number;
  /** Requests served at once before new ones get 503 at once (default: upstream sockets + pool + waiters). */
  maxInFlight?: number;
}

/** A listening target. */
export interface RunningTarget {
  url: string;
  close(): Promise<void>;
}

/** Defaults of the optional options, in one place. */
export const TARGET_DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  maxRows: 1000,
  /** 20k queued calls hold a few tens of MB; far beyond what the report's loads queue. */
  maxQueuedUpstream: 20_000,
} as const;
