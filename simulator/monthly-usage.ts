import type { Policy } from '../core/policy.ts';
import type { Profile, Tier } from '../core/profile.ts';
import { TIERS } from '../core/profile.ts';
import { wholeNumber } from '../core/whole-number.ts';
import type { Assumptions } from './assumptions.ts';
import type { CostItem } from './cost.ts';
import { llmLoadOf, llmMonthlyCost } from './llm.ts';
import { DAYS_PER_MONTH, monthlyMessagesByTier } from './load.ts';
import type { ComputeSize, Pricing } from './pricing.ts';
import { MESSAGE_ROW_OVERHEAD_BYTES, ROWS_WRITTEN_PER_MESSAGE, workloadAt } from './workload.ts';

// The usage-priced items of a month under the load assumptions: the peak runs peakHoursPerDay hours a
// day (not all month), messages are bounded by the tiers' monthly caps, and monthly active users (not
// registered ones) are what Auth bills and what a cost per user divides by.

/** Hours a month the peak load runs (the daily profile). */
export function peakHoursPerMonth(a: Assumptions): number {
  return a.peakHoursPerDay.value * DAYS_PER_MONTH;
}

/** Monthly active users: registered × monthly active share. */
export function monthlyActiveUsers(users: number, a: Assumptions): number {
  return users * a.monthlyActiveShare.value;
}

/** Messages sent per month by tier: monthly active users of the tier × their messages, each bounded by its cap. */
export function monthlyMessages(
  profile: Profile,
  policy: Policy,
  users: number,
  a: Assumptions,
): Record<Tier, number> {
  const perUser = monthlyMessagesByTier(a, policy.tierLimits.monthlyMessages);
  const mau = monthlyActiveUsers(users, a);
  return {
    free: mau * profile.tierMix.free * perUser.free,
    core: mau * profile.tierMix.core * perUser.core,
    studio: mau * profile.tierMix.studio * perUser.studio,
  };
}

/** GB the database grows per month: the rows the month's messages write (message + reply). */
export function storageGrowthGbPerMonth(profile: Profile, messages: Record<Tier, number>): number {
  const total = TIERS.reduce((s, t) => s + messages[t], 0);
  return (total * ROWS_WRITTEN_PER_MESSAGE * (profile.content.meanChars + MESSAGE_ROW_OVERHEAD_BYTES)) / 1e9;
}

/** Egress GB per month: the peak workload at the profile's reference message count, for the peak hours. */
export function egressGbPerMonth(profile: Profile, policy: Policy, users: number, a: Assumptions): number {
  const w = workloadAt(profile, policy, users, {
    messagesPerConversation: profile.messagesPerConversation.reference,
  });
  return (w.egressBytesPerSecond * 3600 * peakHoursPerMonth(a)) / 1e9;
}

const usd = (x: number): string => `$${x.toFixed(2)}`;

/**
 * Usage items of a month under the assumptions: egress, storage growth, Auth MAU beyond the plan and
 * the language-model API by tier. Profile and policy are the ones the load was applied to (load.ts).
 */
export function usageItems(
  pricing: Pricing,
  profile: Profile,
  policy: Policy,
  users: number,
  a: Assumptions,
): CostItem[] {
  const items: CostItem[] = [];
  const eg = pricing.supabase.egress;
  const egressGb = egressGbPerMonth(profile, policy, users, a);
  items.push({
    item: `egress ${egressGb.toFixed(0)} GB/month (${eg.includedGb} GB included; ${profile.messagesPerConversation.reference} messages/conversation, peak ${a.peakHoursPerDay.value} h/day)`,
    usd: Math.max(0, egressGb - eg.includedGb) * eg.usdPerGb,
    source: eg.source,
  });
  const messages = monthlyMessages(profile, policy, users, a);
  const growth = storageGrowthGbPerMonth(profile, messages);
  const dk = pricing.supabase.disk;
  items.push({
    item: `database growth ${growth.toFixed(1)} GB/month (${ROWS_WRITTEN_PER_MESSAGE} rows per message; adds ${usd(growth * dk.usdPerGb)} to every later month)`,
    usd: growth * dk.usdPerGb,
    source: dk.source,
  });
  const auth = pricing.supabase.auth;
  if (auth) {
    const mau = monthlyActiveUsers(users, a);
    items.push({
      item: `Auth ${wholeNumber(mau)} monthly active users (${wholeNumber(auth.includedMau)} included)`,
      usd: Math.max(0, mau - auth.includedMau) * auth.usdPerMau,
      source: auth.source,
    });
  }
  if (pricing.llm) {
    const llm = llmLoadOf(a);
    for (const t of llmMonthlyCost(pricing.llm, llm, messages, a.llmPriceFactor.value)) {
      const tokens = llm.tokensPerMessage[t.tier];
      items.push({
        item: `language model ${t.model} (${t.tier}): ${wholeNumber(t.messages)} messages × (${tokens.input} in + ${tokens.output} out) tokens`,
        usd: t.usd,
        source: `${t.source}; × llmPriceFactor ${a.llmPriceFactor.value}`,
      });
    }
  }
  return items;
}

/** Cores a compute size sustains: its cores × its baseline CPU share (shared sizes below Large burst). */
export function sustainedCores(compute: ComputeSize): number {
  return compute.cores * (compute.baselineCpuShare ?? 1);
}
