import { describe, expect, it } from 'vitest';
import type { FlipPoint } from '../../simulator/index.ts';
import { calibrationNoiseClause, calibrationSentence } from './opening.ts';
import type { MeasuredRun } from './review-types.ts';

const run = (id: string, scenario: string, users: number, policy: string): MeasuredRun =>
  ({ id, scenario, users, policy }) as MeasuredRun;

const flip = (dial: string, users: number, policy: string, flips: FlipPoint['flips']): FlipPoint => ({
  dial,
  policy,
  users,
  baseVerdict: flips.length > 0 ? 'NO-GO' : 'GO',
  low: 0.8,
  high: 1.25,
  flips,
  summary: flips.length > 0 ? `GO below ${flips[0]!.value}, NO-GO above` : 'never within 0.8–1.25',
});

describe('calibrationSentence', () => {
  const measured = [run('a', 'full-sync', 1000, 'current'), run('b', 'launch-mix', 1900, 'current')];

  it('names the runs and how far they reach', () => {
    expect(calibrationSentence({ calibrated: true, runs: ['a', 'b'] }, measured)).toBe(
      'Model calibrated from 2 runs (full-sync 1k current, launch-mix 1.9k current), measured up to 1,900 users; beyond that it extrapolates.',
    );
    expect(calibrationSentence({ calibrated: false, runs: [] }, measured)).toMatch(/^Model uncalibrated/);
  });

  it('adds the verdicts the calibration noise turns, from the flip points of its dial alone', () => {
    const points = [
      flip('serviceDemandScale', 100_000, 'current', [{ value: 0.812, below: 'GO', above: 'NO-GO' }]),
      flip('serviceDemandScale', 10_000, 'current', []),
      flip('paidShare', 100_000, 'current', [{ value: 0.08, below: 'GO', above: 'NO-GO' }]),
    ];
    expect(calibrationNoiseClause(points)).toBe(
      ' Its service demands move by about a fifth between calibrations on this machine (serviceDemandScale 0.8-1.25 × the measured, in the assumptions): within that, 100k current NO-GO turns (GO below 0.812, NO-GO above).',
    );
    expect(calibrationNoiseClause(points.slice(1))).toBe(
      ' Its service demands move by about a fifth between calibrations on this machine (serviceDemandScale 0.8-1.25 × the measured, in the assumptions): no verdict turns within that.',
    );
    expect(calibrationNoiseClause(points.slice(2))).toBe('');
    expect(calibrationSentence({ calibrated: true, runs: ['a'] }, measured, points)).toMatch(
      /extrapolates\. Its service demands .* within that, 100k current NO-GO turns/,
    );
  });
});
