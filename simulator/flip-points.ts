import type { Verdict } from './decide.ts';
import type { DecisionModel, Dial, DialValues, KneeValue } from './decision-model.ts';
import { baseValues, hasRange } from './decision-model.ts';
import type { Tornado } from './sensitivity.ts';

/** Where one verdict turns: the dial's value, and the verdicts just below and just above it. */
export interface Flip {
  value: number;
  below: Verdict;
  above: Verdict;
}

/** The flip points of one verdict (policy × scale) along one dial's range. */
export interface FlipPoint {
  dial: string;
  policy: string;
  users: number;
  /** The verdict with every dial at base. */
  baseVerdict: Verdict;
  low: number;
  high: number;
  /** Empty: the verdict does not turn within the range. */
  flips: Flip[];
  /** `never within the range`, or the flips in words (`NO-GO above 0.42`). */
  summary: string;
}

/** Relative precision of a flip point (0.1%): well inside the ±2% a reader may re-run it at. */
export const FLIP_PRECISION = 0.001;

const verdictOf = (ok: boolean): Verdict => (ok ? 'GO' : 'NO-GO');

/**
 * The verdict at `users` read off a knee search, when the search settles it: the rule accepted the
 * bracket's lo and refused its hi, and is monotone in N. Null when users falls inside the bracket.
 */
export function verdictFromKnee(k: KneeValue, users: number): Verdict | null {
  if (k.unbounded) return users <= (k.users ?? 0) ? 'GO' : null;
  if (k.users === null) return users >= 1 ? 'NO-GO' : null;
  const lo = k.bracket?.lo ?? k.users;
  const hi = k.bracket?.hi ?? null;
  if (users <= lo) return 'GO';
  if (hi !== null && users >= hi) return 'NO-GO';
  return null;
}

/**
 * The value between a and b (verdicts differ at the two ends) where the verdict turns, by bisection
 * on the decision rule. Integer dials stop at two neighbouring integers and report their midpoint.
 */
function bisect(
  verdictAt: (v: number) => Verdict,
  dial: Dial,
  a: number,
  b: number,
  va: Verdict,
  vb: Verdict,
): Flip {
  let lo = a;
  let hi = b;
  for (let i = 0; i < 80; i++) {
    if (dial.integer ? hi - lo <= 1 : hi - lo <= FLIP_PRECISION * Math.max(Math.abs(lo), Math.abs(hi), 1e-12))
      break;
    const mid = dial.integer ? Math.round((lo + hi) / 2) : (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (verdictAt(mid) === va) lo = mid;
    else hi = mid;
  }
  return { value: (lo + hi) / 2, below: va, above: vb };
}

/** A flip point's value as the flip tables write it: three significant digits (2990, 0.373). */
export function flipValue(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/**
 * Flip points of every verdict along every ranged dial (the others at base): the verdict at low, base
 * and high, and where it differs between two of them, the value where it turns (bisection on the
 * decision rule), else "never within the range". With the tornadoes of the same model, verdicts
 * their knee searches settle are read off them instead of asked again.
 */
export function flipPoints(model: DecisionModel, known: readonly Tornado[] = []): FlipPoint[] {
  const base = baseValues(model.dials);
  const kneeAt = (policy: string, dial: string, v: number): KneeValue | undefined => {
    const t = known.find((x) => x.policy === policy);
    const bar = t?.bars.find((b) => b.dial === dial);
    if (!t || !bar) return undefined;
    if (v === bar.base) return t.baseKnee;
    if (v === bar.low) return bar.kneeAtLow;
    if (v === bar.high) return bar.kneeAtHigh;
    return undefined;
  };
  const out: FlipPoint[] = [];
  for (const dial of model.dials.filter(hasRange)) {
    for (const policy of model.policies) {
      for (const users of model.scales) {
        const at = (v: number): DialValues => ({ ...base, [dial.name]: v });
        const verdictAt = (v: number): Verdict => verdictOf(model.accepts(at(v), policy, users));
        const settled = (v: number): Verdict => {
          const k = kneeAt(policy, dial.name, v);
          return (k && verdictFromKnee(k, users)) ?? verdictAt(v);
        };
        const vLow = settled(dial.low);
        const vBase = settled(dial.base);
        const vHigh = settled(dial.high);
        const flips: Flip[] = [];
        // A dial's base lies within its range; a flip on each side of it is found separately.
        if (vLow !== vBase) flips.push(bisect(verdictAt, dial, dial.low, dial.base, vLow, vBase));
        if (vBase !== vHigh) flips.push(bisect(verdictAt, dial, dial.base, dial.high, vBase, vHigh));
        out.push({
          dial: dial.name,
          policy,
          users,
          baseVerdict: vBase,
          low: dial.low,
          high: dial.high,
          flips,
          summary:
            flips.length === 0
              ? `never within ${flipValue(dial.low)}–${flipValue(dial.high)}`
              : flips.map((f) => `${f.below} below ${flipValue(f.value)}, ${f.above} above`).join('; '),
        });
      }
    }
  }
  return out;
}
