import { describe, expect, it } from 'vitest';
import type { RunRecord, SeriesSample } from '../../core/run-record.ts';
import { poolSeconds } from '../../test/support/pool-seconds.ts';
import { dbCongestionLine } from './db-congestion-line.ts';

/** `n` seconds of 1,000 requests each (test/support/pool-seconds.ts). */
function seconds(n: number, dbPercent: number, inUse: number, waiting: number): SeriesSample[] {
  return poolSeconds(n, 1000, dbPercent, inUse, waiting);
}

const record = { machine: { cores: 2 } } as unknown as RunRecord;

describe('dbCongestionLine', () => {
  it("prints each replicate's calm and congested CPU a request, its κ, their median and the model's", () => {
    const line = dbCongestionLine(
      [
        { record, series: [...seconds(10, 40, 2, 0), ...seconds(10, 52, 10, 5)] },
        { record, series: seconds(60, 40, 2, 0) },
        { record, series: [...seconds(10, 40, 2, 0), ...seconds(10, 46, 10, 5)] },
      ],
      0,
    );
    expect(line).toContain('r1 0.400 → 0.520 ms (+30 %; 2.0 → 10.0 busy, 10 / 10 s; κ 0.038)');
    expect(line).toContain('r2 not both calm and congested');
    expect(line).toContain('r3 0.400 → 0.460 ms (+15 %; 2.0 → 10.0 busy, 10 / 10 s; κ 0.019)');
    // The median of 0.3 / 8 and 0.15 / 8.
    expect(line).toContain("median κ 0.028 (the model's κ 0.000)");
  });

  it('reads the database cores a run limited its server to', () => {
    const limited = { machine: { cores: 2, dbCores: 1 } } as unknown as RunRecord;
    const line = dbCongestionLine(
      [{ record: limited, series: [...seconds(10, 40, 2, 0), ...seconds(10, 52, 10, 5)] }],
      0.04,
    );
    // On one core the calm seconds' 2 busy are 1 past it: κ = 0.3 / (9 − 1.3).
    expect(line).toContain(`κ ${(0.3 / 7.7).toFixed(3)}`);
    expect(line).toContain("(the model's κ 0.040)");
  });
});
