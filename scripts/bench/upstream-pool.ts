// Benchmark: /api/message throughput against the upstream agent's socket pool. With the report's
// pool of 50 and a language model holding each call ~500 ms, throughput levels off near
// 50 / 0.5 s = 100 requests/s and the surplus queues in the agent; with 200 sockets it does not.
// Run: node --import tsx scripts/bench/upstream-pool.ts [--seconds S] [--concurrency C,C2,...]
// Needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432); makes and drops a scratch database.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, signJwt, startTarget, startUpstreamStub } from '../../backend/index.ts';
import { loadPolicy, type Policy } from '../../core/policy.ts';
import { logNormalFromMedianP95, logNormalMean } from '../../simulator/index.ts';

/** A user the load sends messages as. */
export interface LoadUser {
  jwt: string;
  conversationId: string;
}

/** What one bounded closed-loop load measured. */
export interface LoadResult {
  concurrency: number;
  seconds: number;
  /** 200 responses per second in the measured window (after the warm-up). */
  throughput: number;
  statuses: Record<string, number>;
  /** Largest atlas_upstream_requests_queued and atlas_upstream_sockets_in_use seen while loading. */
  maxQueued: number;
  maxSocketsInUse: number;
  /** Largest atlas_db_pool_waiting seen: when it is not 0 the database pool, not the upstream, limits. */
  maxDbWaiting: number;
  p50Ms: number;
  p95Ms: number;
}

function gauge(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Sends /api/message from `concurrency` loops (each user sends its next message when the last
 * answered) for `warmupSeconds + seconds`, samples /metrics every 250 ms, and stops by itself.
 */
export async function loadMessages(
  targetUrl: string,
  users: LoadUser[],
  options: { concurrency: number; seconds: number; warmupSeconds?: number },
): Promise<LoadResult> {
  const warmup = (options.warmupSeconds ?? 1) * 1000;
  const started = performance.now();
  const windowStart = started + warmup;
  const end = windowStart + options.seconds * 1000;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let ok = 0;
  let maxQueued = 0;
  let maxSocketsInUse = 0;
  let maxDbWaiting = 0;
  const sampler = setInterval(async () => {
    try {
      const text = await (await fetch(`${targetUrl}/metrics`)).text();
      maxQueued = Math.max(maxQueued, gauge(text, 'atlas_upstream_requests_queued'));
      maxSocketsInUse = Math.max(maxSocketsInUse, gauge(text, 'atlas_upstream_sockets_in_use'));
      maxDbWaiting = Math.max(maxDbWaiting, gauge(text, 'atlas_db_pool_waiting'));
    } catch {}
  }, 250);
  // node:http with a keep-alive agent: a lighter client than fetch, so the load generator sharing
  // the machine (and, in tests, the process) takes less of the CPU the target needs.
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL('/api/message', targetUrl);
  const post = (user: LoadUser) =>
    new Promise<string>((resolve) => {
      const body = JSON.stringify({ conversation_id: user.conversationId, content: 'How are you today?' });
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          timeout: 30_000,
          headers: {
            authorization: `Bearer ${user.jwt}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
          res.on('error', () => resolve('error'));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve('error'));
      req.end(body);
    });
  const loop = async (user: LoadUser) => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const status = await post(user);
      const t1 = performance.now();
      if (t1 >= windowStart && t1 < end) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === '200') {
          ok++;
          latencies.push(t1 - t0);
        }
      }
    }
  };
  await Promise.all(users.slice(0, options.concurrency).map(loop));
  clearInterval(sampler);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    concurrency: options.concurrency,
    seconds: options.seconds,
    throughput: ok / options.seconds,
    statuses,
    maxQueued,
    maxSocketsInUse,
    maxDbWaiting,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
  };
}

/**
 * `policy` with the upstream pool set to `maxSockets`, no per-user limit, and a database pool of
 * `dbPoolSize` (default: the policy's), so that the upstream pool is what the load measures.
 */
export function poolPolicy(base: Policy, maxSockets: number, dbPoolSize = base.database.poolSize): Policy {
  return {
    ...base,
    upstream: { ...base.upstream, maxSockets },
    database: { ...base.database, poolSize: dbPoolSize },
    rateLimit: { ...base.rateLimit, perUser: null },
  };
}

/** Makes `count` paid users with one conversation each in `databaseUrl` (schema already applied). */
export async function makeLoadUsers(databaseUrl: string, count: number): Promise<LoadUser[]> {
  const { insertTinyDataset } = await import('../../test/target-support.ts');
  const users = await insertTinyDataset(databaseUrl, Array(count).fill('studio'), 1, 0);
  return Promise.all(
    users.map(async (u) => ({
      jwt: await signJwt({ role: 'authenticated', sub: u.id }, DEV_JWT_SECRET),
      conversationId: u.conversations[0]!,
    })),
  );
}

/** One line of the benchmark's table. */
export function formatResult(pool: number, ceiling: number, r: LoadResult): string {
  return (
    `pool ${String(pool).padStart(3)}  concurrency ${String(r.concurrency).padStart(3)}  ` +
    `${r.throughput.toFixed(1).padStart(6)} req/s (ceiling ${ceiling.toFixed(0)})  ` +
    `p50 ${r.p50Ms.toFixed(0)} ms  p95 ${r.p95Ms.toFixed(0)} ms  max queued ${r.maxQueued}  ` +
    `max sockets ${r.maxSocketsInUse}  max db waiting ${r.maxDbWaiting}  statuses ${JSON.stringify(r.statuses)}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '100,150,250' },
    },
  });
  const seconds = Number(values.seconds);
  const levels = values.concurrency.split(',').map(Number);
  const { createScratchDatabase } = await import('../../test/support/scratch-database.ts');
  const { applyAtlasSchema } = await import('../../test/target-support.ts');
  const db = await createScratchDatabase('bench_upstream');
  try {
    await applyAtlasSchema(db.url);
    const users = await makeLoadUsers(db.url, Math.max(...levels));
    const base = loadPolicy('current');
    const { median, p95 } = base.upstream.latencyMs;
    const stub = await startUpstreamStub({ latencyMs: { median, p95 }, seed: 7 });
    // Mean of the log-normal stub; the pool's ceiling is maxSockets / mean.
    const meanSeconds = logNormalMean(logNormalFromMedianP95(median, p95)) / 1000;
    console.log(
      `upstream latency: median ${median} ms, p95 ${p95} ms (mean ${(meanSeconds * 1000).toFixed(0)} ms)`,
    );
    for (const pool of [50, 200]) {
      const target = await startTarget({
        policy: poolPolicy(base, pool),
        databaseUrl: db.url,
        upstreamUrl: stub.url,
      });
      for (const concurrency of levels) {
        const r = await loadMessages(target.url, users, { concurrency, seconds });
        console.log(formatResult(pool, pool / meanSeconds, r));
      }
      await target.close();
    }
    await stub.close();
  } finally {
    await db.drop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
