import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { fixtureReviewInput } from '../../test/fixtures/review/review-input.ts';
import { buildReview } from './build-review.ts';
import { budgetOf } from './decide.ts';
import { summariseRun } from './measured-run.ts';

describe('review model from fixture JSON', () => {
  const input = fixtureReviewInput();
  const review = buildReview(input);

  it('decides GO or NO-GO for every scale x policy, with a reason for every NO-GO', () => {
    expect(review.decisions.map((d) => `${d.users}/${d.policy}`)).toEqual([
      '1000/current',
      '1000/fixed',
      '1000/scale',
      '10000/current',
      '10000/fixed',
      '10000/scale',
      '100000/current',
      '100000/fixed',
      '100000/scale',
    ]);
    for (const d of review.decisions) {
      expect(d.decision === 'GO').toBe(d.reasons.length === 0);
    }
  });

  it('derives each decision from the prediction: saturation, headroom, budgets and errors', () => {
    const { targets } = input.simulation;
    for (const p of input.simulation.predictions) {
      const d = review.decisions.find((x) => x.users === p.users && x.policy === p.policy)!;
      const breaks =
        p.resources.some((r) => r.saturated || r.utilisation > targets.maxUtilisation) ||
        p.endpoints.some((e) => e.p95Ms === null || e.p95Ms > budgetOf(targets, e.endpoint)) ||
        !p.verdict.meetsErrors;
      if (breaks) expect(d.decision, `${p.users}/${p.policy}`).toBe('NO-GO');
      for (const r of p.resources.filter((x) => x.saturated)) {
        expect(d.reasons.some((reason) => reason.startsWith(`${r.name} saturated`))).toBe(true);
      }
    }
    // The fixture's 100k current prediction saturates everything; 1k fixed saturates nothing.
    expect(review.decisions.find((d) => d.users === 100000 && d.policy === 'current')!.decision).toBe(
      'NO-GO',
    );
    expect(review.decisions.find((d) => d.users === 1000 && d.policy === 'fixed')!.decision).toBe('GO');
  });

  it('lets a measurement at the same scale and policy overrule a GO prediction', () => {
    const slow = fixtureReviewInput();
    const run = slow.runs.find((r) => r.record.scenario === 'delta-sync')!;
    run.record.endpoints['rest.messages']!.p95 = 12_345;
    const d = buildReview(slow).decisions.find((x) => x.users === 1000 && x.policy === 'fixed')!;
    expect(d.decision).toBe('NO-GO');
    expect(d.evidence).toBe('predicted + measured');
    expect(d.reasons.join('\n')).toMatch(
      /measured \(delta-sync, delta-sync-1000u-fixed-fixture\): rest\.messages p95 12,345 ms/,
    );
  });

  it('does not let a ramp or fault run at the same scale overrule a GO', () => {
    const ramp = fixtureReviewInput();
    const run = ramp.runs.find((r) => r.record.scenario === 'delta-sync')!;
    run.record.scenario = 'ramp-to-knee';
    run.record.endpoints['rest.messages']!.p95 = 12_345;
    const d = buildReview(ramp).decisions.find((x) => x.users === 1000 && x.policy === 'fixed')!;
    expect(d).toMatchObject({ decision: 'GO', evidence: 'predicted' });
    const fault = fixtureReviewInput();
    const cut = fault.runs.find((r) => r.record.scenario === 'delta-sync')!;
    cut.record.faults = { 'connections-cut': { terminated: 3 } };
    cut.record.endpoints['rest.messages']!.p95 = 12_345;
    expect(buildReview(fault).decisions.find((x) => x.users === 1000 && x.policy === 'fixed')!.decision).toBe(
      'GO',
    );
  });

  it('warns when a measurement at the same scale and policy is far below what the model predicts', () => {
    const off = fixtureReviewInput();
    const p = off.simulation.predictions.find((x) => x.users === 1000 && x.policy === 'current')!;
    p.resources.find((r) => r.name === 'db.pool')!.offeredLoad = 25;
    const d = buildReview(off).decisions.find((x) => x.users === 1000 && x.policy === 'current')!;
    expect(d.caveats.join('\n')).toMatch(/pool was at most 10 of 10 busy, the model predicts 25 busy/);
    const fine = buildReview(fixtureReviewInput()).decisions.find(
      (x) => x.users === 1000 && x.policy === 'current',
    )!;
    expect(fine.caveats.join('\n')).not.toMatch(/the model predicts/);
  });

  it('gives a verdict per readiness target of the launch report at every scale', () => {
    expect(review.readiness.map((t) => t.id)).toEqual([
      'connection-pool',
      'rate-limit',
      'sync-frequency',
      'query-timeout',
      'health-checks',
    ]);
    for (const t of review.readiness) {
      expect(t.perScale.map((s) => s.users)).toEqual([1000, 10000, 100000]);
      expect(t.perScale.map((s) => s.policy)).toEqual(['fixed', 'fixed', 'scale']);
      expect(t.byPolicy.map((b) => b.policy)).toEqual(['current', 'fixed', 'scale']);
    }
    const health = review.readiness.find((t) => t.id === 'health-checks')!;
    expect(health.perScale[0]).toMatchObject({ verdict: 'holds' }); // the fixture delta-sync run measured /healthz
    expect(health.perScale[2]).toMatchObject({ verdict: 'not verified' }); // no run under `scale`
    const rate = review.readiness.find((t) => t.id === 'rate-limit')!;
    expect(rate.perScale[0]!.reason).toMatch(/measured 429 share 60\.0% \(rate-limit-200u-fixed-fixture\)/);
  });

  it('summarises measured runs from their records and series', () => {
    const delta = summariseRun(input.runs.find((r) => r.record.scenario === 'delta-sync')!);
    expect(delta).toMatchObject({
      users: 1000,
      policy: 'fixed',
      syncsPerSecond: 3.33,
      queriesPerSync: 3.1,
      syncMode: 'delta',
    });
    expect(delta.pool).toEqual({ size: 10, meanInUse: 2, maxInUse: 3, maxWaiting: 0 });
    expect(delta.healthzOk).toBe(true);
    const limited = summariseRun(input.runs.find((r) => r.record.scenario === 'rate-limit')!);
    expect(limited.rateLimitedRate).toBeCloseTo(240 / 400, 12);
    expect(limited.errorRateExcluding429).toBe(0);
  });

  it('builds the six charts as valid vega-lite with the measured and predicted data', () => {
    expect(review.charts.map((c) => c.id)).toEqual([
      'connection-usage',
      'queries-vs-users',
      'p95-vs-users',
      'cost-vs-users',
      'rate-limit-outcome',
      'queries-per-sync',
    ]);
    for (const chart of review.charts) expect(() => compile(chart.spec)).not.toThrow();
    const perSync = JSON.stringify(review.charts.find((c) => c.id === 'queries-per-sync')!.spec.data.values);
    expect(perSync).toContain('"queriesPerSync":52.4'); // measured full sync
    expect(perSync).toContain('"queriesPerSync":3.1'); // measured delta sync
    const limits = review.charts.find((c) => c.id === 'rate-limit-outcome')!.spec.data.values as {
      userClass: string;
      outcome: string;
      count: number;
      source: string;
    }[];
    const abusive = limits.filter((v) => v.source === 'measured' && v.userClass === 'free abusive');
    expect(abusive.find((v) => v.outcome === 'rate limited (429)')!.count).toBe(240); // from the record's classes
    expect(abusive.find((v) => v.outcome === 'accepted')!.count).toBe(60);
  });

  it('lists every assumption with a source, and is deterministic', () => {
    expect(review.assumptions.length).toBeGreaterThan(10);
    for (const a of review.assumptions) expect(a.source.length, a.what).toBeGreaterThan(0);
    expect(JSON.stringify(buildReview(fixtureReviewInput()))).toBe(JSON.stringify(review));
  });
});
