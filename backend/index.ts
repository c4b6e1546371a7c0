import type { AddressInfo } from 'node:net';
import { admissionLimit, waitingForDbLimit } from '../core/target-admission.ts';
import { createDbPool } from './db-pool.ts';
import { jwtSecretFromEnv } from './jwt.ts';
import { createMetrics } from './metrics.ts';
import { createMessageRateLimiter } from './rate-limit.ts';
import { createRedisStore } from './redis-store.ts';
import { createPrimaryKeyLookup } from './rest/primary-keys.ts';
import { buildServer } from './server.ts';
import { type RunningTarget, TARGET_DEFAULTS, type TargetOptions } from './target-options.ts';
import { createUpstreamClient } from './upstream-agent.ts';

export { anonKey, DEV_JWT_SECRET, serviceRoleKey, signJwt } from './jwt.ts';
export type { RunningTarget, TargetOptions } from './target-options.ts';
export { TARGET_DEFAULTS } from './target-options.ts';
export { startUpstreamStub } from './upstream-stub.ts';

/**
 * Starts the reference Atlas backend: Supabase REST subset, /api/message, /healthz and /metrics,
 * configured by `options.policy`. Resolves once listening; `close()` stops the server and releases
 * the pool, the Redis client and the upstream agent.
 */
export async function startTarget(options: TargetOptions): Promise<RunningTarget> {
  const { policy } = options;
  const metrics = createMetrics();
  const maxWaiting = options.maxWaitingForDb ?? waitingForDbLimit(policy);
  const db = createDbPool(options.databaseUrl, policy, metrics, maxWaiting);
  const redis = options.redisUrl ? createRedisStore(options.redisUrl) : undefined;
  // Listen only once Redis is connected (or has had its connect timeout), so the first /healthz and
  // the first rate-limited request see Redis as it is, not a connection still being made.
  await redis?.ready();
  const upstream = createUpstreamClient(options.upstreamUrl, policy, metrics);
  metrics.bindGauges({ dbPool: () => db.stats(), upstream: () => upstream.stats() });
  const jwtSecret = options.jwtSecret ?? jwtSecretFromEnv();
  const app = buildServer({
    metrics,
    rest: {
      db,
      jwtSecret,
      maxRows: options.maxRows ?? TARGET_DEFAULTS.maxRows,
      slowQuery: options.slowQuery,
      primaryKey: createPrimaryKeyLookup(db),
    },
    message: {
      policy,
      db,
      upstream,
      rateLimiter: createMessageRateLimiter(policy, redis),
      metrics,
      jwtSecret,
      maxQueuedUpstream: options.maxQueuedUpstream ?? TARGET_DEFAULTS.maxQueuedUpstream,
    },
    health: { policy, db, redis, startedAt: Date.now() },
    // Room for every upstream socket and every connection with its waiters: admission only cuts
    // what could not progress anyway (CPU overload).
    maxInFlight: options.maxInFlight ?? admissionLimit(policy, maxWaiting),
  });
  const release = async () => {
    upstream.close();
    await redis?.close();
    await db.close();
  };
  const host = options.host ?? TARGET_DEFAULTS.host;
  try {
    await app.listen({ port: options.port ?? TARGET_DEFAULTS.port, host });
  } catch (error) {
    await release();
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    close() {
      closing ??= (async () => {
        await app.close();
        await release();
      })();
      return closing;
    },
  };
}
