// Runs show themselves (issue 16 item 2): the live line in plain mode (not a terminal) and through a
// pseudo-terminal (`script`), and Ctrl-C: k6, the target and the collector stop, the record says
// interrupted, the exit code is 130.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FILES, RunRecordSchema } from '../core/run-record.ts';
import { CLI_PATH, runCli } from './support/run-cli.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

/** A live line starts with elapsed/total, e.g. `0:06/0:12 · it/s`. */
const LIVE = /^\d+:\d\d\/\d+:\d\d · it\/s /;

/** Processes whose command line names `text` (the run's own folder: nothing else matches it). */
function processesNaming(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe(
  'atlas-cap run shows itself live, and stops cleanly on Ctrl-C',
  await needs('PostgreSQL', 'k6'),
  () => {
    let db: ScratchDatabase;
    const out = mkdtempSync(join(tmpdir(), 'atlas-live-'));
    const base = () => [
      'run',
      'delta-sync',
      '--users',
      '300',
      '--policy',
      'current',
      '--database-url',
      db.url,
    ];

    beforeAll(async () => {
      db = await createScratchDatabase('atlas_live');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('not a terminal: a plain line every 5 s on stderr, nothing but the result on stdout; --json: no line', async () => {
      const dir = join(out, 'plain');
      const r = await runCli([...base(), '--duration', '12s', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      const live = r.stderr.split('\n').filter((l) => LIVE.test(l));
      // Seconds 1, 6 and 11 of 12 (the first snapshot comes a second in).
      expect(live.length).toBeGreaterThanOrEqual(2);
      expect(live.length).toBeLessThanOrEqual(3);
      expect(live[0]).toMatch(
        /\/0:12 · it\/s [\d.]+ of [\d.]+ · req\/s [\d.]+ · p95 ms .* · pool \d+\/10 wait \d+ · /,
      );
      expect(r.stdout).not.toMatch(LIVE);
      expect(r.stdout).toContain('run record:');

      const quiet = await runCli([...base(), '--duration', '3s', '--out', join(out, 'json'), '--json']);
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(quiet.stderr).toBe('');
      expect(RunRecordSchema.parse(JSON.parse(quiet.stdout)).status).toBe('completed');
    }, 120_000);

    it('on a terminal (a pseudo-terminal from script(1)): the line is redrawn in place about once a second', async () => {
      const dir = join(out, 'tty');
      const command = [process.execPath, CLI_PATH, ...base(), '--duration', '6s', '--out', dir].join(' ');
      const text = execFileSync('script', ['-qfec', command, '/dev/null'], {
        encoding: 'utf8',
        timeout: 90_000,
      });
      const redraws = text.split('\r\x1b[2K').length - 1;
      expect(redraws).toBeGreaterThanOrEqual(4); // 6 s: 5 or 6 lines, each after the first redrawn
      expect(text).toMatch(/0:0[56]\/0:06 · it\/s/);
      expect(existsSync(join(dir, RUN_FILES.record))).toBe(true);
    }, 120_000);

    it('SIGINT mid-run: exit 130, a record marked interrupted covering the seconds that ran, no k6 or target left', async () => {
      const dir = join(out, 'interrupted');
      const child = spawn(process.execPath, [CLI_PATH, ...base(), '--duration', '60s', '--out', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const code = await new Promise<number | null>((resolve) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          // The second live line (5 s in): k6 and the target are running.
          if (stderr.split('\n').filter((l) => LIVE.test(l)).length === 2) child.kill('SIGINT');
        });
        child.once('close', (c) => resolve(c));
      });
      expect(code, stderr).toBe(130);
      const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(dir, RUN_FILES.record), 'utf8')));
      expect(record.status).toBe('interrupted');
      expect(record.exitStatus).toBe(130);
      expect(record.durationSeconds).toBeGreaterThan(4);
      expect(record.durationSeconds).toBeLessThan(20);
      expect(record.iterations.completed).toBeGreaterThan(0);
      // Rates over the seconds that ran: near the offered rate, not a third of it.
      expect(record.iterations.rate / record.iterations.targetRate).toBeGreaterThan(0.7);
      expect(stdout).toContain('INTERRUPTED');
      expect(processesNaming(dir)).toEqual([]);
    }, 120_000);
  },
);
