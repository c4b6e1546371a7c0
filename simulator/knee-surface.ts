import type { Dial } from './decision-model.ts';
import type { Tornado } from './sensitivity.ts';
import { kneeNumber } from './sensitivity.ts';

/** A knee as a function of dial values, for drawing many times (see {@link kneeSurface}). */
export type KneeSurface = (values: Readonly<Record<string, number>>) => number;

/** Per resource, utilisation per user as a share of the ceiling, for some dial values (DecisionModel.loads). */
export type LoadsOf = (values: Readonly<Record<string, number>>) => Record<string, number>;

/** The surface's make-up, for data.json: which load it follows, if any. */
export interface SurfaceInfo {
  policy: string;
  /** What the knee is taken to follow (null: the dials alone, no loads given). */
  load: string | null;
}

function logOr(x: number, positive: boolean): number {
  return positive ? Math.log(x) : x;
}

/** Piecewise linear through points (x ascending); a non-finite y is a cliff: the nearer point decides. */
function piecewise(pts: { x: number; y: number }[]): (x: number) => number {
  return (x) => {
    if (pts.length === 0) return 0;
    let j = pts.findIndex((p) => p.x >= x);
    if (j === -1) j = pts.length - 1;
    if (j === 0) return pts[0]!.y;
    const a = pts[j - 1]!;
    const b = pts[j]!;
    if (!Number.isFinite(a.y) || !Number.isFinite(b.y)) return x - a.x <= b.x - x ? a.y : b.y;
    const span = b.x - a.x;
    return span === 0 ? a.y : a.y + ((b.y - a.y) * (x - a.x)) / span;
  };
}

/**
 * A response surface of the knee built from a tornado's exact runs, so a 1,000-draw Monte Carlo
 * needs no knee search per draw. With per-user loads: the knee goes as 1 / the load (of the resource
 * whose load best explains the tornado), which carries the dials' interactions through the load
 * exactly (a cap that binds, shares that multiply); what the load does not explain (a latency tail,
 * a pool) is added per dial, piecewise linear between the tornado's exact points in log(value) (in
 * value when low ≤ 0), and past a cliff (no knee) the knee is 0. Without loads, a dial that scales the
 * load contributes log(base / value) exactly and every other dial its tornado curve. Interactions
 * outside the load are left out: the caller checks the surface against exact knees at some draws.
 */
export function kneeSurface(
  dials: readonly Dial[],
  tornado: Tornado,
  maxUsers: number,
  loadsOf?: LoadsOf,
): { surface: KneeSurface; info: SurfaceInfo } {
  const baseKnee = kneeNumber(tornado.baseKnee);
  const logBase = Math.log(Math.max(1, baseKnee));
  const baseValues: Record<string, number> = Object.fromEntries(dials.map((d) => [d.name, d.base]));
  // With loads: the knee goes as the users at which the first resource reaches its ceiling
  // (min over resources of 1 / load), scaled so that it is the exact knee at base.
  const pointLoads = new Map<string, number>();
  const firstCeiling = (l: Record<string, number>): number => {
    let m = Number.POSITIVE_INFINITY;
    for (const x of Object.values(l)) if (x > 0) m = Math.min(m, 1 / x);
    return m;
  };
  const baseFirst = loadsOf ? firstCeiling(loadsOf(baseValues)) : Number.POSITIVE_INFINITY;
  const useLoads = loadsOf !== undefined && Number.isFinite(baseFirst) && baseKnee > 0;
  const load: string | null = useLoads ? 'first resource at its ceiling' : null;
  const loadAt = (dial: string, value: number): number => {
    const key = `${dial}=${value}`;
    if (!pointLoads.has(key)) pointLoads.set(key, firstCeiling(loadsOf!({ ...baseValues, [dial]: value })));
    return pointLoads.get(key)!;
  };
  const loadTerm = (v: Readonly<Record<string, number>>): number =>
    useLoads ? Math.log(firstCeiling(loadsOf!(v)) / baseFirst) : 0;
  const terms = dials.map((d) => {
    if (!useLoads && d.scaling === 'load') return (v: number): number => Math.log(d.base / v);
    const bar = tornado.bars.find((b) => b.dial === d.name);
    if (!bar) return (): number => 0;
    const positive = d.low > 0;
    const pts = bar.curve.map((p) => {
      const explained = !useLoads || p.knee <= 0 ? 0 : Math.log(loadAt(d.name, p.value) / baseFirst);
      return {
        x: logOr(p.value, positive),
        y: p.knee > 0 ? Math.log(p.knee) - logBase - explained : Number.NEGATIVE_INFINITY,
      };
    });
    const f = piecewise(pts);
    return (v: number): number => f(logOr(v, positive));
  });
  const surface: KneeSurface = (values) => {
    if (baseKnee === 0) return 0;
    let y = logBase + loadTerm(values);
    dials.forEach((d, i) => {
      y += terms[i]!(values[d.name] ?? d.base);
    });
    if (!Number.isFinite(y)) return 0;
    return Math.min(maxUsers, Math.exp(y));
  };
  return { surface, info: { policy: tornado.policy, load } };
}
