// A deployment, exercised (issue 16 item 4): the reference backend runs in a network namespace this
// test creates, at a non-loopback address, and `atlas-cap run --target URL --allow-remote HOST` loads it
// from the host. The record names what the deployment did not expose; the guard refuses without the flag.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonKey } from '../backend/jwt.ts';
import { loadProfile } from '../core/profile.ts';
import { RunRecordSchema } from '../core/run-record.ts';
import { formatRunSummary } from '../scripts/run/summary-text.ts';
import { seedDatabase } from '../scripts/seed/index.ts';
import {
  createNetworkNamespace,
  forwardUnixSocket,
  type SocketForwarder,
} from './support/network-namespace.ts';
import { CLI_PATH, runCli } from './support/run-cli.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs, TEST_DATABASE_URL } from './support/services.ts';

const services = await needs('PostgreSQL', 'k6');
// The namespace is this test's deployment: created only when the services are there; outside CI a
// machine that cannot create one (not root) skips with the reason, under CI=true it fails.
const ns = services.skip ? { skipped: 'PostgreSQL or k6 missing' } : createNetworkNamespace();
const options =
  'skipped' in ns && !services.skip ? { skip: true, meta: { skipReason: ns.skipped } } : services;
const SECRET = 'a-deployment-secret-of-at-least-32-characters';

describe('atlas-cap run against a deployment in its own network namespace', options, () => {
  let db: ScratchDatabase;
  let forwarder: SocketForwarder | undefined;
  let backend: ChildProcess | undefined;
  let url = '';
  const out = mkdtempSync(join(tmpdir(), 'atlas-deploy-'));

  beforeAll(async () => {
    if ('skipped' in ns) return;
    db = await createScratchDatabase('atlas_deploy');
    await seedDatabase({
      profile: loadProfile('ci-smoke'),
      users: 300,
      databaseUrl: db.url,
      schema: 'plain',
      reset: true,
      progress: 'none',
      exportPath: join(out, 'users.csv'),
      log: () => {},
    });
    // The backend in the namespace reaches the host's PostgreSQL through a Unix socket (files are not
    // per namespace); the server's own configuration is left alone.
    const pgUrl = new URL(TEST_DATABASE_URL);
    forwarder = await forwardUnixSocket(pgUrl.hostname, Number(pgUrl.port || 5432));
    const auth = pgUrl.username ? `${pgUrl.username}${pgUrl.password ? `:${pgUrl.password}` : ''}@` : '';
    const nsDatabase = `postgres://${auth}/${db.name}?host=${encodeURIComponent(forwarder.dir)}`;
    const [cmd, args] = ns.exec(process.execPath, [
      CLI_PATH,
      'target',
      '--json',
      '--policy',
      'current',
      '--host',
      ns.address,
      '--allow-remote',
      ns.address,
      '--port',
      '0',
      '--database-url',
      nsDatabase,
    ]);
    backend = spawn(cmd, args, {
      env: { ...process.env, SUPABASE_JWT_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    backend.stderr!.on('data', (d) => (stderr += d));
    url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      backend!.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        if (buffer.includes('\n'))
          resolve((JSON.parse(buffer.split('\n')[0]!) as { listening: string }).listening);
      });
      backend!.once('exit', (code) => reject(new Error(`the backend exited with ${code}: ${stderr}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (backend && backend.exitCode === null) {
      const gone = new Promise((r) => backend!.once('exit', r));
      backend.kill('SIGTERM');
      await gone;
    }
    await forwarder?.close();
    if (!('skipped' in ns)) ns.remove();
    await db?.drop();
  });

  it('completes, names the counters the deployment did not expose, and is refused without --allow-remote', async () => {
    if ('skipped' in ns) return;
    expect(new URL(url).hostname).toBe(ns.address);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SUPABASE_JWT_SECRET: SECRET,
      SUPABASE_ANON_KEY: await anonKey(SECRET),
      ATLAS_USERS_CSV: join(out, 'users.csv'),
    };
    const args = ['run', 'delta-sync', '--users', '300', '--policy', 'current', '--duration', '5s'];
    args.push('--target', url);

    // Without --allow-remote: one line, exit 2, nothing written.
    const refused = await runCli([...args, '--out', join(out, 'refused')], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `atlas-cap: --target: host ${ns.address} is not loopback; pass --allow-remote ${ns.address} to use it`,
    ]);
    expect(existsSync(join(out, 'refused'))).toBe(false);

    const dir = join(out, 'run');
    const done = await runCli([...args, '--allow-remote', ns.address, '--out', dir, '--json'], env);
    expect(done.code, done.stderr).toBe(0);
    const record = RunRecordSchema.parse(JSON.parse(done.stdout));
    expect(record.target).toMatchObject({ kind: 'remote', url });
    expect(record.iterations.completed).toBeGreaterThan(0);
    expect(record.endpoints['rest.conversations']!.count).toBe(record.iterations.completed);
    // The runner sees no database of the deployment's and none of its processes: named, not zeroed.
    expect(record.notMeasured).toEqual(expect.arrayContaining(['dbConnections', 'database', 'cpu.target']));
    // The reference backend exposes /metrics: its pool and statement counters are measured.
    expect(record.notMeasured).not.toContain('pool');
    expect(record.notMeasured).not.toContain('queriesPerSync');
    expect(record.sync!.queriesPerSync).toBeGreaterThan(0.9);
    const summary = formatRunSummary(dir, record);
    expect(summary).toContain('not measured (the target did not expose them): ');
    expect(summary).toContain('dbConnections');
    expect(JSON.stringify(record)).not.toContain(SECRET);
  }, 180_000);
});
