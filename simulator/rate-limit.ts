import type { Policy } from '../core/policy.ts';
import type { Tier } from '../core/profile.ts';
import { TIERS } from '../core/profile.ts';
import { poissonOverflowShare } from './distributions.ts';

import type { Workload } from './workload.ts';

/** Rate-limit outcome of one tier for /api/message. */
export interface RateLimitPrediction {
  tier: string;
  /** Per-user limit in requests per window; null when there is no per-user limit. */
  limitPerWindow: number | null;
  windowSeconds: number | null;
  /** Requests per second offered by legitimate and abusive users of this tier. */
  legitimateRate: number;
  abusiveRate: number;
  /** Share of legitimate and of abusive requests rejected with 429. */
  legitimateRejectedShare: number;
  abusiveRejectedShare: number;
  /** Upstream calls per second that get through (what the upstream pool must carry). */
  admittedRate: number;
}

/** Abusive senders added to /api/message (legitimate users are the profile's). */
export interface AbuseAssumption {
  /** Share of the online users of `tiers` who are abusive (0 = none added; outcomes still reported). */
  share: number;
  /** Tiers the abusers belong to (default: free only, as the launch report's "Free tier users can spam"). */
  tiers?: readonly Tier[];
  /** Their /api/message sends per minute. */
  messagesPerMinute: number;
}

/** No abusive users added; outcomes for a probe abuser at 10× the paid limit are still reported. */
export const NO_ABUSE: AbuseAssumption = { share: 0, messagesPerMinute: 1000, tiers: ['free'] };

/**
 * Per-tier outcome of the per-user limit on /api/message: each user's sends in one window are Poisson
 * with mean rate × window, and a fixed-window limiter (rate-limiter-flexible's default) rejects what
 * exceeds the limit in that window.
 */
export function rateLimitOutcomes(
  policy: Policy,
  workload: Workload,
  messagesPerUserPerMinute: number | Record<Tier, number>,
  abuse: AbuseAssumption,
): RateLimitPrediction[] {
  const perUser = policy.rateLimit.perUser;
  const abusiveTiers = new Set<Tier>(abuse.tiers ?? ['free']);
  return TIERS.map((tier) => {
    const online = workload.onlineByTier[tier];
    const share = abusiveTiers.has(tier) ? abuse.share : 0;
    const legitimateRate = workload.messagesPerSecondByTier[tier] * (1 - share);
    const abusiveRate = (online * share * abuse.messagesPerMinute) / 60;
    const ratePerMinute =
      typeof messagesPerUserPerMinute === 'number'
        ? messagesPerUserPerMinute
        : messagesPerUserPerMinute[tier];
    if (perUser === null) {
      return {
        tier,
        limitPerWindow: null,
        windowSeconds: null,
        legitimateRate,
        abusiveRate,
        legitimateRejectedShare: 0,
        abusiveRejectedShare: 0,
        admittedRate: legitimateRate + abusiveRate,
      };
    }
    const limit = tier === 'free' ? perUser.free : perUser.paid;
    const window = perUser.windowSeconds;
    const legitShare = poissonOverflowShare((ratePerMinute / 60) * window, limit);
    const abuseShare = poissonOverflowShare((abuse.messagesPerMinute / 60) * window, limit);
    return {
      tier,
      limitPerWindow: limit,
      windowSeconds: window,
      legitimateRate,
      abusiveRate,
      legitimateRejectedShare: legitShare,
      abusiveRejectedShare: abuseShare,
      admittedRate: legitimateRate * (1 - legitShare) + abusiveRate * (1 - abuseShare),
    };
  });
}
