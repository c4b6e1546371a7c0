import { describe, expect, it } from 'vitest';
import { syntheticRunRecord } from '../../test/support/run-record-fixture.ts';
import { pushPathsLine } from './push-paths-line.ts';

const summary = (count: number, p95: number) => ({
  count,
  errorRate: 0,
  statuses: { '201': count },
  mean: p95 / 2,
  p50: p95 / 2,
  p95,
  p99: p95 * 2,
  max: p95,
});

const replicate = (id: string, empty: number, rows: number, emptyP95: number, rowsP95: number) =>
  syntheticRunRecord({
    id,
    scenario: 'launch-mix',
    users: 1429,
    endpoints: { 'rest.push': summary(empty + rows, 1) },
    batches: { 'rest.push/empty': summary(empty, emptyP95), 'rest.push/rows': summary(rows, rowsP95) },
  });

describe('pushPathsLine', () => {
  it("pools the replicates' pushes for the share and takes the median of their paths' p95s", () => {
    // 18 + 12 + 0 = 30 of 900 pushes carried a row: 3.3 %. Empty p95s 0.78, 0.80, 0.82 → 0.80; the
    // row path's 1.5 and 1.4 (the third replicate had none) → 1.45.
    const line = pushPathsLine(
      [
        replicate('a', 282, 18, 0.78, 1.5),
        replicate('b', 288, 12, 0.8, 1.4),
        replicate('c', 300, 0, 0.82, 0),
      ],
      0.075,
    );
    expect(line).toContain('3.3 % with a row');
    expect(line).toContain("(the model's 7.5 %)");
    expect(line).toContain('p95 empty 0.80 ms (p99 1.60 ms), with a row 1.45 ms');
  });

  it('says so when the records do not keep the paths apart', () => {
    const old = syntheticRunRecord({ id: 'o', scenario: 'launch-mix', users: 1, endpoints: {} });
    expect(pushPathsLine([old], null)).toMatch(/not recorded/);
  });
});
