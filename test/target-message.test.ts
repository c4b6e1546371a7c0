// POST /api/message: per-user rate limits by policy (memory and Redis), the monthly tier limit,
// durability of acknowledged messages, and bad requests.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEV_JWT_SECRET,
  type RunningTarget,
  signJwt,
  startTarget,
  startUpstreamStub,
} from '../backend/index.ts';
import { loadPolicy } from '../core/policy.ts';
import { QUERIES_PER_MESSAGE } from '../simulator/index.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs, TEST_REDIS_URL } from './support/services.ts';
import { applyAtlasSchema, insertTinyDataset, type TinyUser } from './target-support.ts';

const withRedis = await needs('Redis');

describe('POST /api/message', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;
  let sql: pg.Client;
  let stub: Awaited<ReturnType<typeof startUpstreamStub>>;
  const targets: RunningTarget[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase('target_msg');
    await applyAtlasSchema(db.url);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    stub = await startUpstreamStub({ latencyMs: { median: 2, p95: 4 } });
  });

  afterAll(async () => {
    for (const t of targets) await t.close();
    await stub?.close();
    await sql?.end();
    await db?.drop();
  });

  const start = async (policy: string, redisUrl?: string) => {
    const t = await startTarget({
      policy: loadPolicy(policy),
      databaseUrl: db.url,
      upstreamUrl: stub.url,
      jwtSecret: DEV_JWT_SECRET,
      ...(redisUrl ? { redisUrl } : {}),
    });
    targets.push(t);
    return t;
  };
  const send = async (
    target: RunningTarget,
    user: TinyUser,
    content = 'hello',
    conversation = user.conversations[0],
  ) =>
    fetch(`${target.url}/api/message`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await signJwt({ role: 'authenticated', sub: user.id }, DEV_JWT_SECRET)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ conversation_id: conversation, content }),
    });
  /** Sends 21 messages in a row (well within a minute) and returns the statuses, checking every 200 is stored. */
  const burst = async (targetsInTurn: RunningTarget[], user: TinyUser) => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await send(targetsInTurn[i % targetsInTurn.length]!, user, `message ${i}`);
      statuses.push(res.status);
      const body = (await res.json()) as Record<string, string>;
      if (res.status === 200) {
        const stored = await sql.query(
          'select role, content from messages where id = any($1::uuid[]) order by role desc',
          [[body.user_message_id, body.assistant_message_id]],
        );
        expect(stored.rows.map((r) => r.role)).toEqual(['user', 'assistant']);
        expect(stored.rows[0].content).toBe(`message ${i}`);
      } else {
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(body).toMatchObject({ code: 'rate_limited', message: 'Too many requests, please slow down' });
      }
    }
    return statuses;
  };
  const twenty200 = [...Array(20).fill(200), 429];

  it('under fixed (memory counters) a free user gets 429 on the 21st message, a paid user does not', async () => {
    const target = await start('fixed');
    const [free, paid] = await insertTinyDataset(db.url, ['free', 'core'], 1, 0);
    expect(await burst([target], free!)).toEqual(twenty200);
    expect(await burst([target], paid!)).toEqual(Array(21).fill(200));
    const usage = await sql.query('select conversations_count from daily_usage where user_id = $1', [
      free!.id,
    ]);
    expect(usage.rows).toEqual([{ conversations_count: 20 }]);
    const metrics = await (await fetch(`${target.url}/metrics`)).text();
    expect(metrics).toMatch(/atlas_rate_limited_total\{tier="free"\} 1/);
  });

  it('under current neither is limited', async () => {
    const target = await start('current');
    const [free, paid] = await insertTinyDataset(db.url, ['free', 'studio'], 1, 0);
    expect(await burst([target], free!)).toEqual(Array(21).fill(200));
    expect(await burst([target], paid!)).toEqual(Array(21).fill(200));
  });

  it("an answered message runs the model's QUERIES_PER_MESSAGE statements (the target's own counters)", async () => {
    const target = await start('current');
    const [user] = await insertTinyDataset(db.url, ['core'], 1, 0);
    const statements = async (): Promise<number> => {
      const text = await (await fetch(`${target.url}/metrics`)).text();
      return [
        ...text.matchAll(
          /^atlas_db_queries_total\{[^}]*kind="(message\.[^"]*|insert\.messages)"[^}]*\} (\d+)/gm,
        ),
      ]
        .map((m) => Number(m[2]))
        .reduce((a, b) => a + b, 0);
    };
    const before = await statements();
    for (let i = 0; i < 3; i++) expect((await send(target, user!, `count ${i}`)).status).toBe(200);
    expect((await statements()) - before).toBe(3 * QUERIES_PER_MESSAGE);
  });

  it('with Redis, two target instances share one counter', withRedis, async () => {
    const a = await start('fixed', TEST_REDIS_URL);
    const b = await start('fixed', TEST_REDIS_URL);
    const [free] = await insertTinyDataset(db.url, ['free'], 1, 0);
    expect(await burst([a, b], free!)).toEqual(twenty200);
  });

  it('refuses the monthly tier limit with 402 and bad requests with 4xx', async () => {
    const target = await start('current');
    const [capped, other] = await insertTinyDataset(db.url, ['free', 'free'], 1, 0);
    await sql.query(
      `insert into daily_usage (user_id, date, conversations_count, total_tokens_used, api_cost_estimate, tier)
       values ($1, current_date, 300, 0, 0, 'free')`,
      [capped!.id],
    );
    const limited = await send(target, capped!);
    expect(limited.status).toBe(402);
    expect(await limited.json()).toMatchObject({ code: 'monthly_limit_exceeded' });

    const notMine = await send(target, other!, 'hi', capped!.conversations[0]);
    expect(notMine.status).toBe(404);
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${target.url}/api/message`, { method: 'POST', headers, body });
    const jwt = await signJwt({ role: 'authenticated', sub: other!.id }, DEV_JWT_SECRET);
    const auth = { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' };
    const cases: [Promise<Response>, number][] = [
      [post({ 'content-type': 'application/json' }, '{}'), 401],
      [post({ ...auth, authorization: 'Bearer x.y.z' }, '{}'), 401],
      [
        post({ ...auth, authorization: `Bearer ${await signJwt({ role: 'anon' }, DEV_JWT_SECRET)}` }, '{}'),
        401,
      ],
      [post(auth, '{"conversation_id": '), 400],
      [post(auth, '"just a string"'), 400],
      [post(auth, JSON.stringify({ conversation_id: 'nope', content: 'x' })), 400],
      [post(auth, JSON.stringify({ conversation_id: other!.conversations[0], content: '' })), 400],
      [
        post(auth, JSON.stringify({ conversation_id: other!.conversations[0], content: 'x'.repeat(40_000) })),
        400,
      ],
    ];
    for (const [response, status] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      expect(((await res.json()) as { message: string }).message.length).toBeGreaterThan(0);
    }
    expect((await send(target, other!)).status).toBe(200);
  });
});
