// Benchmark (issue 14.8): the reference backend at twice its knee. The launch-mix's requests (delta
// syncs of conversations, messages, health checks) go to a target child process (policy fixed) on a
// seeded ci-smoke database: first a closed loop finds the knee (the most requests per second it
// serves), then an open loop offers twice that for --seconds, then the recovery is timed. Prints
// shed 503s and their latency, timeouts, the target's peak memory, acknowledged messages missing
// from the database, and the seconds to normal service.
// Run: flock /tmp/bench.lock npm run bench:overload [-- --seconds 60 --users 200]
// Needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432); makes and drops a scratch database.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { anonKey, DEV_JWT_SECRET, signJwt } from '../../backend/index.ts';
import { loadProfile } from '../../core/profile.ts';
import { startTargetProcess } from '../run/target-process.ts';
import { seedDatabase } from '../seed/index.ts';

/** Share of the launch-mix's requests that are messages (the rest are delta syncs; health 1/s). */
const MESSAGE_SHARE = 0.1;
/** A request not answered within this is a timeout, the failure overload must not cause. */
const TIMEOUT_MS = 10_000;

interface Sample {
  kind: 'sync' | 'message' | 'health';
  status: number; // 0: timeout or connection error
  ms: number;
  ids?: string[];
}

interface User {
  jwt: string;
  conversationId: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function request(url: string, init: { method: string; headers: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const req = http.request(url, { ...init, agent, timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(init.body);
  });
}

async function one(
  base: string,
  anon: string,
  users: User[],
  i: number,
  kind: Sample['kind'],
): Promise<Sample> {
  const user = users[i % users.length]!;
  const started = performance.now();
  const headers = { apikey: anon, authorization: `Bearer ${user.jwt}`, 'content-type': 'application/json' };
  if (kind === 'health') {
    const r = await request(`${base}/healthz`, { method: 'GET', headers: {} });
    return { kind, status: r.status, ms: performance.now() - started };
  }
  if (kind === 'sync') {
    const since = new Date(Date.now() - 30_000).toISOString();
    const r = await request(
      `${base}/rest/v1/conversations?select=id,title,updated_at&updated_at=gt.${since}&order=updated_at.desc&limit=100`,
      { method: 'GET', headers },
    );
    return { kind, status: r.status, ms: performance.now() - started };
  }
  const r = await request(`${base}/api/message`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ conversation_id: user.conversationId, content: `overload ${i}` }),
  });
  const sample: Sample = { kind, status: r.status, ms: performance.now() - started };
  if (r.status === 200) {
    const b = JSON.parse(r.body) as { user_message_id: string; assistant_message_id: string };
    sample.ids = [b.user_message_id, b.assistant_message_id];
  }
  return sample;
}

const kindOf = (i: number): Sample['kind'] => (i % Math.round(1 / MESSAGE_SHARE) === 0 ? 'message' : 'sync');

/** Closed loop: `concurrency` callers back to back for `seconds`; 2xx per second is the knee rate. */
async function closedLoop(base: string, anon: string, users: User[], concurrency: number, seconds: number) {
  const until = performance.now() + seconds * 1000;
  let ok = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const s = await one(base, anon, users, n++, kindOf(n));
        if (s.status >= 200 && s.status < 300) ok++;
      }
    }),
  );
  return ok / seconds;
}

/** Open loop: `rate` requests per second for `seconds`, whatever the answers; health once a second. */
async function openLoop(base: string, anon: string, users: User[], rate: number, seconds: number) {
  const pending: Promise<Sample>[] = [];
  const started = performance.now();
  let sent = 0;
  let tick = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) pending.push(one(base, anon, users, sent, kindOf(sent)));
    if ((performance.now() - started) / 1000 >= tick) {
      pending.push(one(base, anon, users, tick++, 'health'));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const offeredSeconds = (performance.now() - started) / 1000;
  return { samples: await Promise.all(pending), sent, offeredSeconds };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '60' }, users: { type: 'string', default: '200' } },
  });
  const seconds = Number(values.seconds);
  const userCount = Number(values.users);
  const { createScratchDatabase } = await import('../../test/support/scratch-database.ts');
  const db = await createScratchDatabase('bench_overload');
  const dir = mkdtempSync(join(tmpdir(), 'bench-overload-'));
  const sql = new pg.Client({ connectionString: db.url });
  let target: Awaited<ReturnType<typeof startTargetProcess>> | undefined;
  try {
    await seedDatabase({
      profile: loadProfile('ci-smoke'),
      users: userCount,
      databaseUrl: db.url,
      schema: 'plain',
      reset: false,
      workers: 1,
      exportPath: join(dir, 'users.csv'),
      progress: 'none',
      log: () => {},
    });
    await sql.connect();
    const rows = (
      await sql.query<{ id: string; conversation: string }>(
        `select distinct on (p.id) p.id, c.id as conversation from profiles p join conversations c on c.user_id = p.id order by p.id, c.updated_at desc`,
      )
    ).rows;
    const users = await Promise.all(
      rows.map(async (r) => ({
        jwt: await signJwt({ role: 'authenticated', sub: r.id }, DEV_JWT_SECRET),
        conversationId: r.conversation,
      })),
    );
    const anon = await anonKey(DEV_JWT_SECRET);
    target = await startTargetProcess({
      policy: 'fixed',
      databaseUrl: db.url,
      env: { ...process.env, SUPABASE_JWT_SECRET: DEV_JWT_SECRET },
      logFile: join(dir, 'target.log'),
    });
    const pid = target.child.pid!;
    const base = target.url;
    await closedLoop(base, anon, users, 8, 2); // warm-up: JIT, pool connections
    const baseline = (
      await Promise.all(Array.from({ length: 50 }, (_, i) => one(base, anon, users, i, 'sync')))
    ).map((s) => s.ms);
    const idleRss = rssKb(pid);
    const knee = await closedLoop(base, anon, users, 64, 5);
    const rate = Math.round(2 * knee);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssKb(pid))), 200);
    const load = await openLoop(base, anon, users, rate, seconds);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssKb(pid));
    // Recovery: from the end of the load until 20 syncs in a row answer 200 within 2x the idle p50.
    const recoveryStart = performance.now();
    const normalMs = Math.max(20, 2 * pct(baseline, 50));
    let inRow = 0;
    while (inRow < 20 && performance.now() - recoveryStart < 60_000) {
      const s = await one(base, anon, users, inRow, 'sync');
      inRow = s.status === 200 && s.ms <= normalMs ? inRow + 1 : 0;
    }
    const recoveredS = (performance.now() - recoveryStart) / 1000;
    const acknowledged = load.samples.flatMap((s) => s.ids ?? []);
    const stored = await sql.query<{ n: number }>(
      'select count(*)::int as n from messages where id = any($1::uuid[])',
      [acknowledged],
    );
    const by = (f: (s: Sample) => boolean) => load.samples.filter(f);
    const statuses: Record<string, number> = {};
    for (const s of load.samples)
      statuses[s.status === 0 ? 'timeout' : String(s.status)] =
        (statuses[s.status === 0 ? 'timeout' : String(s.status)] ?? 0) + 1;
    const shed = by((s) => s.status === 503).map((s) => s.ms);
    const served = by((s) => s.status === 200).map((s) => s.ms);
    const lines = [
      `overload bench: launch-mix requests (${Math.round((1 - MESSAGE_SHARE) * 100)}% delta syncs, ${MESSAGE_SHARE * 100}% messages, health 1/s), policy fixed, ${rows.length} users, ${seconds} s`,
      `knee (closed loop, 64 callers, 5 s): ${knee.toFixed(0)} answered requests/s; offered 2x: ${rate}/s, sent ${(load.sent / load.offeredSeconds).toFixed(0)}/s`,
      `answers: ${JSON.stringify(statuses)}`,
      `503 (shed): ${shed.length}, p50 ${pct(shed, 50).toFixed(1)} ms, p95 ${pct(shed, 95).toFixed(1)} ms, max ${pct(shed, 100).toFixed(1)} ms`,
      `200: ${served.length} (${(served.length / seconds).toFixed(0)}/s), p50 ${pct(served, 50).toFixed(1)} ms, p95 ${pct(served, 95).toFixed(1)} ms`,
      `timeouts (no answer in ${TIMEOUT_MS / 1000} s): ${statuses.timeout ?? 0}`,
      `target RSS: idle ${(idleRss / 1024).toFixed(0)} MiB, peak ${(peakRss / 1024).toFixed(0)} MiB`,
      `messages acknowledged (200): ${acknowledged.length / 2} (${acknowledged.length} rows), in the database: ${stored.rows[0]!.n} rows`,
      `recovery: 20 syncs in a row at 200 within ${normalMs.toFixed(0)} ms (2x idle p50) after ${recoveredS.toFixed(2)} s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await target?.stop();
    await sql.end().catch(() => {});
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
    agent.destroy();
  }
}

await main();
