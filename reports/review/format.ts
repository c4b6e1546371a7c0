import { type FlipPoint, flipValue } from '../../simulator/index.ts';

// Number formatting shared by the review's decisions, HTML and Markdown, so both say the same thing.

/** `1k`, `10k`, `100k`, `2.5k`, or the number itself under 1000. */
export function usersLabel(users: number): string {
  if (users >= 1000 && users % 100 === 0) return `${users / 1000}k`;
  return String(users);
}

/** A rate or count with sensible precision and thousands separators: 3,333 · 12.5 · 0.42. */
export function num(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return '∞';
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
}

/** A Monte Carlo quantile of a knee: `0 (none passes)` when in that share of draws no load passes. */
export function kneeQuantile(users: number): string {
  return users <= 0 ? '0 (none passes)' : num(users);
}

/** The part of a flip point the note under a knee band reads. */
export type FlipForNote = Pick<FlipPoint, 'dial' | 'policy' | 'users' | 'flips'>;

/**
 * The assumptions that break a policy at any load: the dial turns the verdict at the smallest reviewed
 * scale already, once, and at the same value (within 1%) at every scale where it turns it, e.g.
 * `upstreamP95Ms NO-GO above 2990`: a budget that does not depend on the number of users.
 */
export function loadIndependentFlips(
  policy: string,
  scales: readonly number[],
  flips: readonly FlipForNote[],
): string[] {
  const out: string[] = [];
  const smallest = Math.min(...scales);
  const ofPolicy = flips.filter((f) => f.policy === policy && f.flips.length > 0);
  for (const dial of [...new Set(ofPolicy.map((f) => f.dial))]) {
    const at = ofPolicy.filter((f) => f.dial === dial);
    const first = at.find((f) => f.users === smallest)?.flips;
    if (first?.length !== 1) continue;
    const x = first[0]!;
    const same = at.every(
      (f) =>
        f.flips.length === 1 &&
        f.flips[0]!.below === x.below &&
        f.flips[0]!.above === x.above &&
        Math.abs(f.flips[0]!.value - x.value) <= 0.01 * Math.abs(x.value),
    );
    if (same) out.push(`${dial} NO-GO ${x.above === 'NO-GO' ? 'above' : 'below'} ${flipValue(x.value)}`);
  }
  return out;
}

/**
 * The sentence under a knee band whose P10 (or more) is 0, else null: in those draws a budget breaks at
 * any load, so an assumption alone decides; with the flip points, it names the assumptions that turn the
 * verdict at the same value at every scale (the ones that can break a budget at any load).
 */
export function noKneeNote(
  knees: readonly { policy: string; p10: number }[],
  flipPoints: readonly FlipForNote[] = [],
  scales: readonly number[] = [],
): string | null {
  const none = knees.filter((k) => k.p10 <= 0).map((k) => k.policy);
  if (none.length === 0) return null;
  const head = `P10 of 0 (${none.join(', ')}): in at least 10% of the draws a budget breaks at any number of users, so an assumption alone decides there`;
  const named =
    scales.length > 0 ? none.map((p) => ({ p, dials: loadIndependentFlips(p, scales, flipPoints) })) : [];
  if (named.length === 0 || named.some((n) => n.dials.length === 0))
    return `${head} (the flip points below name which, and where).`;
  const groups = new Map<string, string[]>();
  for (const n of named) {
    const key = n.dials.join('; ');
    groups.set(key, [...(groups.get(key) ?? []), n.p]);
  }
  const parts = [...groups].map(([dials, policies]) => `${dials} (${policies.join(', ')})`);
  return `${head}: ${parts.join('; ')}, from the smallest scale reviewed on and at the same value at every scale it turns, so whatever the load (flip points below).`;
}

/** How the Monte Carlo's knee per draw was found, in one sentence (surface or exact; the surface's error). */
export function kneeMethodSentence(mc: {
  kneeMethod: 'exact' | 'surface';
  drawTolerance: number | null;
  check: {
    draws: number;
    maxRelativeError: number;
    medianRelativeError: number;
    worst: { policy: string; exact: number; surface: number } | null;
  } | null;
}): string {
  const c = mc.check;
  const off = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const worst = c?.worst
    ? ` (worst: ${c.worst.policy}, exact ${num(c.worst.exact)}, surface ${num(c.worst.surface)})`
    : '';
  if (mc.kneeMethod === 'exact')
    return `Knee per draw: a search with the decision rule to ${off(mc.drawTolerance ?? 0)}, started from the tornado's response surface${c ? `, which was off by ${off(c.medianRelativeError)} at the median draw and ${off(c.maxRelativeError)} at worst${worst}` : ''}.`;
  return `Knee per draw from the tornado's response surface${c ? `; re-run with exact searches at ${num(c.draws)} draws it is off by ${off(c.medianRelativeError)} at the median and ${off(c.maxRelativeError)} at worst${worst}` : ''} (\`--knees exact\`: a search per draw).`;
}

/** Milliseconds, or `unbounded` for a saturated (null) latency. */
export function ms(value: number | null | undefined): string {
  if (value === null) return 'unbounded';
  if (value === undefined) return '-';
  return `${num(value)} ms`;
}

/** A share as a percentage: 0.0123 → `1.23%`. */
export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  return `${(value * 100).toFixed(digits)}%`;
}

/** US dollars per month: `$1,234/mo`. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return `$${num(value, 0)}/mo`;
}

/** `fixed: 8,591 users (then api.message p95 breaks ...)`: one policy's knee in words. */
export function kneeSentence(k: {
  policy: string;
  users: number | null;
  unbounded: boolean;
  limitedBy: string;
}): string {
  if (k.users === null) return `${k.policy}: no user count tried meets every budget (${k.limitedBy})`;
  if (k.unbounded)
    return `${k.policy}: at least ${num(k.users)} users (no limit found in the range searched)`;
  return `${k.policy}: ${num(k.users)} users, then ${k.limitedBy}`;
}

/**
 * The sentence under a knee band where a verdict at the assumptions' base values disagrees with most
 * draws (base knee ≥ scale > P50, or P50 ≥ scale > base), else null: the band and the GO / NO-GO table
 * then read opposite ways, and the reader needs to know which the verdict rests on.
 */
export function baseAgainstDrawsNote(
  knees: readonly { policy: string; p50: number; base: number }[],
  scales: readonly number[],
): string | null {
  const parts: string[] = [];
  for (const k of knees) {
    for (const s of [...scales].sort((a, b) => a - b)) {
      const baseGo = k.base >= s;
      const mostGo = k.p50 >= s;
      if (baseGo === mostGo) continue;
      parts.push(
        baseGo
          ? `${usersLabel(s)} under ${k.policy} is GO at the base values (knee ${num(k.base)}) but NO-GO in most draws (P50 ${kneeQuantile(k.p50)}): the GO holds only near the base`
          : `${usersLabel(s)} under ${k.policy} is NO-GO at the base values (knee ${num(k.base)}) but GO in most draws (P50 ${kneeQuantile(k.p50)}): the NO-GO rests on the base`,
      );
    }
  }
  if (parts.length === 0) return null;
  return `The verdicts below are at every assumption's base value; the band draws them all within their ranges, and the two disagree: ${parts.join('; ')} (the flip points name the assumptions that turn it, one at a time).`;
}

/** The sentences under the knee band, in order: {@link noKneeNote}, then {@link baseAgainstDrawsNote}. */
export function kneeBandNotes(
  knees: readonly { policy: string; p10: number; p50: number; base: number }[],
  flipPoints: readonly FlipForNote[],
  scales: readonly number[],
): string[] {
  return [noKneeNote(knees, flipPoints, scales), baseAgainstDrawsNote(knees, scales)].filter(
    (n): n is string => n !== null,
  );
}
