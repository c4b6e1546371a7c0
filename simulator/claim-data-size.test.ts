import { describe, expect, it } from 'vitest';
import type { Profile } from '../core/profile.ts';
import { ClaimSchema, type ClaimsContext } from './claim.ts';
import { evaluateDataSizeClaim, measuredFactor } from './claim-data-size.ts';
import type { DataSizePoint } from './data-size.ts';

const claim = ClaimSchema.parse({
  id: 'A-10x-slower-10M',
  document: 'storage-architecture-analysis.md',
  line: 219,
  quote: 'Query performance degrades by ~10x when `messages` exceeds 10M rows',
  kind: 'data-size-factor',
  claimed: 10,
  unit: '×',
  assumptions: { messages: 10_000_000, schema: 'plain' },
  tolerance: 0.5,
});

const profile = {
  name: 'scale-100k',
  users: 100_000,
  conversationsPerUser: { mean: 50, max: 200 },
  messagesPerConversation: { mean: 2, max: 20, reference: 100 },
} as unknown as Profile;

const ctx = (points: DataSizePoint[]): ClaimsContext => ({
  profile,
  policies: {},
  modelFor: () => {
    throw new Error('not used by data-size claims');
  },
  dataSizePoints: points,
});

const point = (
  run: string,
  messages: number,
  ms: number,
  over: Partial<DataSizePoint> = {},
): DataSizePoint => ({
  run,
  schema: 'plain',
  messages,
  dbTimeMsPerSync: ms,
  readsPerSync: 0,
  touchesPerSync: 100,
  sizeBytes: messages * 1000,
  sharedBuffersBytes: 128e6,
  messagesP95Ms: null,
  messageReadMs: null,
  ...over,
});

describe('the ~10x past 10M rows claim, from table-size runs', () => {
  it('takes the mean of the nearest size on each side of 10M, same schema only', () => {
    const m = measuredFactor(
      [
        point('a', 4e6, 1.0),
        point('b', 4e6, 1.4), // mean 1.2 ms at 4M
        point('c', 10e6, 1.8), // 1.8 / 1.2 = 1.5
        point('d', 10e6, 50, { schema: 'partitioned' }), // other schema: ignored
        point('e', 2e5, 0.5), // further from 10M than 4M: not compared
        point('f', 100e6, 30), // further over 10M than 10M: not compared
      ],
      10e6,
      'plain',
    );
    // The step across 10M: 4M (mean 1.2 ms) to 10M (1.8 ms) = 1.5.
    expect(m.factor).toBeCloseTo(1.5, 12);
  });

  it('says what is missing, with the commands, when no run is on one side of 10M', () => {
    const e = evaluateDataSizeClaim(claim, ctx([point('a', 4e6, 1), point('b', 2e5, 0.9)]));
    expect(e.verdict).toBe('not-modelled');
    expect(e.profile.value).toBeNull();
    expect(e.reason).toMatch(
      /^not measured: table-size runs measured 200,000, 4,000,000 messages; needs plain/,
    );
    expect(e.reason).toContain('atlas-cap run table-size --profile scale-100k --schema plain');
    expect(evaluateDataSizeClaim(claim, ctx([])).reason).toMatch(
      /^not measured: needs plain table-size runs/,
    );
  });

  it('holds within 5-15×, and is refuted by a measured 1.5×, with the model at the reference size', () => {
    const holds = evaluateDataSizeClaim(claim, ctx([point('a', 4e6, 1), point('c', 10e6, 12)]));
    expect(holds.verdict).toBe('holds');
    expect(holds.profile.value).toBeCloseTo(12, 12);
    const refuted = evaluateDataSizeClaim(
      claim,
      ctx([
        point('a', 4e6, 1.0, { readsPerSync: 0 }),
        // 10M messages × 1000 B = 10 GB; 100 touches per sync; 2 ms at 10 reads per sync.
        point('c', 10e6, 1.5, { readsPerSync: 10 }),
      ]),
    );
    expect(refuted.verdict).toBe('assumption');
    expect(refuted.profile.value).toBeCloseTo(1.5, 12);
    expect(refuted.difference).toBeCloseTo(-0.85, 12);
    expect(refuted.reason).toMatch(
      /^measured 1.5×, not 10×, from plain table-size runs: 1 ms database time per sync at 4,000,000 messages \(a\), 1.5 ms at 10,000,000 \(c\)/,
    );
    // The measured factor alone: predictions carry the data by working set, not by it.
    expect(refuted.reason).toMatch(/Predictions do not scale by this factor/);
    expect(refuted.reason).not.toMatch(/ms per sync with the same shared_buffers/);
  });
});
