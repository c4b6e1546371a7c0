import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/run-record.ts';
import { syntheticDatabase } from '../../test/support/run-record-fixture.ts';
import { dataSizeLine, runDataOf } from './data-size-line.ts';

const MB = 1024 * 1024;

/** A run of `iterations` syncs whose database read `read` and hit `hits` pages, `sizeMb` on 128 MB of buffers. */
function run(iterations: number, read: number, hits: number, sizeMb: number): RunRecord {
  return {
    iterations: { completed: iterations, dropped: 0, rate: iterations / 60, targetRate: iterations / 60 },
    database: syntheticDatabase({
      blocksHit: hits,
      blocksRead: read,
      hitRatio: hits + read > 0 ? hits / (hits + read) : null,
      sizeBytes: sizeMb * MB,
    }),
  } as unknown as RunRecord;
}

describe('runDataOf', () => {
  it('reads the page reads per completed iteration', () => {
    // 25,000 reads over 1,000 syncs: 25 a sync.
    expect(runDataOf(run(1000, 25000, 400000, 1447))?.readsPerIteration).toBe(25);
  });

  it('is null without database activity or without an iteration', () => {
    expect(runDataOf({ ...run(1000, 1, 1, 1), database: undefined } as RunRecord)).toBeNull();
    expect(runDataOf(run(0, 1, 1, 1))).toBeNull();
  });
});

describe('dataSizeLine', () => {
  const fit = [run(1000, 500, 450000, 305), run(1000, 1500, 450000, 752)].map(runDataOf);

  it('prices the reads beyond the fit at 36 µs each (19-55) when they are 5 or more an iteration', () => {
    // The level reads 25 a sync, the fit 1 (0.5 and 1.5): 24 more × 36 µs = 0.864 ms; × 19 = 0.456; × 55 = 1.32.
    const line = dataSizeLine([run(1000, 25000, 400000, 1447)].map(runDataOf), fit);
    expect(line).toContain('1,447 MB on 128 MB of shared_buffers, 25.0 page reads an iteration');
    expect(line).toContain("the fit runs' 1.0");
    expect(line).toContain('at 305-752 MB');
    expect(line).toContain('about +0.86 ms of database CPU an iteration (0.46-1.32;');
    expect(line).toContain('the prediction carries its modelled reads at that price');
  });

  it('says nothing of a cost when the level reads fewer than 5 more than the fit', () => {
    // 5.9 against 1: 4.9 more, under the threshold.
    const line = dataSizeLine([run(1000, 5900, 450000, 760)].map(runDataOf), fit);
    expect(line).toContain('5.9 page reads an iteration');
    expect(line).not.toContain('outgrew');
  });

  it("prints the working-set model's reads beside the measured ones when given", () => {
    const line = dataSizeLine([run(1000, 25000, 400000, 1447)].map(runDataOf), fit, 22.14);
    expect(line).toContain('25.0 page reads an iteration from outside them (the working-set model: 22.1)');
    expect(dataSizeLine([run(1000, 25000, 400000, 1447)].map(runDataOf), fit)).not.toContain(
      'working-set model',
    );
  });

  it('says when no run recorded database activity', () => {
    expect(dataSizeLine([null], fit)).toBe('  data: no database activity recorded (no data-size check)');
  });
});
