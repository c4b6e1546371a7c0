import type { Policy } from '../core/policy.ts';
import type { Profile, Tier } from '../core/profile.ts';
import { TIERS } from '../core/profile.ts';
import type { Assumptions } from './assumptions.ts';
import { AssumptionError } from './assumptions.ts';
import type { AbuseAssumption } from './rate-limit.ts';

// The load, defined: N registered users; a share of them active in a month; a share of those online at
// the peak; each online user sending at a peak rate for `peakHoursPerDay` peak-equivalent hours a day,
// but no tier beyond its monthly cap (policy.tierLimits). Everything the model reads per second
// (workload.ts) follows from the profile and policy this file derives.

/** Days in the month the caps and costs are for. */
export const DAYS_PER_MONTH = 30;

/** Share of registered users online at the peak: monthly active share × peak concurrent share of them. */
export function onlineShareOf(a: Assumptions): number {
  return a.monthlyActiveShare.value * a.peakConcurrentShare.value;
}

/**
 * Minutes per month a monthly active user is online at the peak rate: the peak concurrent share of
 * them, for peakHoursPerDay hours, every day (expected value over users).
 */
export function peakMinutesPerActiveUserMonth(a: Assumptions): number {
  return a.peakConcurrentShare.value * a.peakHoursPerDay.value * 60 * DAYS_PER_MONTH;
}

/** Messages a monthly active user would send in a month with no cap. */
export function uncappedMonthlyMessages(a: Assumptions): number {
  return a.messagesPerMinuteAtPeak.value * peakMinutesPerActiveUserMonth(a);
}

/** Messages per monthly active user per month by tier: the uncapped demand, at most the tier's cap. */
export function monthlyMessagesByTier(a: Assumptions, caps: Record<Tier, number>): Record<Tier, number> {
  const demand = uncappedMonthlyMessages(a);
  return {
    free: Math.min(demand, caps.free),
    core: Math.min(demand, caps.core),
    studio: Math.min(demand, caps.studio),
  };
}

/**
 * Peak sends per online user per minute by tier: the peak rate, scaled down where the tier's monthly
 * cap would be exceeded (assumption: capped users send proportionally less, so the month fits the cap;
 * the backend refuses the rest, and a client that shows "limit reached" stops sending).
 */
export function peakRateByTier(a: Assumptions, caps: Record<Tier, number>): Record<Tier, number> {
  const m = a.messagesPerMinuteAtPeak.value;
  const minutes = peakMinutesPerActiveUserMonth(a);
  const rate = (cap: number): number => (minutes > 0 ? Math.min(m, cap / minutes) : m);
  return { free: rate(caps.free), core: rate(caps.core), studio: rate(caps.studio) };
}

/** Tier mix with the paid share set: core and studio keep the profile's ratio (all core when it has none). */
export function tierMixOf(profile: Profile, paidShare: number): Record<Tier, number> {
  const paid = profile.tierMix.core + profile.tierMix.studio;
  const coreOfPaid = paid > 0 ? profile.tierMix.core / paid : 1;
  return { free: 1 - paidShare, core: paidShare * coreOfPaid, studio: paidShare * (1 - coreOfPaid) };
}

/** Checks what single domains cannot: the upstream p95 is at least its median. */
export function checkLoadAssumptions(a: Assumptions): void {
  if (a.upstreamP95Ms.value < a.upstreamMedianMs.value)
    throw new AssumptionError(
      'upstreamP95Ms',
      `upstreamP95Ms (${a.upstreamP95Ms.value}) must be at least upstreamMedianMs (${a.upstreamMedianMs.value})`,
    );
}

/** The policy as the assumptions configure it: which tiers sync, the language-model latency. */
export function applyLoadToPolicy(policy: Policy, a: Assumptions): Policy {
  checkLoadAssumptions(a);
  const tiers: Tier[] =
    a.freeTierSyncs.value === 1 ? [...TIERS] : policy.sync.tiers.filter((t) => t !== 'free');
  return {
    ...policy,
    sync: { ...policy.sync, tiers: tiers.length > 0 ? tiers : ['core', 'studio'] },
    upstream: {
      ...policy.upstream,
      latencyMs: { median: a.upstreamMedianMs.value, p95: a.upstreamP95Ms.value },
    },
  };
}

/** The profile as the assumptions define the load (N = registered users) under a policy's monthly caps. */
export function applyLoadToProfile(profile: Profile, policy: Policy, a: Assumptions): Profile {
  return {
    ...profile,
    tierMix: tierMixOf(profile, a.paidShare.value),
    onlineShare: onlineShareOf(a),
    messagesPerUserPerMinute: a.messagesPerMinuteAtPeak.value,
    messagesPerMinuteByTier: peakRateByTier(a, policy.tierLimits.monthlyMessages),
  };
}

/** Profile and policy with the assumptions applied (what the model reads for this policy). */
export function applyLoad(
  profile: Profile,
  policy: Policy,
  a: Assumptions,
): { profile: Profile; policy: Policy } {
  const p = applyLoadToPolicy(policy, a);
  return { profile: applyLoadToProfile(profile, p, a), policy: p };
}

/** The stress case: abusive free users at the assumed share and rate. */
export function abuseOf(a: Assumptions): AbuseAssumption {
  return { share: a.abuseShare.value, messagesPerMinute: a.abuseRatePerMinute.value, tiers: ['free'] };
}

/** The stress row's label: "with X% of free users sending Y/min". */
export function stressLabel(a: Assumptions): string {
  return `with ${fmt(a.abuseShare.value * 100)}% of free users sending ${fmt(a.abuseRatePerMinute.value)}/min`;
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toLocaleString('en-US');
}

/**
 * The load in one sentence, for the review's first lines: who the users are, who is online at the peak,
 * what they send, how the caps bound it, and which tiers sync.
 */
export function loadSentence(
  a: Assumptions,
  caps: Record<Tier, number>,
  scales: readonly number[] = [],
): string {
  const online = onlineShareOf(a);
  const rates = peakRateByTier(a, caps);
  const capped = TIERS.filter((t) => rates[t] < a.messagesPerMinuteAtPeak.value);
  const scale = scales.length
    ? ` (${scales.map((n) => `${fmt(n)} → ${fmt(n * online)}`).join(', ')} online)`
    : '';
  const caps_ = capped.length
    ? `; the monthly caps (${TIERS.map((t) => `${t} ${fmt(caps[t])}`).join(', ')}) hold ${capped.map((t) => `${t} to ${fmt(rates[t])}/min`).join(', ')}`
    : '';
  return (
    `Users are registered users: ${fmt(a.monthlyActiveShare.value * 100)}% active in a month, ${fmt(a.peakConcurrentShare.value * 100)}% of those online at the peak = ${fmt(online * 100)}% of registered users online${scale}; ` +
    `each online user sends ${fmt(a.messagesPerMinuteAtPeak.value)} messages/min at the peak for ${fmt(a.peakHoursPerDay.value)} peak hours a day${caps_}; ` +
    `${fmt(a.paidShare.value * 100)}% pay; ${a.freeTierSyncs.value === 1 ? 'every tier syncs' : 'only paid tiers sync'}; no abusive traffic (a separate stress row).`
  );
}
