import type { KneeHint, KneeValue } from './decision-model.ts';

/** Options of {@link searchKnee}. */
export interface KneeSearchOptions {
  /**
   * A guess near the knee: the search brackets around it first (fewer evaluations), then bisects. A
   * previous bracket is tried as it is first: when the rule still accepts lo and refuses hi, done.
   */
  hint?: KneeHint | undefined;
  /** Relative width the bracket is narrowed to (0.005: the knee is within 0.5% of the truth). */
  tolerance?: number;
  /** Largest N considered (10M, as simulator/knee.ts). */
  maxUsers?: number;
}

/**
 * The largest N that `accepts` (monotone: accepted below the knee, refused above), by bracketing on
 * log N around the hint and bisecting to the tolerance. Only the decision function decides; the hint
 * changes how many times it is asked, never the answer beyond the tolerance.
 */
export function searchKnee(accepts: (users: number) => boolean, options: KneeSearchOptions = {}): KneeValue {
  const tol = options.tolerance ?? 0.005;
  const max = options.maxUsers ?? 10_000_000;
  let lo: number;
  let hi: number;
  let hint = options.hint;
  if (typeof hint === 'object') {
    const b = hint;
    if (b.hi / b.lo <= 1 + tol * 1.0001 && b.lo >= 1 && b.hi <= max) {
      const atLo = accepts(b.lo);
      if (atLo && !accepts(b.hi)) return { users: Math.floor(b.lo), unbounded: false, bracket: { ...b } };
      hint = atLo ? b.hi : b.lo;
    } else hint = Math.sqrt(b.lo * b.hi);
  }
  if (hint !== undefined && Number.isFinite(hint) && hint >= 1 && hint <= max) {
    // Widen by ×1.1, ×1.21, ×1.46, … around the hint until the rule accepts below and refuses above.
    let step = 1.1;
    if (accepts(hint)) {
      lo = hint;
      hi = Math.min(max, hint * step);
      while (hi < max && accepts(hi)) {
        lo = hi;
        step *= step;
        hi = Math.min(max, hi * step);
      }
      if (hi >= max && accepts(max)) return { users: max, unbounded: true };
    } else {
      hi = hint;
      lo = Math.max(1, hint / step);
      while (lo > 1 && !accepts(lo)) {
        hi = lo;
        step *= step;
        lo = Math.max(1, lo / step);
      }
      if (lo <= 1 && !accepts(1)) return { users: null, unbounded: false };
    }
  } else {
    if (!accepts(1)) return { users: null, unbounded: false };
    if (accepts(max)) return { users: max, unbounded: true };
    lo = 1;
    hi = max;
  }
  while (hi / lo > 1 + tol) {
    const mid = Math.sqrt(lo * hi);
    if (accepts(mid)) lo = mid;
    else hi = mid;
  }
  return { users: Math.floor(lo), unbounded: false, bracket: { lo, hi } };
}
