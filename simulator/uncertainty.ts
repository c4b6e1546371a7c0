import { median } from 'simple-statistics';
import type { DecisionModel, Dial } from './decision-model.ts';
import type { FlipPoint } from './flip-points.ts';
import { flipPoints } from './flip-points.ts';
import type { SurfaceInfo } from './knee-surface.ts';
import { kneeSurface } from './knee-surface.ts';
import { drawValues, monteCarlo, WITHIN_RANGE } from './monte-carlo.ts';
import type { Tornado } from './sensitivity.ts';
import { kneeNumber, tornadoes } from './sensitivity.ts';
import type { WhatIfGrid } from './what-if-grid.ts';
import { whatIfGrid } from './what-if-grid.ts';

/** P10 / P50 / P90 of a policy's knee over the Monte Carlo, beside its base value. */
export interface KneeSpread {
  policy: string;
  p10: number;
  p50: number;
  p90: number;
  base: number;
}

/** P10 / P50 / P90 of a policy's monthly cost at one scale. */
export interface CostSpread extends KneeSpread {
  users: number;
}

/** How far the knee surface is from exact knee searches: at every draw (exact knees) or at some (surface knees). */
export interface SurfaceCheck {
  draws: number;
  /** Largest |surface − exact| / exact over those draws and every policy. */
  maxRelativeError: number;
  /** Median of |surface − exact| / exact over those draws and every policy. */
  medianRelativeError: number;
  worst: { policy: string; exact: number; surface: number } | null;
}

/** The Monte Carlo part of {@link Uncertainty}. */
export interface MonteCarloSummary {
  draws: number;
  seed: number;
  distribution: string;
  dials: string[];
  /**
   * `exact`: a search with the decision rule per draw (to `drawTolerance`), started from the surface's
   * guess; `surface`: the tornado's response surface alone (knee-surface.ts).
   */
  kneeMethod: 'exact' | 'surface';
  /** Relative precision of each draw's exact knee (null for `surface`). */
  drawTolerance: number | null;
  /** Per policy, the resource load the surface follows (knee-surface.ts). */
  surfaces: SurfaceInfo[];
  knees: KneeSpread[];
  costs: CostSpread[];
  check: SurfaceCheck | null;
}

/** Sensitivity and uncertainty of a review's verdicts: data.json's `uncertainty`. */
export interface Uncertainty {
  dials: Dial[];
  tornadoes: Tornado[];
  flipPoints: FlipPoint[];
  monteCarlo: MonteCarloSummary;
  whatIf: WhatIfGrid;
}

/** Options of {@link analyseUncertainty}. */
export interface UncertaintyOptions {
  draws: number;
  seed: number;
  /** Dials on the what-if grid's axes (load dials are followed continuously, never on an axis). */
  whatIfAxes: readonly string[];
  /** Relative precision of the what-if grid's knees (default 2%). */
  gridTolerance?: number;
  /**
   * Knee per draw: `exact` (default), a search with the decision rule started from the surface's
   * guess, to `drawTolerance`; or `surface`, the response surface alone (checked against exact
   * searches at `surfaceChecks` draws; ~2 s less for 1,000 draws, but its P50 of `current` came out a
   * quarter below the searches' on `npm start`'s records of 2026-12-06).
   */
  kneeMethod?: 'exact' | 'surface';
  /** Relative precision of each draw's exact knee (default 2%). */
  drawTolerance?: number;
  /** Draws re-run with exact knee searches to check the surface (default 40). */
  surfaceChecks?: number;
}

const MAX_USERS = 10_000_000;

/**
 * The tornado per policy, the flip point of every verdict along every ranged dial, a seeded Monte
 * Carlo of the knees and costs over the ranges, and the what-if grid: everything pure, from one
 * decision model.
 */
export function analyseUncertainty(model: DecisionModel, options: UncertaintyOptions): Uncertainty {
  const tornado = tornadoes(model);
  const flips = flipPoints(model, tornado);
  const method = options.kneeMethod ?? 'exact';
  const drawTolerance = options.drawTolerance ?? 0.02;
  const fitted = tornado.map((t) =>
    kneeSurface(model.dials, t, MAX_USERS, model.loads ? (v) => model.loads!(v, t.policy) : undefined),
  );
  const surfaces = new Map(fitted.map((f) => [f.info.policy, f.surface]));
  const baseKnee = new Map(tornado.map((t) => [t.policy, kneeNumber(t.baseKnee)]));
  const baseBracket = new Map(
    tornado.map((t) => [t.policy, t.baseKnee.bracket ?? t.baseKnee.users ?? undefined]),
  );
  // How far the surface is from exact knees: every draw when the knees are exact, else some draws.
  const checkDraws =
    method === 'exact' ? options.draws : Math.min(options.surfaceChecks ?? 40, options.draws);
  const check: SurfaceCheck = { draws: checkDraws, maxRelativeError: 0, medianRelativeError: 0, worst: null };
  const errors: number[] = [];
  const noteSurface = (policy: string, exact: number, surface: number): void => {
    const err = exact > 0 ? Math.abs(surface - exact) / exact : surface > 0 ? 1 : 0;
    errors.push(err);
    if (err >= check.maxRelativeError) {
      check.maxRelativeError = err;
      check.worst = { policy, exact, surface };
    }
  };
  const kneeAt = (values: Record<string, number>, policy: string): number => {
    const guess = surfaces.get(policy)!(values);
    if (method === 'surface') return guess;
    // The surface only says where to start: the rule decides every step of the search.
    const exact = kneeNumber(
      model.knee(values, policy, guess >= 1 ? guess : baseBracket.get(policy), drawTolerance),
    );
    noteSurface(policy, exact, guess);
    return exact;
  };
  const mc = monteCarlo({
    dials: model.dials,
    draws: options.draws,
    seed: options.seed,
    evaluate: (values) => {
      const out: Record<string, number> = {};
      for (const policy of model.policies) {
        out[`knee|${policy}`] = kneeAt(values, policy);
        const costs = model.monthlyUsd(values, policy, model.scales);
        model.scales.forEach((users, i) => {
          out[`cost|${policy}|${users}`] = costs[i] ?? Number.NaN;
        });
      }
      return out;
    },
  });
  const knees = model.policies.map((policy) => ({ policy, ...mc.outputs[`knee|${policy}`]! }));
  // With every dial at base the surface is the exact base knee by construction.
  for (const k of knees) k.base = baseKnee.get(k.policy)!;
  const costs = model.policies.flatMap((policy) =>
    model.scales.map((users) => ({ policy, users, ...mc.outputs[`cost|${policy}|${users}`]! })),
  );
  if (method === 'surface') {
    for (const values of drawValues(model.dials, checkDraws, options.seed)) {
      for (const policy of model.policies) {
        const surface = surfaces.get(policy)!(values);
        noteSurface(
          policy,
          kneeNumber(model.knee(values, policy, surface >= 1 ? surface : undefined)),
          surface,
        );
      }
    }
  }
  if (errors.length > 0) check.medianRelativeError = median(errors);
  return {
    dials: [...model.dials],
    tornadoes: tornado,
    flipPoints: flips,
    monteCarlo: {
      draws: mc.draws,
      seed: mc.seed,
      distribution: WITHIN_RANGE,
      dials: mc.dials,
      kneeMethod: method,
      drawTolerance: method === 'exact' ? drawTolerance : null,
      surfaces: fitted.map((f) => f.info),
      knees,
      costs,
      check,
    },
    // Each grid knee's search starts from the surface's guess (pool choice included).
    whatIf: whatIfGrid(model, options.whatIfAxes, options.gridTolerance ?? 0.02, (values, policy) =>
      surfaces.get(policy)!(values),
    ),
  };
}
