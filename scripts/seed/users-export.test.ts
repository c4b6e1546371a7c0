import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../core/profile.ts';
import { createSeedContext } from './context.ts';
import { USERS_EXPORT_HEADER, writeUsersExport } from './users-export.ts';

describe('writeUsersExport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a plain CSV (no quotes) and removes leftovers of an interrupted export', async () => {
    const path = join(dir, 'x.users.csv');
    writeFileSync(`${path}.12345.tmp`, 'half');
    const ctx = createSeedContext(loadProfile('ci-smoke'), 300, 5, new Date('2025-06-01T00:00:00Z'));
    await writeUsersExport(ctx, path);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(USERS_EXPORT_HEADER);
    expect(lines).toHaveLength(301);
    for (const line of lines.slice(1)) {
      expect(line).toMatch(
        /^[0-9a-f-]{36},(free|core|studio),(active|recent|inactive),\d+,[0-9TZ:.-]{24},[0-9a-f-]{36}$/,
      );
    }
    expect(existsSync(`${path}.12345.tmp`)).toBe(false);
  });
});
