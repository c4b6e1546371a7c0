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

/**
 * The sentence under a knee band whose P10 (or more) is 0, else null: in those draws a budget breaks at
 * any load, so an assumption alone decides (the flip points name it).
 */
export function noKneeNote(knees: readonly { policy: string; p10: number }[]): string | null {
  const none = knees.filter((k) => k.p10 <= 0).map((k) => k.policy);
  if (none.length === 0) return null;
  return `P10 of 0 (${none.join(', ')}): in at least 10% of the draws a budget breaks at any number of users, so an assumption alone decides there (the flip points below name which, and where).`;
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
