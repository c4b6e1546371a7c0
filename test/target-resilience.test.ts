// Failure behaviour of the target on real services: /healthz follows the database and Redis down
// and back up without a restart, terminated connections are replaced, a full pool answers 503
// within the acquire timeout, and the statement timeout cancels slow queries.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anonKey,
  DEV_JWT_SECRET,
  type RunningTarget,
  signJwt,
  startTarget,
  startUpstreamStub,
} from '../backend/index.ts';
import { loadPolicy, type Policy } from '../core/policy.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs, TEST_DATABASE_URL } from './support/services.ts';
import { applyAtlasSchema, insertTinyDataset, type TinyUser } from './target-support.ts';

const withRedis = await needs('Redis');

/** Polls `fn` every 100 ms until it returns `want` or `ms` pass; returns the last value. */
async function until<T>(fn: () => Promise<T>, want: T, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  let last = await fn();
  while (last !== want && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

describe('target resilience', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;
  let admin: pg.Client;
  let stub: Awaited<ReturnType<typeof startUpstreamStub>>;
  let user: TinyUser;
  let headers: Record<string, string>;
  const targets: RunningTarget[] = [];
  let redis: ChildProcess | undefined;

  const start = async (policy: Policy, extra: Partial<Parameters<typeof startTarget>[0]> = {}) => {
    const t = await startTarget({
      policy,
      databaseUrl: db.url,
      upstreamUrl: stub.url,
      jwtSecret: DEV_JWT_SECRET,
      ...extra,
    });
    targets.push(t);
    return t;
  };
  const health = async (t: RunningTarget) => (await fetch(`${t.url}/healthz`)).status;
  const read = (t: RunningTarget) => fetch(`${t.url}/rest/v1/conversations?select=id`, { headers });
  const terminate = () =>
    admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [db.name],
    );

  beforeAll(async () => {
    db = await createScratchDatabase('target_res');
    await applyAtlasSchema(db.url);
    [user] = (await insertTinyDataset(db.url, ['core'], 2, 2)) as [TinyUser];
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    stub = await startUpstreamStub({ latencyMs: { median: 2, p95: 4 } });
    headers = {
      apikey: await anonKey(DEV_JWT_SECRET),
      authorization: `Bearer ${await signJwt({ role: 'authenticated', sub: user.id }, DEV_JWT_SECRET)}`,
    };
  });

  afterAll(async () => {
    for (const t of targets) await t.close();
    redis?.kill('SIGKILL');
    await stub?.close();
    await admin?.query(`alter database ${db.name} allow_connections true`).catch(() => {});
    await admin?.end();
    await db?.drop();
  });

  it('turns /healthz 503 while the database refuses connections and 200 when it is back', async () => {
    const target = await start(loadPolicy('fixed'));
    expect(await health(target)).toBe(200);
    await admin.query(`alter database ${db.name} allow_connections false`);
    await terminate();
    expect(await until(() => health(target), 503)).toBe(503);
    const down = await read(target);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { code: string }).code).toBe('PGRST000');
    await admin.query(`alter database ${db.name} allow_connections true`);
    expect(await until(() => health(target), 200)).toBe(200);
    expect((await read(target)).status).toBe(200);
  });

  it('replaces connections cut by pg_terminate_backend without failing later requests', async () => {
    const target = await start(loadPolicy('fixed'));
    await Promise.all(Array.from({ length: 8 }, () => read(target))); // open several pooled connections
    const cut = await terminate();
    expect(cut.rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await read(target)).status));
    expect(statuses).toEqual(Array(20).fill(200));
    const metrics = await (await fetch(`${target.url}/metrics`)).text();
    expect(metrics).toMatch(/atlas_db_errors_total\{kind="idle",code="57P01"\} [1-9]/);
  });

  it('fails in-flight queries of a terminated connection with 5xx, then serves from fresh connections', async () => {
    const slow = await start(loadPolicy('fixed'), { slowQuery: { ms: 1500, share: 1 } });
    const inFlight = Promise.all(Array.from({ length: 3 }, () => read(slow)));
    await new Promise((r) => setTimeout(r, 300));
    await terminate();
    const cut = await inFlight;
    expect(cut.every((r) => r.status >= 500)).toBe(true);
    const fresh = await start(loadPolicy('fixed'));
    expect((await read(fresh)).status).toBe(200);
    expect(await health(slow)).toBe(200);
  });

  it('answers 503 PGRST003 when no connection frees up within the acquire timeout, and never hangs', async () => {
    const fixed = loadPolicy('fixed');
    const policy: Policy = { ...fixed, database: { ...fixed.database, poolSize: 1, acquireTimeoutMs: 200 } };
    const target = await start(policy, { slowQuery: { ms: 800, share: 1 } });
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 4 }, () => read(target)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(2);
    const timedOut = responses.find((r) => r.status === 503)!;
    expect(((await timedOut.json()) as { code: string }).code).toBe('PGRST003');
    expect(Date.now() - started).toBeLessThan(5000);
    const metrics = await (await fetch(`${target.url}/metrics`)).text();
    expect(metrics).toMatch(/atlas_db_errors_total\{kind="acquire",code="pool_timeout"\} [1-9]/);
  });

  it('cancels a query beyond the policy statement timeout and keeps serving', async () => {
    const fixed = loadPolicy('fixed');
    const policy: Policy = { ...fixed, database: { ...fixed.database, statementTimeoutMs: 300 } };
    const slow = await start(policy, { slowQuery: { ms: 1000, share: 1 } });
    const res = await read(slow);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe('57014');
    const fast = await start(policy);
    expect((await read(fast)).status).toBe(200);
  });

  it(
    'turns /healthz 503 while Redis is down and 200 when it returns; messages fail open',
    withRedis,
    async () => {
      // This Redis is stopped and started again at the same address: a Unix socket in a private
      // folder is an address nothing else can take in between (a TCP port found free and closed can).
      const socket = join(mkdtempSync(join(tmpdir(), 'atlas-redis-')), 'redis.sock');
      const launch = () => {
        redis = spawn(
          'redis-server',
          [
            '--port',
            '0',
            '--unixsocket',
            socket,
            '--unixsocketperm',
            '700',
            '--save',
            '',
            '--appendonly',
            'no',
          ],
          { stdio: 'ignore' },
        );
      };
      launch();
      const target = await start(loadPolicy('fixed'), { redisUrl: socket });
      expect(await until(() => health(target), 200)).toBe(200);
      redis!.kill('SIGTERM');
      await new Promise((r) => redis!.once('exit', r));
      expect(await until(() => health(target), 503)).toBe(503);
      const message = await fetch(`${target.url}/api/message`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ conversation_id: user.conversations[0], content: 'while redis is down' }),
      });
      expect(message.status).toBe(200); // fixed policy: onStoreError fail-open
      const fixed = loadPolicy('fixed');
      const closed = await start(
        { ...fixed, rateLimit: { ...fixed.rateLimit, onStoreError: 'fail-closed' } },
        {
          redisUrl: socket,
        },
      );
      const refused = await fetch(`${closed.url}/api/message`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ conversation_id: user.conversations[0], content: 'fail closed' }),
      });
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
        503,
        'rate_limit_unavailable',
      ]);
      launch();
      expect(await until(() => health(target), 200)).toBe(200);
    },
  );
});
