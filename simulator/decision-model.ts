// The shape the sensitivity, flip-point, Monte Carlo and what-if code is written against: a set of
// dials (assumptions with a range) and one decision function over them. Anything that can say GO or
// NO-GO for (dial values, policy, users), find its knee and price a month can be analysed.

/** One assumption with a range: the thing a go/no-go meeting turns. */
export interface Dial {
  /** Stable key, e.g. `onlineShare`. */
  name: string;
  /** Words for a reader, e.g. `peak concurrent share of registered users`. */
  label: string;
  /** Unit shown beside values (`share`, `/min`, `ms`, `connections`). */
  unit: string;
  low: number;
  base: number;
  high: number;
  /** A seed line, a vendor page with date, a measurement, or `assumption`. */
  source: string;
  /** Whole numbers only (pool sizes): the model rounds, flip points sit between two integers. */
  integer?: boolean;
  /**
   * How the dial moves the load: `load` when the model depends on users × dial only (a share of users
   * online), so the knee in users scales as 1/value exactly. Lets the what-if follow it continuously.
   */
  scaling?: 'load';
  /**
   * A choice rather than an uncertainty (pool sizes): shown as a what-if slider, left out of the
   * tornado, the flip points and the Monte Carlo.
   */
  choice?: boolean;
}

/** Values of some dials by name; a missing dial is at its base. */
export type DialValues = Readonly<Record<string, number>>;

/** A knee: the largest number of users the decision rule accepts, or why there is none. */
export interface KneeValue {
  /** null: not even one user is accepted. */
  users: number | null;
  /** True when nothing breaks below the search limit (users is that limit). */
  unbounded: boolean;
  /**
   * Where the search stopped: the rule accepts `lo` and refuses `hi` (hi / lo within the tolerance).
   * Another search may start from it: two evaluations confirm an unchanged knee.
   */
  bracket?: { lo: number; hi: number };
}

/** A guess for a knee search: a number of users near the knee, or a previous search's bracket. */
export type KneeHint = number | { lo: number; hi: number };

/** One decision rule over dials, for the policies and scales of a review. */
export interface DecisionModel {
  dials: readonly Dial[];
  policies: readonly string[];
  scales: readonly number[];
  /** True (GO) when the rule accepts `users` under `policy` with the dials at `values`. */
  accepts(values: DialValues, policy: string, users: number): boolean;
  /**
   * The largest N the rule accepts (monotone in N). `hint`, a guess near the answer, only narrows
   * the search; the rule still decides every step. `tolerance`: relative precision (default 0.5%).
   */
  knee(values: DialValues, policy: string, hint?: KneeHint, tolerance?: number): KneeValue;
  /**
   * Per resource, its utilisation per registered user as a share of the utilisation ceiling (so 1 /
   * it is the users at the ceiling), cheap to compute: lets the Monte Carlo's knee surface carry the
   * dials' interactions through the load and see another resource bind first (knee-surface.ts).
   */
  loads?(values: DialValues, policy: string): Record<string, number>;
  /** Monthly cost in USD of the policy's configuration at each of `users`; null when not priced. */
  monthlyUsd(values: DialValues, policy: string, users: readonly number[]): (number | null)[];
}

/** The dial values with every dial at its base, then `overrides`. */
export function baseValues(dials: readonly Dial[], overrides: DialValues = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of dials) out[d.name] = d.base;
  return { ...out, ...overrides };
}

/** True when a dial is an uncertain assumption with a range to explore (low < high, not a choice). */
export function hasRange(d: Dial): boolean {
  return d.low < d.high && !d.choice;
}
