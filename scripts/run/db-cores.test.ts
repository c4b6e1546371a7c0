import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/run-cli.ts';
import { cpuList, isEmbeddedUrl, limitServerCores, parseDbCores, processAndChildren } from './db-cores.ts';

const allowed = (pid: number): string =>
  /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';

describe('--db-cores', () => {
  const local = { local: true, sharedUrl: false };

  it('accepts 1 to the machine cores for the embedded server, and refuses anything else in one line', () => {
    expect(parseDbCores(undefined, 2, { local: false, sharedUrl: true })).toBeUndefined();
    expect(parseDbCores(1, 2, local)).toBe(1);
    expect(parseDbCores(2, 2, local)).toBe(2);
    expect(() => parseDbCores(0, 2, local)).toThrow(
      "--db-cores: must be a whole number from 1 to 2 (this machine's cores), got 0",
    );
    expect(() => parseDbCores(3, 2, local)).toThrow(/from 1 to 2 .* got 3$/);
    expect(() => parseDbCores(1.5, 2, local)).toThrow(/got 1.5$/);
    expect(() => parseDbCores(Number.NaN, 2, local)).toThrow(/got NaN$/);
    expect(() => parseDbCores(1, 2, { local: true, sharedUrl: true })).toThrow(/never a shared server/);
    expect(() => parseDbCores(1, 2, { local: false, sharedUrl: false })).toThrow(/--target local/);
  });

  it('atlas-cap run answers a bad --db-cores with one line and exit 2, before starting anything', async () => {
    const base = ['run', 'table-size', '--users', '10', '--policy', 'current', '--duration', '5'];
    const cases: [string[], RegExp][] = [
      [['--db-cores', '0'], /^atlas-cap: --db-cores: must be a whole number from 1 to \d+.*got '?0'?$/],
      [
        ['--db-cores', String(availableParallelism() + 1)],
        /^atlas-cap: --db-cores: must be a whole number from 1 to \d+.*got '?\d+'?$/,
      ],
      [
        ['--db-cores', '1', '--database-url', 'postgres://postgres@127.0.0.1:5432/postgres'],
        /never a shared server/,
      ],
    ];
    for (const [extra, line] of cases) {
      const r = await runCli([...base, ...extra], { ...process.env, DATABASE_URL: '' });
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr.trim()).toMatch(line);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it("knows the embedded server's URL (port 54329 on loopback) from a shared one", () => {
    expect(isEmbeddedUrl('postgres://postgres:postgres@127.0.0.1:54329/atlas_x')).toBe(true);
    expect(isEmbeddedUrl('postgres://postgres@localhost:54329/postgres')).toBe(true);
    expect(isEmbeddedUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe(false);
    expect(isEmbeddedUrl('postgres://postgres@10.0.0.5:54329/atlas')).toBe(false);
    expect(isEmbeddedUrl('not a url')).toBe(false);
  });

  it('writes taskset CPU lists', () => {
    expect(cpuList(1)).toBe('0');
    expect(cpuList(2)).toBe('0-1');
    expect(cpuList(8)).toBe('0-7');
  });

  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
    child = undefined;
    dir = undefined;
  });

  it('pins a server and the processes it forked to core 0, and gives them every core back', async () => {
    const cores = availableParallelism();
    // A stand-in postmaster with one forked backend, named by a postmaster.pid as PostgreSQL writes it.
    child = spawn('sh', ['-c', 'sleep 30 & wait'], { detached: true, stdio: 'ignore' });
    const pid = child.pid as number;
    await new Promise((r) => setTimeout(r, 300));
    const family = processAndChildren(pid);
    expect(family).toHaveLength(2);
    const backend = family[1] as number;
    expect(readFileSync(`/proc/${backend}/cmdline`, 'utf8').split('\0')[0]).toBe('sleep');
    dir = mkdtempSync(join(tmpdir(), 'db-cores-'));
    writeFileSync(join(dir, 'postmaster.pid'), `${pid}\n/data\n1700000000\n54329\n`);
    const before = allowed(process.pid);
    const restore = limitServerCores(dir, 1, cores);
    expect(allowed(pid)).toBe('0');
    expect(allowed(backend)).toBe('0');
    restore();
    expect(allowed(pid)).toBe(cores === 1 ? '0' : `0-${cores - 1}`);
    expect(allowed(backend)).toBe(before);
  });

  it('refuses when no server runs in the folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'db-cores-'));
    expect(() => limitServerCores(dir as string, 1, 2)).toThrow(/no PostgreSQL server runs in/);
  });
});
