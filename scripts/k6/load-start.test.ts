import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LOAD_START_MARK } from '../../scenarios/lib/start-mark.ts';
import { loadStartOf } from './load-start.ts';

describe("k6's load start", () => {
  it('without a time in the mark, the moment its line arrives, not an earlier line', async () => {
    const stderr = new PassThrough();
    let clock = 1000;
    const started = loadStartOf(stderr, () => clock);
    stderr.write('time="2026-01-01T00:00:00Z" level=warning msg="init"\n');
    await new Promise((r) => setImmediate(r));
    clock = 2500;
    stderr.write(`time="2026-01-01T00:00:01Z" level=info msg="${LOAD_START_MARK}" source=console\n`);
    expect(await started).toBe(2500);
  });

  it("is the time the mark carries (k6's clock in setup()), however late the line is read", async () => {
    const stderr = new PassThrough();
    const started = loadStartOf(stderr, () => 1_764_600_000_900);
    stderr.write(
      `time="2026-12-01T14:40:00Z" level=info msg="${LOAD_START_MARK} 1764600000123" source=console\n`,
    );
    expect(await started).toBe(1_764_600_000_123);
  });

  it('is null when k6 ends without starting its load', async () => {
    const stderr = new PassThrough();
    const started = loadStartOf(stderr, () => 1);
    stderr.end('level=error msg="could not initialize"\n');
    expect(await started).toBeNull();
  });
});
