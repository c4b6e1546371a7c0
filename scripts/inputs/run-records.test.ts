import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_FILES } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import { syntheticRunRecord } from '../../test/support/run-record-fixture.ts';
import { findRunDirs, loadRun, readRunRecords } from './run-records.ts';

const root = mkdtempSync(join(tmpdir(), 'run-records-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a valid run folder at `dir` (run.json from the synthetic record, optional series text). */
function writeRun(dir: string, series?: string): string {
  mkdirSync(join(dir, 'samples'), { recursive: true });
  const record = syntheticRunRecord({ id: dir, scenario: 'delta-sync', users: 10, endpoints: {} });
  writeFileSync(join(dir, RUN_FILES.record), JSON.stringify(record));
  if (series !== undefined) writeFileSync(join(dir, RUN_FILES.series), series);
  return dir;
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('run-record loader', () => {
  const a = writeRun(join(root, 'runs', 'a'));
  const b = writeRun(join(root, 'runs', 'check-1', 'b'));
  writeRun(join(root, 'runs', 'x', 'y', 'too-deep'));
  mkdirSync(join(root, 'empty'));

  it('finds runs at the folder itself, one and two levels down, not three', () => {
    expect(findRunDirs([join(root, 'runs')])).toEqual([a, b]);
    expect(findRunDirs([a])).toEqual([a]);
    expect(findRunDirs([join(root, 'missing')])).toEqual([]);
  });

  it('reads named folders by the same depth rule and refuses a missing or empty one, naming the flag', () => {
    expect(readRunRecords([join(root, 'runs')], '--calibration').map((r) => r.dir)).toEqual([a, b]);
    const missing = usageError(() => readRunRecords([join(root, 'missing')], '--calibration'));
    expect(missing.message).toMatch(/^--calibration: no such folder: /);
    const empty = usageError(() => readRunRecords([join(root, 'empty')], '--runs'));
    expect(empty.message).toMatch(/^--runs: no run record \(run\.json\) in /);
  });

  it('refuses a malformed series file instead of reading the run without it', () => {
    const bad = writeRun(join(root, 'bad-series'), '[{"t": "not a number"}]');
    expect(usageError(() => loadRun(bad, '--runs')).message).toMatch(/series\.json: field 0\./);
    const broken = writeRun(join(root, 'broken-json'), '{');
    expect(usageError(() => loadRun(broken, '--runs')).message).toMatch(
      /^--runs: cannot read .*series\.json/,
    );
  });
});
