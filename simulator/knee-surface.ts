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
  /** The resource load the knee is taken to go as 1 / (null: none fitted better than the dials alone). */
  load: string | null;
  /** Other resources that cap the surface where they reach the utilisation ceiling first. */
  caps: string[];
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
  // The load whose 1 / L best explains the tornado's exact points (least squares in log knee).
  let load: string | null = null;
  let loadTerm = (_v: Readonly<Record<string, number>>): number => 0;
  const pointLoads = new Map<string, Record<string, number>>();
  const loadAt = (dial: string, value: number): Record<string, number> => {
    const key = `${dial}=${value}`;
    if (!pointLoads.has(key)) pointLoads.set(key, loadsOf!({ ...baseValues, [dial]: value }));
    return pointLoads.get(key)!;
  };
  const base = loadsOf ? loadsOf(baseValues) : {};
  if (loadsOf) {
    const residual = (name: string | null): number => {
      let sum = 0;
      for (const bar of tornado.bars) {
        const d = dials.find((x) => x.name === bar.dial);
        if (!d) continue;
        for (const p of bar.curve) {
          if (p.knee <= 0) continue;
          const l = loadAt(bar.dial, p.value);
          const predicted = name === null ? 0 : -Math.log(l[name]! / base[name]!);
          sum += (Math.log(p.knee) - logBase - predicted) ** 2;
        }
      }
      return sum;
    };
    let best = residual(null);
    for (const name of Object.keys(base).filter((k) => base[k]! > 0)) {
      const r = residual(name);
      if (r < best) {
        best = r;
        load = name;
      }
    }
    if (load !== null) {
      const name = load;
      loadTerm = (v) => -Math.log(Math.max(1e-300, loadsOf(v)[name]!) / base[name]!);
      // loadsOf is called twice per draw when caps apply; cheap (the queues at one user).
    }
  }
  const terms = dials.map((d) => {
    if (load === null && d.scaling === 'load') return (v: number): number => Math.log(d.base / v);
    const bar = tornado.bars.find((b) => b.dial === d.name);
    if (!bar) return (): number => 0;
    const positive = d.low > 0;
    const pts = bar.curve.map((p) => {
      const explained =
        load === null || p.knee <= 0 ? 0 : -Math.log(loadAt(d.name, p.value)[load]! / base[load]!);
      return {
        x: logOr(p.value, positive),
        y: p.knee > 0 ? Math.log(p.knee) - logBase - explained : Number.NEGATIVE_INFINITY,
      };
    });
    const f = piecewise(pts);
    return (v: number): number => f(logOr(v, positive));
  });
  // Another resource binds first where it reaches its ceiling below the surface's knee: the users at
  // its ceiling, 1 / load, calibrated by the base knee (a resource already past its ceiling at the base
  // knee, a large pool judged by its wait, cannot be calibrated this way and is left out).
  const caps = loadsOf
    ? Object.keys(base).filter((r) => r !== load && base[r]! > 0 && 1 / base[r]! > baseKnee)
    : [];
  const surface: KneeSurface = (values) => {
    if (baseKnee === 0) return 0;
    let y = logBase + loadTerm(values);
    dials.forEach((d, i) => {
      y += terms[i]!(values[d.name] ?? d.base);
    });
    if (!Number.isFinite(y)) return 0;
    let knee = Math.exp(y);
    if (caps.length > 0) {
      const l = loadsOf!(values);
      for (const r of caps) if (l[r]! > 0) knee = Math.min(knee, 1 / l[r]!);
    }
    return Math.min(maxUsers, knee);
  };
  return { surface, info: { policy: tornado.policy, load, caps } };
}
