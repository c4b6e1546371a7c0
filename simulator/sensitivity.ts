import type { DecisionModel, Dial, DialValues, KneeValue } from './decision-model.ts';
import { baseValues, hasRange } from './decision-model.ts';

/** One bar of a tornado: the knee and the monthly cost with one dial at its low and at its high. */
export interface TornadoBar {
  dial: string;
  label: string;
  unit: string;
  low: number;
  base: number;
  high: number;
  /** A choice (pool sizes), not an uncertainty: what it buys, outside the ranking of assumptions. */
  choice?: true;
  kneeAtLow: KneeValue;
  kneeAtHigh: KneeValue;
  /** Knee swing, high minus low, in users (null when either end has no knee); bars sort by its size. */
  kneeSwing: number | null;
  /**
   * Every knee computed exactly along the dial, ascending in value: low, base, high, and where the
   * knee vanishes within the range (no user accepted), the last value with a knee and the first
   * without (the cliff, found by bisection on the rule at one user).
   */
  curve: { value: number; knee: number }[];
  /** Monthly cost at each reviewed scale with the dial at low, base and high. */
  cost: { users: number; low: number | null; base: number | null; high: number | null }[];
}

/** The tornado of one policy: its knee with every dial at base, and one bar per ranged dial. */
export interface Tornado {
  policy: string;
  baseKnee: KneeValue;
  bars: TornadoBar[];
}

/** A knee as a number for sorting and interpolating: none = 0, unbounded = its search limit. */
export function kneeNumber(k: KneeValue): number {
  return k.users ?? 0;
}

/** Relative precision of a cliff (where the knee vanishes along a dial). */
const CLIFF_PRECISION = 0.002;

/** The exact knees along a dial, with the cliff pinned where a knee vanishes between two points. */
function curveOf(
  model: DecisionModel,
  policy: string,
  d: Dial,
  at: (d: Dial, v: number) => DialValues,
  known: { value: number; knee: KneeValue }[],
): { value: number; knee: number }[] {
  const pts = known
    .map((p) => ({ value: p.value, knee: kneeNumber(p.knee) }))
    .sort((a, b) => a.value - b.value);
  const out = [...pts];
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    if ((a.knee === 0) === (b.knee === 0)) continue;
    // Bisect on "one user is accepted" between a and b.
    let yes = a.knee > 0 ? a.value : b.value;
    let no = a.knee > 0 ? b.value : a.value;
    while (Math.abs(yes - no) > CLIFF_PRECISION * Math.max(Math.abs(yes), Math.abs(no), 1e-12)) {
      const mid = d.integer ? Math.round((yes + no) / 2) : (yes + no) / 2;
      if (mid === yes || mid === no) break;
      if (model.accepts(at(d, mid), policy, 1)) yes = mid;
      else no = mid;
    }
    const inside = model.knee(at(d, yes), policy);
    out.push({ value: yes, knee: kneeNumber(inside) }, { value: no, knee: 0 });
  }
  return out.sort((a, b) => a.value - b.value);
}

/**
 * One-at-a-time sensitivity: every dial with a range is set to its low and its high, the others at
 * base, and the knee and the monthly cost recomputed per policy with the decision model. Bars are
 * sorted by the size of the knee's swing (the widest bar on top, as a tornado is drawn).
 */
export function tornadoes(model: DecisionModel): Tornado[] {
  const base = baseValues(model.dials);
  return model.policies.map((policy) => {
    const baseKnee = model.knee(base, policy);
    const hint = baseKnee.bracket ?? baseKnee.users ?? undefined;
    const baseCost = model.monthlyUsd(base, policy, model.scales);
    const at = (d: Dial, v: number): DialValues => ({ ...base, [d.name]: v });
    const bars = model.dials
      .filter((d) => hasRange(d) || (d.choice && d.low < d.high))
      .map((d): TornadoBar => {
        const kneeAtLow = model.knee(at(d, d.low), policy, hint);
        const kneeAtHigh = model.knee(at(d, d.high), policy, hint);
        const costLow = model.monthlyUsd(at(d, d.low), policy, model.scales);
        const costHigh = model.monthlyUsd(at(d, d.high), policy, model.scales);
        return {
          dial: d.name,
          label: d.label,
          unit: d.unit,
          low: d.low,
          base: d.base,
          high: d.high,
          ...(d.choice ? { choice: true } : {}),
          kneeAtLow,
          kneeAtHigh,
          curve: curveOf(model, policy, d, at, [
            { value: d.low, knee: kneeAtLow },
            { value: d.base, knee: baseKnee },
            { value: d.high, knee: kneeAtHigh },
          ]),
          kneeSwing:
            kneeAtLow.users === null || kneeAtHigh.users === null ? null : kneeAtHigh.users - kneeAtLow.users,
          cost: model.scales.map((users, i) => ({
            users,
            low: costLow[i] ?? null,
            base: baseCost[i] ?? null,
            high: costHigh[i] ?? null,
          })),
        };
      });
    const width = (b: TornadoBar): number => Math.abs(kneeNumber(b.kneeAtHigh) - kneeNumber(b.kneeAtLow));
    // Choices after the assumptions; each group widest first.
    bars.sort(
      (a, b) =>
        Number(!!a.choice) - Number(!!b.choice) || width(b) - width(a) || a.dial.localeCompare(b.dial),
    );
    return { policy, baseKnee, bars };
  });
}
