// The REST subset against a real PostgreSQL: row-level security, writes, PostgREST errors, and a
// server that keeps serving after bad requests.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anonKey,
  DEV_JWT_SECRET,
  type RunningTarget,
  serviceRoleKey,
  signJwt,
  startTarget,
  startUpstreamStub,
} from '../backend/index.ts';
import { loadPolicy } from '../core/policy.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';
import { applyAtlasSchema, insertTinyDataset, type TinyUser } from './target-support.ts';

describe('target REST subset', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;
  let sql: pg.Client;
  let target: RunningTarget;
  let stub: Awaited<ReturnType<typeof startUpstreamStub>>;
  let alice: TinyUser;
  let bob: TinyUser;
  let anon: string;
  let service: string;
  let aliceJwt: string;

  beforeAll(async () => {
    db = await createScratchDatabase('target_rest');
    await applyAtlasSchema(db.url);
    [alice, bob] = (await insertTinyDataset(db.url, ['free', 'core'])) as [TinyUser, TinyUser];
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    stub = await startUpstreamStub({ latencyMs: { median: 5, p95: 10 } });
    target = await startTarget({
      policy: loadPolicy('fixed'),
      databaseUrl: db.url,
      upstreamUrl: stub.url,
      jwtSecret: DEV_JWT_SECRET,
    });
    anon = await anonKey(DEV_JWT_SECRET);
    service = await serviceRoleKey(DEV_JWT_SECRET);
    aliceJwt = await signJwt({ role: 'authenticated', sub: alice.id }, DEV_JWT_SECRET);
  });

  afterAll(async () => {
    await target?.close();
    await stub?.close();
    await sql?.end();
    await db?.drop();
  });

  const rest = (path: string, init: RequestInit & { jwt?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('apikey', anon);
    if (init.jwt !== null) headers.set('authorization', `Bearer ${init.jwt ?? aliceJwt}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${target.url}/rest/v1/${path}`, { ...init, headers });
  };

  it('shows a user only their own rows; anon nothing; service_role everything', async () => {
    const own = (await (await rest('conversations?select=id,user_id')).json()) as { user_id: string }[];
    expect(own).toHaveLength(3);
    expect(own.every((c) => c.user_id === alice.id)).toBe(true);
    expect(await (await rest(`conversations?user_id=eq.${bob.id}`)).json()).toEqual([]);
    expect(await (await rest(`messages?conversation_id=eq.${bob.conversations[0]}`)).json()).toEqual([]);
    expect(await (await rest('messages', { jwt: null })).json()).toEqual([]);
    const all = (await (await rest('messages?select=id', { jwt: service })).json()) as unknown[];
    expect(all).toHaveLength(24);
  });

  it('counts, pages and answers single objects as PostgREST does', async () => {
    const page = await rest('messages?select=id&order=created_at.asc&limit=5&offset=2', {
      headers: { prefer: 'count=exact' },
    });
    expect(page.status).toBe(206);
    expect(page.headers.get('content-range')).toBe('2-6/12');
    const one = await rest(`profiles?id=eq.${alice.id}`, {
      headers: { accept: 'application/vnd.pgrst.object+json' },
    });
    expect(((await one.json()) as { id: string }).id).toBe(alice.id);
    const many = await rest('messages', { headers: { accept: 'application/vnd.pgrst.object+json' } });
    expect(many.status).toBe(406);
    expect(((await many.json()) as { code: string }).code).toBe('PGRST116');
    const head = await rest('messages', { method: 'HEAD', headers: { prefer: 'count=exact' } });
    expect([head.status, head.headers.get('content-range'), await head.text()]).toEqual([200, '0-11/12', '']);
    const ranged = await rest('messages?select=id&order=id', { headers: { range: '10-19' } });
    expect([ranged.status, ranged.headers.get('content-range')]).toEqual([200, '10-11/*']);
    const past = await rest('messages?offset=50', { headers: { prefer: 'count=exact' } });
    expect([past.status, ((await past.json()) as { code: string }).code]).toEqual([416, 'PGRST103']);
    const capped = await rest('messages?select=id&limit=100000', { jwt: service });
    expect(((await capped.json()) as unknown[]).length).toBe(24);
  });

  it('inserts own rows and refuses rows of another user', async () => {
    const mine = {
      id: crypto.randomUUID(),
      user_id: alice.id,
      title: 'new',
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
    const created = await rest('conversations?select=id,title', {
      method: 'POST',
      body: JSON.stringify(mine),
      headers: { prefer: 'return=representation' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual([{ id: mine.id, title: 'new' }]);

    const now = new Date().toISOString();
    const bulk = [0, 1, 2].map((i) => ({
      id: crypto.randomUUID(),
      conversation_id: alice.conversations[0],
      role: 'user',
      content: `bulk ${i}`,
      created_at: now,
    }));
    const many = await rest(
      'messages?select=content&columns="id","conversation_id","role","content","created_at"',
      {
        method: 'POST',
        body: JSON.stringify(bulk),
        headers: { prefer: 'return=representation,count=exact' },
      },
    );
    expect([many.status, many.headers.get('content-range')]).toEqual([201, '*/3']);
    expect(await many.json()).toEqual([{ content: 'bulk 0' }, { content: 'bulk 1' }, { content: 'bulk 2' }]);
    const mixed = [
      { ...bulk[0]!, id: crypto.randomUUID() },
      { ...bulk[0]!, id: crypto.randomUUID(), conversation_id: bob.conversations[0] },
    ];
    expect((await rest('messages', { method: 'POST', body: JSON.stringify(mixed) })).status).toBe(403);
    expect(
      (
        await sql.query('select count(*)::int as n from messages where id = any($1::uuid[])', [
          mixed.map((m) => m.id),
        ])
      ).rows[0].n,
    ).toBe(0);

    const theirs = { ...mine, id: crypto.randomUUID(), user_id: bob.id };
    const refused = await rest('conversations', { method: 'POST', body: JSON.stringify(theirs) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('42501');
    const intoBob = [
      {
        id: crypto.randomUUID(),
        conversation_id: bob.conversations[0],
        role: 'user',
        content: 'x',
        created_at: new Date().toISOString(),
      },
    ];
    expect(
      (
        await rest('messages?columns="id","conversation_id","role","content","created_at"', {
          method: 'POST',
          body: JSON.stringify(intoBob),
        })
      ).status,
    ).toBe(403);
    const hijack = {
      id: bob.conversations[0],
      user_id: alice.id,
      title: 'mine now',
      created_at: mine.created_at,
      updated_at: mine.updated_at,
    };
    const upsert = await rest('conversations', {
      method: 'POST',
      body: JSON.stringify(hijack),
      headers: { prefer: 'resolution=merge-duplicates' },
    });
    expect(upsert.status).toBe(403);
    const { rows } = await sql.query('select user_id, title from conversations where id = $1 or id = $2', [
      theirs.id,
      bob.conversations[0],
    ]);
    expect(rows).toEqual([{ user_id: bob.id, title: 'Conversation 0' }]);
    expect(
      (await rest('conversations', { method: 'POST', body: JSON.stringify(mine), jwt: null })).status,
    ).toBe(401);
  });

  it('updates own rows only and never moves a row to another owner', async () => {
    const own = await rest(`conversations?id=eq.${alice.conversations[1]}&select=title`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'renamed' }),
      headers: { prefer: 'return=representation' },
    });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual([{ title: 'renamed' }]);
    const other = await rest(`conversations?id=eq.${bob.conversations[1]}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'pwned' }),
    });
    expect(other.status).toBe(204);
    const move = await rest(`conversations?id=eq.${alice.conversations[2]}`, {
      method: 'PATCH',
      body: JSON.stringify({ user_id: bob.id }),
    });
    expect(move.status).toBe(403);
    const { rows } = await sql.query(
      'select id, user_id, title from conversations where id = any($1) order by id',
      [[bob.conversations[1], alice.conversations[2]]],
    );
    expect(rows.find((r) => r.id === bob.conversations[1])?.title).toBe('Conversation 1');
    expect(rows.find((r) => r.id === alice.conversations[2])?.user_id).toBe(alice.id);
  });

  it('never answers 5xx to random garbage in query strings and bodies (seeded)', async () => {
    const fragments = [
      'select=',
      '*',
      'id',
      'title',
      ',',
      '(',
      ')',
      '"',
      'eq.',
      'in.',
      'is.',
      'not.',
      'gt.',
      '%00',
      '%FF',
      'é',
      '\\',
      ':',
      '::',
      '->',
      'order=',
      '.desc',
      'limit=',
      'offset=',
      '-1',
      '9'.repeat(25),
      '&',
      '=',
      'created_at',
      'like.*a*',
      'user_id',
      'null',
      "'",
      ';',
      '--',
      '%2C',
      'x'.repeat(3000),
    ];
    const bodies = [
      '{',
      '[]',
      '{"title":1}',
      '[{"id":"x"}]',
      'null',
      '"s"',
      '{"id":null}',
      '[{"title":"\\u0000"}]',
      '{"usage_stats":{}}',
      '[[]]',
    ];
    const random = seededRandom(7);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const query = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(fragments)).join('');
      const method = pick(['GET', 'HEAD', 'POST', 'PATCH']);
      const body = method === 'POST' || method === 'PATCH' ? pick(bodies) : undefined;
      const res = await rest(`${pick(['conversations', 'messages', 'profiles'])}?${query}`, {
        method,
        ...(body === undefined ? {} : { body }),
      });
      await res.arrayBuffer();
      statuses.add(res.status);
      expect(res.status, `${method} ${query.slice(0, 80)} ${body ?? ''}`).toBeLessThan(500);
    }
    expect([...statuses].some((s) => s >= 400)).toBe(true);
    expect((await rest('conversations?select=id')).status).toBe(200);
  });

  it('exports the documented metrics with route templates as labels', async () => {
    await rest('conversations?select=id');
    await fetch(`${target.url}/healthz`);
    const text = await (await fetch(`${target.url}/metrics`)).text();
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'atlas_db_pool_size',
      'atlas_db_pool_in_use',
      'atlas_db_pool_idle',
      'atlas_db_pool_waiting',
      'atlas_upstream_sockets_in_use',
      'atlas_upstream_requests_queued',
      'atlas_db_queries_total',
      'atlas_db_query_duration_seconds_bucket',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));
    }
    expect(text).toMatch(/^http_requests_total\{route="\/rest\/v1\/:table",status="200"\} \d+/m);
    expect(text).toMatch(/^http_requests_total\{route="\/healthz",status="200"\} 1$/m);
    expect(text).toMatch(/^atlas_db_queries_total\{kind="select.conversations"\} \d+/m);
    expect(text).toMatch(/^atlas_db_pool_size 10$/m);
    expect(text).toMatch(/^atlas_upstream_pool_size 200$/m);
  });

  it('answers bad requests with 4xx PostgREST errors and keeps serving', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [rest('conversations', { jwt: 'not.a.jwt' }), 401, 'PGRST301'],
      [
        rest('conversations', {
          jwt: await signJwt(
            { role: 'authenticated', sub: alice.id },
            'another-secret-that-is-32-characters-long!',
          ),
        }),
        401,
        'PGRST301',
      ],
      [fetch(`${target.url}/rest/v1/conversations`), 401, 'PGRST302'],
      [rest('conversations?id=like'), 400, 'PGRST100'],
      [rest('conversations?id=approx.1'), 400, 'PGRST100'],
      [rest('conversations?nope=eq.1'), 400, '42703'],
      [rest('conversations?limit=1e99'), 400, 'PGRST100'],
      [rest('conversations?id=eq.not-a-uuid'), 400, '22P02'],
      [rest('conversations', { method: 'POST', body: '{"id": ' }), 400, 'PGRST102'],
      [rest('conversations', { method: 'POST', body: '[1,2,3]' }), 400, 'PGRST102'],
      [rest('conversations', { method: 'POST', body: JSON.stringify({ bogus: 1 }) }), 400, 'PGRST204'],
      [rest('secrets'), 404, 'PGRST205'],
      [
        rest('conversations', { method: 'POST', body: 'x'.repeat(2 << 20) }),
        413,
        'FST_ERR_CTP_BODY_TOO_LARGE',
      ],
    ];
    for (const [response, status, code] of cases) {
      const res = await response;
      const body = (await res.json()) as { code: string; message: string };
      expect({ status: res.status, code: body.code }).toEqual({ status, code });
      expect(body.message.length).toBeGreaterThan(0);
    }
    expect((await rest('conversations?select=id')).status).toBe(200);
  });
});
