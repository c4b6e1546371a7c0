import { quantileSorted } from 'simple-statistics';
import { seededRandom } from '../core/seeded-random.ts';
import type { Dial } from './decision-model.ts';
import { baseValues, hasRange } from './decision-model.ts';

/** What is assumed within a range: a triangular distribution with its mode at the base value. */
export const WITHIN_RANGE =
  'triangular(low, base, high) per assumption, independent of each other; whole-number dials rounded';

/** Inverse CDF of the triangular distribution on [low, high] with its mode at `mode`. */
export function triangularQuantile(u: number, low: number, mode: number, high: number): number {
  if (high <= low) return mode;
  const split = (mode - low) / (high - low);
  return u < split
    ? low + Math.sqrt(u * (high - low) * (mode - low))
    : high - Math.sqrt((1 - u) * (high - low) * (high - mode));
}

/** P10, P50 and P90 of one output over the draws. */
export interface Spread {
  p10: number;
  p50: number;
  p90: number;
  /** The output with every dial at base, for comparison. */
  base: number;
}

/** A seeded Monte Carlo over the dials' ranges. */
export interface MonteCarloResult {
  draws: number;
  seed: number;
  /** The distribution assumed within each range ({@link WITHIN_RANGE}). */
  distribution: string;
  /** The dials drawn (those with a range). */
  dials: string[];
  /** Per output name: its P10, P50, P90 and base value. */
  outputs: Record<string, Spread>;
}

/** Options of {@link monteCarlo}. */
export interface MonteCarloOptions {
  dials: readonly Dial[];
  draws: number;
  seed: number;
  /** Outputs of one draw by name (e.g. `knee:current`, `cost:current:10000`); the same names every draw. */
  evaluate: (values: Record<string, number>) => Record<string, number>;
}

/** Draws dial values for a Monte Carlo: one object per draw, every ranged dial drawn, the rest at base. */
export function drawValues(dials: readonly Dial[], draws: number, seed: number): Record<string, number>[] {
  const uniform = seededRandom(seed);
  const ranged = dials.filter(hasRange);
  const out: Record<string, number>[] = [];
  for (let i = 0; i < draws; i++) {
    const values = baseValues(dials);
    for (const d of ranged) {
      const v = triangularQuantile(uniform(), d.low, d.base, d.high);
      values[d.name] = d.integer ? Math.round(v) : v;
    }
    out.push(values);
  }
  return out;
}

/**
 * Monte Carlo over the dials' ranges (pure, seeded: the same seed gives the same draws and
 * percentiles): each draw takes every ranged dial from its triangular distribution, evaluates the
 * outputs, and the P10/P50/P90 of each output over the draws are returned.
 */
export function monteCarlo(options: MonteCarloOptions): MonteCarloResult {
  if (!Number.isInteger(options.draws) || options.draws < 1)
    throw new RangeError(`draws must be a positive whole number, got ${options.draws}`);
  const base = options.evaluate(baseValues(options.dials));
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(base).map((k) => [k, []]));
  for (const values of drawValues(options.dials, options.draws, options.seed)) {
    const out = options.evaluate(values);
    for (const k of Object.keys(samples)) samples[k]!.push(out[k]!);
  }
  const outputs: Record<string, Spread> = {};
  for (const [k, xs] of Object.entries(samples)) {
    xs.sort((a, b) => a - b);
    outputs[k] = {
      p10: quantileSorted(xs, 0.1),
      p50: quantileSorted(xs, 0.5),
      p90: quantileSorted(xs, 0.9),
      base: base[k]!,
    };
  }
  return {
    draws: options.draws,
    seed: options.seed,
    distribution: WITHIN_RANGE,
    dials: options.dials.filter(hasRange).map((d) => d.name),
    outputs,
  };
}
