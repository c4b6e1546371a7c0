import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LOAD_START_MARK } from '../../scenarios/lib/start-mark.ts';
import { loadStartOf } from './load-start.ts';

describe("k6's load start", () => {
  it('is the moment the start mark line arrives, not an earlier line', async () => {
    const stderr = new PassThrough();
    let clock = 1000;
    const started = loadStartOf(stderr, () => clock);
    stderr.write('time="2026-01-01T00:00:00Z" level=warning msg="init"\n');
    await new Promise((r) => setImmediate(r));
    clock = 2500;
    stderr.write(`time="2026-01-01T00:00:01Z" level=info msg="${LOAD_START_MARK}" source=console\n`);
    expect(await started).toBe(2500);
  });

  it('is null when k6 ends without starting its load', async () => {
    const stderr = new PassThrough();
    const started = loadStartOf(stderr, () => 1);
    stderr.end('level=error msg="could not initialize"\n');
    expect(await started).toBeNull();
  });
});
