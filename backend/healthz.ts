import type { FastifyInstance } from 'fastify';
import type { Policy } from '../core/policy.ts';
import type { DbPool } from './db-pool.ts';
import type { RedisStore } from './redis-store.ts';

/** What /healthz checks. */
export interface HealthDeps {
  policy: Policy;
  db: DbPool;
  redis?: RedisStore | undefined;
  startedAt: number;
}

/** A health check never waits longer than this for the database (a load balancer probes often). */
const DB_CHECK_TIMEOUT_MS = 2000;

async function databaseHealthy(db: DbPool): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.query('health', 'select 1'),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), DB_CHECK_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz. Policy `basic` (today's code): 200 while the process runs. Policy `full`
 * (launch-readiness-report.md fix #5): database and Redis checks, memory and uptime; 503 when the
 * database or a configured Redis does not answer. Redis counts as healthy when none is configured.
 */
export function registerHealthz(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async (_request, reply) => {
    if (deps.policy.health === 'basic') return reply.send({ status: 'ok', timestamp: Date.now() });
    const [database, redis] = await Promise.all([
      databaseHealthy(deps.db),
      deps.redis ? deps.redis.healthy() : Promise.resolve(null),
    ]);
    const healthy = database && redis !== false;
    return reply.status(healthy ? 200 : 503).send({
      status: healthy ? 'ok' : 'degraded',
      timestamp: Date.now(),
      checks: {
        database,
        redis,
        memory: process.memoryUsage(),
        uptime: (Date.now() - deps.startedAt) / 1000,
      },
    });
  });
}
