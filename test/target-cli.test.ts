// `atlas-cap target` as a user runs it: the ready line, the stub in its own process, a clean stop
// on SIGTERM, and one-line usage errors (exit 2) that never show a password.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';
import { applyAtlasSchema } from './target-support.ts';

const BIN = fileURLToPath(new URL('../bin/atlas-cap.js', import.meta.url));

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

describe('atlas-cap target: usage errors', () => {
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'target', ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it('rejects bad flags with one line and exit code 2, without printing secrets', async () => {
    const cases = [
      [['--policy', 'nope'], /--policy: unknown polic\w* 'nope'/],
      [['--policy', 'fixed', '--slow-query-ms', '100'], /--slow-query-ms: needs --slow-query-share/],
      [
        ['--policy', 'fixed', '--slow-query-ms', '100', '--slow-query-share', '2'],
        /--slow-query-share: must be between 0 and 1/,
      ],
      [['--policy', 'fixed', '--host', '0.0.0.0'], /--host: 0\.0\.0\.0 is not loopback/],
      // A word where a number goes is refused for every command (scripts/cli.ts), not passed on as NaN.
      [['--policy', 'fixed', '--port', 'eighty'], /^atlas-cap: --port: 'eighty' is not a number$/m],
      [
        ['--policy', 'fixed', '--database-url', 'postgres://atlas:hunter2@db.example.com/atlas'],
        /--database-url: host db\.example\.com is not loopback/,
      ],
      [
        ['--policy', 'fixed', '--redis-url', 'redis://:hunter2@cache.example.com:6379'],
        /--redis-url: host cache\.example\.com is not loopback/,
      ],
    ] as const;
    // The CLI's start-up dominates; the cases run side by side.
    const results = await Promise.all(cases.map(([args]) => run(...args)));
    for (const [i, res] of results.entries()) {
      expect(res.status).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(cases[i]![1]);
      expect(res.stderr + res.stdout).not.toContain('hunter2');
    }
  });
});

describe('atlas-cap target: serving', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('target_cli');
    await applyAtlasSchema(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('prints the JSON ready line, serves, and stops everything on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'target', '--policy', 'fixed', '--database-url', db.url, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = JSON.parse(await firstLine(child)) as Record<string, string>;
    expect(Object.keys(line)).toEqual(['listening', 'upstream', 'policy']);
    expect(line.listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.policy).toBe('fixed');
    expect((await fetch(`${line.listening}/healthz`)).status).toBe(200);
    const stub = await fetch(`${line.upstream}/v1/messages`, { method: 'POST', body: '{}' });
    expect(stub.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${line.upstream}/v1/messages`, { method: 'POST', body: '{}' })).rejects.toThrow();
    await expect(fetch(`${line.listening}/healthz`)).rejects.toThrow();
  });
});
