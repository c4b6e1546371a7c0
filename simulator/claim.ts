import { z } from 'zod';
import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { DataSizePoint } from './data-size.ts';
import type { Pricing } from './pricing.ts';
import type { PolicyModel } from './simulate.ts';

// A claim of the seed documents (fixtures/targets/readiness.yaml): its schema, the shape of its
// evaluation, and how its assumptions are read and its figures written.

const numberOrRange = z.union([z.number(), z.tuple([z.number(), z.number()])]);

/** Schema of one claim of fixtures/targets/readiness.yaml. */
export const ClaimSchema = z.object({
  id: z.string().min(1),
  document: z.string().min(1),
  line: z.number().int().positive(),
  quote: z.string().min(1),
  kind: z.enum([
    'syncs-per-second',
    'queries-per-sync',
    'sync-queries-per-second',
    'sync-queries-per-interval',
    'query-reduction-share',
    'delta-queries-per-second',
    'sync-rate-reduction-share',
    'users-per-connection',
    'message-requests-per-second',
    'upstream-capacity',
    'upstream-headroom',
    'pool-failure-users',
    'knee',
    'connections-limit',
    'product',
    'monthly-cost',
    'database-cost',
    'egress-cost',
    'data-size-factor',
    'data-size-latency',
    'not-modelled',
  ]),
  claimed: numberOrRange,
  atLeast: z.boolean().default(false),
  unit: z.string(),
  assumptions: z.record(z.string(), z.union([z.number(), z.string(), z.array(z.number())])).default({}),
  policy: z.string().default('current'),
  users: z.number().positive().optional(),
  profileQuantity: z.enum(['conversations', 'messages', 'messageBytes']).optional(),
  tolerance: z.number().min(0).default(0.01),
  /** Relative difference the profile-side value may have and still hold (default 10%; costs 25%). */
  profileTolerance: z.number().min(0).optional(),
  reason: z.string().optional(),
  /** Cost claims: the document's table or estimate the figure belongs to (the cost chart's legend). */
  series: z.string().min(1).optional(),
});

/** Schema of fixtures/targets/readiness.yaml. */
export const ReadinessSchema = z.object({ claims: z.array(ClaimSchema).min(1) });

/** One claim as validated. */
export type Claim = z.output<typeof ClaimSchema>;

/** Verdict of a claim: holds, wrong arithmetic, right arithmetic on an assumption that does not hold, or outside the model. */
export type ClaimVerdict = 'holds' | 'arithmetic' | 'assumption' | 'not-modelled';

/** The evaluation of one claim. */
export interface ClaimEvaluation {
  id: string;
  document: string;
  line: number;
  quote: string;
  unit: string;
  claimed: number | [number, number];
  /** The value under the claim's own assumptions, and how it was computed. */
  own: { value: number | [number, number] | null; working: string; matches: boolean | null };
  /** The value under the chosen profile and policy. */
  profile: {
    value: number | null;
    policy: string;
    users: number | null;
    working: string;
    matches: boolean | null;
  };
  /** Relative difference of the profile value from the claim (null when either is missing). */
  difference: number | null;
  verdict: ClaimVerdict;
  reason: string;
}

/** What claims are evaluated against. */
export interface ClaimsContext {
  profile: Profile;
  /** Policies by name (the claims name `current`, `fixed`, `scale`). */
  policies: Record<string, Policy>;
  /**
   * What the model reads for a policy: the profile and policy with the load assumptions applied and the
   * context (calibration, targets, cores), as the verdicts read them (simulate.ts modelFor).
   */
  modelFor: (policy: Policy) => PolicyModel;
  pricing?: Pricing;
  /** Table-size run records reduced to data-size points (data-size-factor and -latency claims; absent: none given). */
  dataSizePoints?: DataSizePoint[];
}

/** A claim figure as the documents write it: thousands separated, small values to 3 digits. */
export const fmt = (v: number): string =>
  Math.abs(v) >= 100
    ? Math.round(v).toLocaleString('en-US')
    : Math.abs(v) >= 1
      ? v.toFixed(2).replace(/\.?0+$/, '')
      : v.toPrecision(3);

/** A figure or a range of figures, `-` for none. */
export const fmtRange = (v: number | [number, number] | null): string =>
  v === null ? '-' : Array.isArray(v) ? `${fmt(v[0])}-${fmt(v[1])}` : fmt(v);

/** A numeric assumption of a claim, or the fallback; throws when neither. */
export function num(a: Claim['assumptions'], key: string, fallback?: number): number {
  const v = a[key];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new RangeError(`claim assumption '${key}' is missing or not a number`);
}

/** A numeric or range assumption of a claim as [low, high]. */
export function range(a: Claim['assumptions'], key: string): [number, number] {
  const v = a[key];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length >= 1) return [v[0]!, v[v.length - 1]!];
  throw new RangeError(`claim assumption '${key}' is missing`);
}

/** What every evaluation of a claim repeats of it: its id, where the document says it, and what. */
export function claimIdentity(
  claim: Claim,
): Pick<ClaimEvaluation, 'id' | 'document' | 'line' | 'quote' | 'unit' | 'claimed'> {
  const { id, document, line, quote, unit, claimed } = claim;
  return { id, document, line, quote, unit, claimed };
}

/** True when `value` matches the claim within tolerance (ranges overlap; atLeast: value >= claim). */
export function matchesClaim(
  claimed: number | [number, number],
  value: number | [number, number],
  tolerance: number,
  atLeast = false,
): boolean {
  const [clo, chi] = Array.isArray(claimed) ? claimed : [claimed, claimed];
  const [vlo, vhi] = Array.isArray(value) ? value : [value, value];
  if (atLeast) return vhi >= clo * (1 - tolerance);
  return vhi >= clo * (1 - tolerance) && vlo <= chi * (1 + tolerance);
}

/** Relative difference of `value` from the claim: 0 inside a claimed range, else from its nearer end (null: none). */
export function claimDifference(claimed: number | [number, number], value: number | null): number | null {
  if (value === null) return null;
  const [lo, hi] = Array.isArray(claimed) ? claimed : [claimed, claimed];
  if (value >= lo && value <= hi) return 0;
  const nearest = value < lo ? lo : hi;
  return nearest !== 0 ? (value - nearest) / nearest : null;
}
