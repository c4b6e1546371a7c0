import type { Dial } from './decision-model.ts';
import type { Tornado } from './sensitivity.ts';
import { kneeNumber } from './sensitivity.ts';

/** A knee as a function of dial values, for drawing many times (see {@link kneeSurface}). */
export type KneeSurface = (values: Readonly<Record<string, number>>) => number;

function logOr(x: number, positive: boolean): number {
  return positive ? Math.log(x) : x;
}

/**
 * A response surface of the knee built from a tornado's exact runs, so a 1,000-draw Monte Carlo
 * needs no knee search per draw: log(knee) = log(base knee) + Σ per dial the change the tornado
 * measured, piecewise linear between its exact points (low, base, high) in log(value) (in value when
 * low ≤ 0); past a cliff (the knee vanishes) the knee is 0. A dial that scales the load (users × dial)
 * contributes log(base / value) exactly. Interactions between dials are left out: the caller checks
 * the surface against exact knees at some draws.
 */
export function kneeSurface(dials: readonly Dial[], tornado: Tornado, maxUsers: number): KneeSurface {
  const baseKnee = kneeNumber(tornado.baseKnee);
  const logBase = Math.log(Math.max(1, baseKnee));
  const terms = dials.map((d) => {
    if (d.scaling === 'load') return (v: number): number => Math.log(d.base / v);
    const bar = tornado.bars.find((b) => b.dial === d.name);
    if (!bar) return (): number => 0;
    const positive = d.low > 0;
    const pts = bar.curve.map((p) => ({
      x: logOr(p.value, positive),
      y: p.knee > 0 ? Math.log(p.knee) - logBase : Number.NEGATIVE_INFINITY,
    }));
    return (v: number): number => {
      const x = logOr(v, positive);
      let j = pts.findIndex((p) => p.x >= x);
      if (j === -1) j = pts.length - 1;
      if (j === 0) return pts[0]!.y;
      const a = pts[j - 1]!;
      const b = pts[j]!;
      // A cliff: no interpolation into "no knee"; the nearer exact point decides.
      if (!Number.isFinite(a.y) || !Number.isFinite(b.y)) return x - a.x <= b.x - x ? a.y : b.y;
      const span = b.x - a.x;
      return span === 0 ? a.y : a.y + ((b.y - a.y) * (x - a.x)) / span;
    };
  });
  return (values) => {
    if (baseKnee === 0) return 0;
    let y = logBase;
    dials.forEach((d, i) => {
      y += terms[i]!(values[d.name] ?? d.base);
    });
    return Number.isFinite(y) ? Math.min(maxUsers, Math.exp(y)) : 0;
  };
}
