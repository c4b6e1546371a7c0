// Issue 14.6: the ways around the loopback guard, each refused with one line and exit code 2, before
// anything connects. None of these hosts is contacted (the refusal comes first).
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

const env = (extra: Record<string, string>) => {
  const e: NodeJS.ProcessEnv = { ...process.env };
  delete e.DATABASE_URL;
  delete e.REDIS_URL;
  return { ...e, ...extra };
};

describe('loopback guard back doors', () => {
  it('refuses each with one line naming the flag and exit code 2', { timeout: 300_000 }, async () => {
    const remoteRun = ['run', 'delta-sync', '--users', '10', '--policy', 'fixed', '--duration', '5'];
    const cases = [
      {
        // (a) no host in the URL: node-pg would take PGHOST
        args: ['seed', '--profile', 'ci-smoke', '--database-url', 'postgres:///atlas'],
        env: env({ PGHOST: '10.1.2.3' }),
        error:
          /^atlas-cap: --database-url: host 10\.1\.2\.3 \(from PGHOST: the URL names no host\) is not loopback/,
      },
      {
        args: ['target', '--policy', 'fixed', '--database-url', 'postgresql://postgres:hunter2@/atlas'],
        env: env({ PGHOST: '10.1.2.3' }),
        error: /^atlas-cap: --database-url: host 10\.1\.2\.3 .*is not loopback/,
      },
      {
        // (b) a remote target's seed info read from a remote database
        args: [
          ...remoteRun,
          '--target',
          'http://127.0.0.1:9',
          '--database-url',
          'postgres://atlas:hunter2@10.1.2.3:5432/atlas',
        ],
        env: env({ SUPABASE_ANON_KEY: 'anon', SUPABASE_JWT_SECRET: 'x'.repeat(40) }),
        error:
          /^atlas-cap: --database-url: host 10\.1\.2\.3 is not loopback; pass --allow-remote 10\.1\.2\.3/,
      },
      {
        // (c) redis-down's TCP proxy connecting to a remote Redis
        args: [...remoteRun, '--fault', 'redis-down', '--redis-url', 'redis://:hunter2@10.1.2.3:6379'],
        env: env({}),
        error: /^atlas-cap: --redis-url: host 10\.1\.2\.3 is not loopback/,
      },
      {
        args: [...remoteRun, '--fault', 'redis-down'],
        env: env({ REDIS_URL: 'redis://cache.example.com:6379' }),
        error: /^atlas-cap: REDIS_URL: host cache\.example\.com is not loopback/,
      },
      {
        // *.localhost is a name like any other to the system resolver
        args: ['seed', '--profile', 'ci-smoke', '--database-url', 'postgres://postgres@db.localhost/atlas'],
        env: env({}),
        error: /^atlas-cap: --database-url: host db\.localhost is not loopback/,
      },
    ];
    const results = await Promise.all(cases.map((c) => runCli(c.args, c.env)));
    for (const [i, r] of results.entries()) {
      const c = cases[i]!;
      expect(r.code, `${c.args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(c.error);
      expect(r.stdout + r.stderr).not.toContain('hunter2');
    }
  });
});
