import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Policy } from '../core/policy.ts';
import type { Tier } from '../core/profile.ts';
import type { RedisStore } from './redis-store.ts';

/** The outcome of one rate-limit check. */
export type RateDecision =
  | { allowed: true; limit: number | null; remaining: number | null }
  | { allowed: false; limit: number; retryAfterSeconds: number; storeError?: boolean };

/** Per-user limit of /api/message (launch-readiness-report.md fix #2). */
export interface MessageRateLimiter {
  /** Counts one message for `key` (user id, else IP) at `tier`'s limit. */
  consume(key: string, tier: Tier): Promise<RateDecision>;
}

/** Whether a tier counts as paid for the limit: the report's `tier === 'free' ? 20 : 100`. */
function isPaid(tier: Tier): boolean {
  return tier !== 'free';
}

/**
 * Builds the limiter the policy asks for: none (`perUser: null`, today's code), counters in Redis
 * (shared by every target instance) when a store is given, in memory otherwise. A Redis failure
 * lets the request through or refuses it per `rateLimit.onStoreError`.
 */
export function createMessageRateLimiter(policy: Policy, store?: RedisStore): MessageRateLimiter {
  const perUser = policy.rateLimit.perUser;
  if (perUser === null) return { consume: async () => ({ allowed: true, limit: null, remaining: null }) };
  const make = (points: number, prefix: string) =>
    store
      ? new RateLimiterRedis({
          storeClient: store.client,
          points,
          duration: perUser.windowSeconds,
          keyPrefix: `atlas:rl:${prefix}`,
          rejectIfRedisNotReady: true,
        })
      : new RateLimiterMemory({ points, duration: perUser.windowSeconds, keyPrefix: `atlas:rl:${prefix}` });
  const free = make(perUser.free, 'free');
  const paid = make(perUser.paid, 'paid');
  return {
    async consume(key, tier) {
      const limiter = isPaid(tier) ? paid : free;
      const limit = isPaid(tier) ? perUser.paid : perUser.free;
      try {
        const res = await limiter.consume(key);
        return { allowed: true, limit, remaining: res.remainingPoints };
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          return {
            allowed: false,
            limit,
            retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
          };
        }
        if (policy.rateLimit.onStoreError === 'fail-open') return { allowed: true, limit, remaining: null };
        return { allowed: false, limit, retryAfterSeconds: 1, storeError: true };
      }
    },
  };
}
