// Issue 14 (3, 4, 5): no password reaches output, logs, a child's argv or a report, whatever it holds.
// Each sweep takes the passwords of test/support/secrets.ts through the real CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTargetProcess } from '../scripts/run/target-process.ts';
import { CLI_PATH, runCli } from './support/run-cli.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { NASTIEST_PASSWORD, secretParts } from './support/secrets.ts';
import { needs } from './support/services.ts';

function expectNoSecret(text: string, password: string, where: string): void {
  for (const part of secretParts(password)) expect(text, `${where} shows '${part}'`).not.toContain(part);
}

/** A URL with `password` in it, raw (as a user pastes it) or percent-encoded. */
function withPassword(base: string, password: string, encode: boolean): string {
  const u = new URL(base);
  return `${u.protocol}//${u.username || 'atlas'}:${encode ? encodeURIComponent(password) : password}@${u.host}${u.pathname}`;
}

describe('usage errors never show a password', () => {
  it('target and seed refuse remote or unreachable URLs with one line, the password masked', {
    timeout: 300_000,
  }, async () => {
    // One process per case (the CLI's start-up dominates): every character at once, raw and encoded.
    const target = (pw: string) => [
      'target',
      '--policy',
      'fixed',
      '--upstream-url',
      `http://apiuser:${pw}@127.0.0.1:9/`,
      '--database-url',
      `postgres://atlas:${pw}@db.example.com:5432/app`,
    ];
    const seed = (pw: string) => [
      'seed',
      '--profile',
      'ci-smoke',
      '--database-url',
      `postgres://atlas:${pw}@127.0.0.1:1/app`,
    ];
    const cases = [
      { pw: NASTIEST_PASSWORD, args: target(NASTIEST_PASSWORD) },
      { pw: NASTIEST_PASSWORD, args: target(encodeURIComponent(NASTIEST_PASSWORD)) },
      { pw: NASTIEST_PASSWORD, args: seed(NASTIEST_PASSWORD) },
      { pw: 'hunter2 zqsecret@zqpart ü', args: seed('hunter2 zqsecret@zqpart ü') },
    ];
    const results = await Promise.all(cases.map((c) => runCli(c.args)));
    for (const [i, r] of results.entries()) {
      const { pw, args } = cases[i]!;
      expect(r.code, `${args[0]} ${pw}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expectNoSecret(r.stdout + r.stderr, pw, `${args[0]} with ${pw}`);
    }
  });
});

describe('a served target never shows a password', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;
  const work = mkdtempSync(join(tmpdir(), 'atlas-sweep-'));

  beforeAll(async () => {
    db = await createScratchDatabase('secret_sweep');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('run starts the target with the database URL in its environment, not its argv', {
    timeout: 300_000,
  }, async () => {
    if (process.platform !== 'linux') return; // /proc/<pid>/cmdline is how `ps` reads argv
    const password = NASTIEST_PASSWORD;
    const databaseUrl = withPassword(db.url, password, true);
    const target = await startTargetProcess({
      policy: 'fixed',
      databaseUrl,
      env: { ...process.env, DATABASE_URL: undefined },
      logFile: join(work, 'target.log'),
    });
    try {
      const cmdline = readFileSync(`/proc/${target.child.pid}/cmdline`, 'utf8');
      expect(cmdline).toContain('target');
      expectNoSecret(cmdline, password, 'argv');
      expectNoSecret(decodeURIComponent(cmdline), password, 'argv');
      // The URL did reach the child (by environment), and the target serves with it.
      expect(readFileSync(`/proc/${target.child.pid}/environ`, 'utf8')).toContain(databaseUrl);
      expect((await fetch(`${target.url}/healthz`)).status).toBe(200);
    } finally {
      await target.stop();
    }
    expectNoSecret(readFileSync(join(work, 'target.log'), 'utf8'), password, 'target.log');
  });

  it('target masks the upstream URL and the database URL in its ready lines, JSON or text', {
    timeout: 300_000,
  }, async () => {
    for (const [password, json] of [
      ['hunter2 zqsecret@zqpart', true],
      ['hünter2 zqx@zqyy', false],
    ] as const) {
      const env = { ...process.env, DATABASE_URL: withPassword(db.url, password, false) };
      const args = [
        'target',
        '--policy',
        'fixed',
        '--upstream-url',
        `http://apiuser:${password}@127.0.0.1:9/`,
      ];
      const child: ChildProcess = spawn(process.execPath, [CLI_PATH, ...args, ...(json ? ['--json'] : [])], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      await new Promise<void>((resolve, reject) => {
        setTimeout(() => reject(new Error(`no ready line within 120 s: ${out} ${err}`)), 120_000).unref();
        child.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`target exited with ${code}: ${err}`)));
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      expect(out).toMatch(json ? /"upstream":"http:\/\/apiuser:\*\*\*@127\.0\.0\.1:9\/"/ : /listening on/);
      expectNoSecret(out + err, password, `target ready line ${out}`);
    }
  });

  it('review writes no password into report.md, report.html or data.json', { timeout: 300_000 }, async () => {
    const password = NASTIEST_PASSWORD;
    const out = join(work, 'review');
    const r = await runCli([
      'review',
      '--runs',
      join(work, 'no-runs'),
      '--database-url',
      `postgres://postgres:${password}@127.0.0.1:1/unreachable`,
      '--live-seconds',
      '2',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret(r.stdout + r.stderr, password, 'review output');
    for (const file of ['report.md', 'report.html', 'data.json']) {
      const text = readFileSync(join(out, 'latest', file), 'utf8');
      expect(text, file).toMatch(/127\.0\.0\.1:1\/unreachable|k6 .*not found/);
      expectNoSecret(text, password, file);
    }
  });
});
