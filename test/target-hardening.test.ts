// Issue 14 against a real PostgreSQL: a user cannot raise their own tier (1), a deeply nested body is
// a 400 and the process stays up (2), and supabase-js inserts rows without an id (7).
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import {
  anonKey,
  DEV_JWT_SECRET,
  type RunningTarget,
  serviceRoleKey,
  signJwt,
  startTarget,
  startUpstreamStub,
} from '../backend/index.ts';
import { API_ROLE_WRITABLE } from '../backend/rest/column-privileges.ts';
import { TABLES } from '../backend/rest/tables.ts';
import { loadPolicy } from '../core/policy.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';
import { applyAtlasSchema, insertTinyDataset, type TinyUser } from './target-support.ts';

describe('target hardening', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;
  let sql: pg.Client;
  let target: RunningTarget;
  let stub: Awaited<ReturnType<typeof startUpstreamStub>>;
  let free: TinyUser;
  let anon: string;
  let service: string;
  let freeJwt: string;

  beforeAll(async () => {
    db = await createScratchDatabase('target_harden');
    await applyAtlasSchema(db.url);
    [free] = (await insertTinyDataset(db.url, ['free'], 1, 1)) as [TinyUser];
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
    freeJwt = await signJwt({ role: 'authenticated', sub: free.id }, DEV_JWT_SECRET);
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
    if (init.jwt !== null) headers.set('authorization', `Bearer ${init.jwt ?? freeJwt}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${target.url}/rest/v1/${path}`, { ...init, headers });
  };
  const tier = async () =>
    (
      await sql.query(
        'select subscription_tier, subscription_status, usage_stats from profiles where id = $1',
        [free.id],
      )
    ).rows[0];
  const message = async () =>
    fetch(`${target.url}/api/message`, {
      method: 'POST',
      headers: { authorization: `Bearer ${freeJwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversation_id: free.conversations[0], content: 'hello' }),
    });

  it('a free user cannot raise their own tier: 403 42501 as PostgREST answers, limits stay free-tier', async () => {
    const before = await tier();
    const denied = {
      code: '42501',
      details: null,
      hint: null,
      message: 'permission denied for table profiles',
    };
    for (const body of [
      { subscription_tier: 'studio' },
      { subscription_status: 'active', email: 'x@example.test' },
      { usage_stats: { messages: 0 } },
    ]) {
      const res = await rest(`profiles?id=eq.${free.id}`, { method: 'PATCH', body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(await res.json()).toEqual(denied);
    }
    // The same through an upsert of the own row, and as anon (401).
    const upsert = await rest('profiles', {
      method: 'POST',
      headers: { prefer: 'resolution=merge-duplicates' },
      body: JSON.stringify({ id: free.id, email: 'x@example.test', subscription_tier: 'studio' }),
    });
    expect(upsert.status).toBe(403);
    expect(await upsert.json()).toEqual(denied);
    const asAnon = await rest(`profiles?id=eq.${free.id}`, {
      method: 'PATCH',
      jwt: null,
      body: JSON.stringify({ subscription_tier: 'studio' }),
    });
    expect(asAnon.status).toBe(401);
    expect(await asAnon.json()).toEqual(denied);
    expect(await tier()).toEqual(before);
    const res = await message();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('20'); // free: 20 a minute (launch-readiness-report.md)
    // What a user may write still works.
    expect(
      (await rest(`profiles?id=eq.${free.id}`, { method: 'PATCH', body: '{"email":"new@example.test"}' }))
        .status,
    ).toBe(204);
  });

  it('service_role can still change the tier', async () => {
    const res = await rest(`profiles?id=eq.${free.id}`, {
      method: 'PATCH',
      jwt: service,
      body: JSON.stringify({ subscription_tier: 'core' }),
    });
    expect(res.status).toBe(204);
    expect((await tier()).subscription_tier).toBe('core');
    await sql.query(`update profiles set subscription_tier = 'free' where id = $1`, [free.id]);
  });

  it('the database enforces the same rule: grants.sql gives the API roles exactly the columns the backend allows', async () => {
    for (const table of Object.values(TABLES)) {
      for (const column of table.columns) {
        for (const privilege of ['insert', 'update'] as const) {
          const allowed = API_ROLE_WRITABLE[table.name][privilege];
          const { rows } = await sql.query(
            `select has_column_privilege('authenticated', $1, $2, $3) as api, has_column_privilege('anon', $1, $2, $3) as anon,
                    has_column_privilege('service_role', $1, $2, $3) as service`,
            [`public.${table.name}`, column, privilege],
          );
          const expected = allowed === null || allowed.includes(column);
          expect(rows[0], `${privilege} ${table.name}.${column}`).toEqual({
            api: expected,
            anon: expected,
            service: true,
          });
        }
      }
    }
    // And PostgreSQL itself refuses the write when statements run as the user's role (as on Supabase).
    await sql.query('begin');
    try {
      await sql.query('set local role authenticated');
      await expect(
        sql.query(`update profiles set subscription_tier = 'studio' where id = $1`, [free.id]),
      ).rejects.toMatchObject({ code: '42501', message: 'permission denied for table profiles' });
    } finally {
      await sql.query('rollback');
    }
  });

  it('a body nested 6,000 levels deep is a 400, and the target keeps serving', async () => {
    const deep = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;
    for (const jwt of [null, freeJwt]) {
      const res = await rest(`profiles?id=eq.${free.id}`, { method: 'PATCH', jwt, body: deep });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'PGRST102', message: 'Empty or invalid json' });
    }
    const usage = await rest('conversations', {
      method: 'POST',
      body: `[{"user_id":"${free.id}","title":${'['.repeat(6000)}${']'.repeat(6000)}}]`,
    });
    expect(usage.status).toBe(400);
    const msg = await fetch(`${target.url}/api/message`, {
      method: 'POST',
      headers: { authorization: `Bearer ${freeJwt}`, 'content-type': 'application/json' },
      body: deep,
    });
    expect(msg.status).toBe(400);
    expect((await fetch(`${target.url}/healthz`)).status).toBe(200);
  });

  it('supabase-js inserts a conversation and a message without an id', async () => {
    const client = createClient(target.url, anon, {
      global: { headers: { Authorization: `Bearer ${freeJwt}` } },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // biome-ignore lint/suspicious/noExplicitAny: ws satisfies the WebSocket-like constructor realtime-js wants
      realtime: { transport: ws as any },
    });
    const conv = await client
      .from('conversations')
      .insert({ user_id: free.id, title: 'no id' })
      .select()
      .single();
    expect(conv.error).toBeNull();
    expect(conv.data?.id).toMatch(/^[0-9a-f-]{36}$/);
    const msg = await client
      .from('messages')
      .insert({ conversation_id: conv.data!.id, role: 'user', content: 'hi' })
      .select('id, created_at')
      .single();
    expect(msg.error).toBeNull();
    expect(msg.data?.id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await sql.query('select content from messages where id = $1', [msg.data!.id]);
    expect(stored.rows).toEqual([{ content: 'hi' }]);
  });
});
