// The review on a machine with neither k6 nor Go: it must say so in the installer's words, skip the
// live runs and still write the review, without trying to build anything. This machine has k6 (the
// global setup builds it), so the k6 and Go lookups are replaced by "none found": everything else is
// the real review.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runReview } from '../scripts/commands/review.ts';
import { NO_K6_NO_GO } from '../scripts/k6/install.ts';
import { REVIEW_FIXTURES } from './fixtures/review/review-input.ts';

vi.mock('../scripts/k6/binary.ts', async (original) => ({
  ...(await original<typeof import('../scripts/k6/binary.ts')>()),
  findK6: () => undefined,
  findGo: () => undefined,
}));

describe('atlas-cap review with neither k6 nor Go', () => {
  it('skips the live calibration with what the installer says, builds nothing, and still writes the review', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-review-nok6-'));
    const { dir, review } = await runReview({
      live: true,
      runs: [join(out, 'live-runs'), join(REVIEW_FIXTURES, 'runs')],
      out: join(out, 'review'),
      profile: 'ci-smoke',
      policies: ['current', 'fixed', 'scale'],
      users: [1000, 10_000, 100_000],
      liveSeconds: 2,
      // Unreachable: were the review to get past the k6 check, the runs would fail here, not run.
      databaseUrl: 'postgres://postgres@127.0.0.1:1/unreachable',
    });
    expect(review.live.mode).toBe('live');
    expect(review.live.ran).toEqual([]);
    expect(review.live.skipped).toEqual([{ what: 'live calibration (k6 runs)', why: NO_K6_NO_GO }]);
    // What the user reads: how to get k6, both ways.
    expect(NO_K6_NO_GO).toMatch(/Install Go \(https:\/\/go\.dev\/dl\/\) and re-run `npm run k6:install`/);
    expect(NO_K6_NO_GO).toMatch(/install k6 v1\.8\.1 \(https:\/\/grafana\.com\/docs\/k6\//);
    expect(existsSync(join(out, 'live-runs'))).toBe(false); // no run was started
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain(`- live calibration (k6 runs): ${NO_K6_NO_GO}`);
    // The measured fixture runs are still in the review: only the live part was skipped.
    expect(review.measured.length).toBeGreaterThan(0);
  });
});
