import { describe, expect, it } from 'vitest';
import { poolSeconds as seconds } from '../test/support/pool-seconds.ts';
import { runDbCongestion } from './db-congestion-seconds.ts';

describe('runDbCongestion', () => {
  it("reads the database's CPU a request in the calm and the congested seconds, and the κ between them", () => {
    // Calm: 40 % of a core over 1,000 requests = 400 ms / 1,000 = 0.40 ms; congested: 0.52 ms.
    const c = runDbCongestion([...seconds(10, 1000, 40, 2, 0), ...seconds(10, 1000, 52, 10, 5)], 2)!;
    expect(c.calm).toEqual({ seconds: 10, busyConnections: 2, databaseMsPerRequest: 0.4 });
    expect(c.congested.databaseMsPerRequest).toBeCloseTo(0.52, 12);
    expect(c.ratio).toBeCloseTo(1.3, 12);
    // 1 + κ·(10 − 2) = 1.3 with none past the cores when calm: κ = 0.3 / 8.
    expect(c.perBusyConnection).toBeCloseTo(0.0375, 12);
  });

  it('solves κ as a ratio of the two factors when the calm seconds have connections past the cores', () => {
    // Calm at 3 busy on 2 cores: (1 + 8κ) / (1 + κ) = 1.3, so κ = 0.3 / (8 − 1.3) = 0.044776...
    const c = runDbCongestion([...seconds(8, 500, 20, 3, 0), ...seconds(8, 500, 26, 10, 2)], 2)!;
    expect(c.perBusyConnection).toBeCloseTo(0.3 / 6.7, 12);
  });

  it('leaves out seconds in neither state, without CPU or pool samples, or without requests', () => {
    const between = seconds(30, 1000, 90, 6, 0); // neither calm (6 > 3) nor congested (none waiting)
    const halfFull = seconds(30, 1000, 90, 8, 4); // waiting, but the pool is not full
    const unsampled = seconds(30, 1000, 90, 10, 5).map((s) => ({ ...s, cpu: undefined }));
    const idle = seconds(30, 0, 90, 10, 5);
    const c = runDbCongestion(
      [
        ...seconds(5, 1000, 40, 1, 0),
        ...between,
        ...halfFull,
        ...unsampled,
        ...idle,
        ...seconds(5, 1000, 48, 10, 1),
      ],
      2,
    )!;
    expect(c.calm.seconds).toBe(5);
    expect(c.congested.seconds).toBe(5);
    expect(c.ratio).toBeCloseTo(1.2, 12);
  });

  it('is null when a state has fewer than its minimum seconds', () => {
    expect(runDbCongestion([...seconds(20, 1000, 40, 2, 0), ...seconds(4, 1000, 52, 10, 5)], 2)).toBeNull();
    expect(runDbCongestion(seconds(60, 1000, 40, 2, 0), 2)).toBeNull();
  });

  it('reads a negative κ when the congested seconds cost less, and none when both states sit at the cores', () => {
    const cheaper = runDbCongestion([...seconds(10, 1000, 50, 2, 0), ...seconds(10, 1000, 45, 10, 3)], 2)!;
    expect(cheaper.perBusyConnection).toBeCloseTo(-0.1 / 8, 12);
    // One database core per pooled connection: the pool full and waiting is 10 busy on 10 cores.
    const flat = runDbCongestion([...seconds(10, 1000, 40, 2, 0), ...seconds(10, 1000, 52, 10, 5)], 10)!;
    expect(flat.perBusyConnection).toBeNull();
  });
});
