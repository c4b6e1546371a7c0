// Conformance with the real client: supabase-js drives the target through the sync service's exact
// query patterns (storage-architecture-analysis.md: fullSync, and deltaSync of section 1.1) on a
// seeded ci-smoke database, and every result is compared with the same question asked in SQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import {
  anonKey,
  DEV_JWT_SECRET,
  type RunningTarget,
  signJwt,
  startTarget,
  startUpstreamStub,
} from '../backend/index.ts';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { seedDatabase } from '../scripts/seed/index.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs, TEST_REDIS_URL } from './support/services.ts';

/** Enough users for every tier and activity class of ci-smoke, small enough to seed in a second. */
const USERS = 60;

type Row = Record<string, unknown>;
const byId = (rows: Row[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

/** The sync service's conversation and message queries, as the analysis writes them. */
async function fullSync(
  supabase: SupabaseClient,
  userId: string,
  local: { conversations: Row[]; messages: Row[] },
) {
  // 1. Sync ALL conversations from remote
  const { data: conversations, error } = await supabase
    .from('conversations')
    .select('*')
    .eq('user_id', userId);
  if (error) throw new Error(error.message);
  // 2. Sync ALL messages for ALL conversations
  const messages: Record<string, Row[]> = {};
  for (const conv of conversations as Row[]) {
    const { data, error: e } = await supabase
      .from('messages')
      .select('*')
      .eq('conversation_id', conv.id as string);
    if (e) throw new Error(e.message);
    messages[conv.id as string] = data as Row[];
  }
  // 3. Push ALL local changes
  const pushed = [
    local.conversations.length > 0 ? await supabase.from('conversations').upsert(local.conversations) : null,
    local.messages.length > 0 ? await supabase.from('messages').upsert(local.messages) : null,
  ];
  return { conversations: conversations as Row[], messages, pushed };
}

/** deltaSync of storage-architecture-analysis.md 1.1, verbatim apart from returning what it fetched. */
async function deltaSync(supabase: SupabaseClient, userId: string, lastSyncTimestamp: string) {
  const { data: updatedConversations } = await supabase
    .from('conversations')
    .select('*')
    .eq('user_id', userId)
    .gt('updated_at', lastSyncTimestamp)
    .limit(100);
  const conversationIds = (updatedConversations as Row[]).map((c) => c.id as string);
  const { data: newMessages } = await supabase
    .from('messages')
    .select('*')
    .in('conversation_id', conversationIds)
    .gt('created_at', lastSyncTimestamp);
  return { updatedConversations: updatedConversations as Row[], newMessages: newMessages as Row[] };
}

describe('supabase-js conformance on a seeded ci-smoke database', await needs('PostgreSQL', 'Redis'), () => {
  let db: ScratchDatabase;
  let dir: string;
  let sql: pg.Client;
  let stub: Awaited<ReturnType<typeof startUpstreamStub>>;
  let target: RunningTarget;
  let anon: string;
  let user: { id: string; conversations: number };
  let other: { id: string };

  const clientFor = async (sub: string) =>
    createClient(target.url, anon, {
      global: {
        headers: { Authorization: `Bearer ${await signJwt({ role: 'authenticated', sub }, DEV_JWT_SECRET)}` },
      },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // biome-ignore lint/suspicious/noExplicitAny: ws satisfies the WebSocket-like constructor realtime-js wants
      realtime: { transport: ws as any },
    });
  const rows = async (text: string, values: unknown[]) =>
    (await sql.query<{ row: Row }>(`select to_jsonb(t) as row from (${text}) t`, values)).rows.map(
      (r) => r.row,
    );

  beforeAll(async () => {
    db = await createScratchDatabase('target_conf');
    dir = mkdtempSync(join(tmpdir(), 'target-conf-'));
    await seedDatabase({
      profile: loadProfile('ci-smoke'),
      users: USERS,
      databaseUrl: db.url,
      schema: 'plain',
      reset: false,
      workers: 1,
      exportPath: join(dir, 'users.csv'),
      progress: 'none',
    });
    sql = new pg.Client({ connectionString: db.url, options: '-c TimeZone=UTC' });
    await sql.connect();
    // The paid user with the most conversations, and any other user.
    const picked = await sql.query<{ id: string; n: number }>(
      `select p.id, count(c.id)::int as n from profiles p join conversations c on c.user_id = p.id
        where p.subscription_tier <> 'free' group by p.id order by n desc, p.id limit 1`,
    );
    user = { id: picked.rows[0]!.id, conversations: picked.rows[0]!.n };
    const second = await sql.query<{ id: string }>(
      'select user_id as id from conversations where user_id <> $1 group by user_id order by user_id limit 1',
      [user.id],
    );
    other = second.rows[0]!;
    stub = await startUpstreamStub({ latencyMs: { median: 5, p95: 10 } });
    target = await startTarget({
      policy: loadPolicy('fixed'),
      databaseUrl: db.url,
      upstreamUrl: stub.url,
      jwtSecret: DEV_JWT_SECRET,
      redisUrl: TEST_REDIS_URL,
    });
    anon = await anonKey(DEV_JWT_SECRET);
  });

  afterAll(async () => {
    await target?.close();
    await stub?.close();
    await sql?.end();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fullSync reads exactly what SQL reads and pushes local changes', async () => {
    const supabase = await clientFor(user.id);
    const conversationId = (
      await rows('select id from conversations where user_id = $1 order by id limit 1', [user.id])
    )[0]!.id as string;
    const edited = (await rows('select * from conversations where id = $1', [conversationId]))[0]!;
    const local = {
      conversations: [{ ...edited, title: 'edited offline', updated_at: new Date().toISOString() }],
      messages: [
        {
          id: crypto.randomUUID(),
          conversation_id: conversationId,
          role: 'user',
          content: 'written offline',
          created_at: new Date().toISOString(),
        },
      ],
    };
    // What SQL answers before the sync; the push runs after the reads.
    const expectedConversations = await rows('select * from conversations where user_id = $1', [user.id]);
    const expectedMessages = new Map<string, Row[]>();
    for (const c of expectedConversations) {
      expectedMessages.set(
        c.id as string,
        await rows('select * from messages where conversation_id = $1', [c.id]),
      );
    }
    const result = await fullSync(supabase, user.id, local);
    expect(result.conversations.length).toBe(user.conversations);
    expect(byId(result.conversations)).toEqual(byId(expectedConversations));
    let messages = 0;
    expect(Object.keys(result.messages).sort()).toEqual([...expectedMessages.keys()].sort());
    for (const [id, fetched] of Object.entries(result.messages)) {
      expect(byId(fetched)).toEqual(byId(expectedMessages.get(id)!));
      messages += fetched.length;
    }
    expect(messages).toBeGreaterThan(0);
    expect(result.pushed.map((p) => p?.status)).toEqual([201, 201]);
    expect((await rows('select title from conversations where id = $1', [conversationId]))[0]!.title).toBe(
      'edited offline',
    );
    expect(await rows('select content from messages where id = $1', [local.messages[0]!.id])).toEqual([
      { content: 'written offline' },
    ]);
  });

  it('deltaSync reads exactly what SQL reads', async () => {
    const supabase = await clientFor(user.id);
    // A cut-off between the user's oldest and newest change, so both sides of `gt` occur.
    const median = await sql.query<{ ts: Date }>(
      'select percentile_disc(0.5) within group (order by updated_at) as ts from conversations where user_id = $1',
      [user.id],
    );
    const since = median.rows[0]!.ts.toISOString();
    const { updatedConversations, newMessages } = await deltaSync(supabase, user.id, since);
    const expectedConversations = await rows(
      'select * from conversations where user_id = $1 and updated_at > $2 limit 100',
      [user.id, since],
    );
    expect(updatedConversations.length).toBeGreaterThan(0);
    expect(updatedConversations.length).toBeLessThan(user.conversations);
    expect(byId(updatedConversations)).toEqual(byId(expectedConversations));
    expect(byId(newMessages)).toEqual(
      byId(
        await rows('select * from messages where conversation_id = any($1::uuid[]) and created_at > $2', [
          expectedConversations.map((c) => c.id),
          since,
        ]),
      ),
    );
    expect(newMessages.length).toBeGreaterThan(0);
  });

  it('returns nothing of another user and refuses writes to their rows', async () => {
    const supabase = await clientFor(user.id);
    const theirs = await rows('select * from conversations where user_id = $1 order by id', [other.id]);
    expect(theirs.length).toBeGreaterThan(0);
    const read = await fullSync(supabase, other.id, { conversations: [], messages: [] });
    expect(read.conversations).toEqual([]);
    const direct = await supabase
      .from('messages')
      .select('*')
      .in(
        'conversation_id',
        theirs.map((c) => c.id as string),
      );
    expect(direct.data).toEqual([]);
    const delta = await deltaSync(supabase, other.id, '1970-01-01T00:00:00Z');
    expect(delta).toEqual({ updatedConversations: [], newMessages: [] });

    const hijack = await supabase
      .from('conversations')
      .upsert({ ...theirs[0]!, user_id: user.id, title: 'taken' });
    expect(hijack.status).toBe(403);
    expect(hijack.error?.code).toBe('42501');
    const inject = await supabase.from('messages').insert({
      id: crypto.randomUUID(),
      conversation_id: theirs[0]!.id,
      role: 'user',
      content: 'injected',
      created_at: new Date().toISOString(),
    });
    expect(inject.status).toBe(403);
    const rename = await supabase
      .from('conversations')
      .update({ title: 'renamed' })
      .eq('id', theirs[0]!.id as string);
    expect(rename.error).toBeNull();
    expect(await rows('select * from conversations where user_id = $1 order by id', [other.id])).toEqual(
      theirs,
    );
    expect(await rows(`select id from messages where content = 'injected'`, [])).toEqual([]);
  });
});
