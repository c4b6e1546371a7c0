import { ATLAS_COLUMNS } from '../../../core/atlas-tables.ts';
import type { Tier } from '../../../core/profile.ts';
import { Prng, STREAM } from '../prng.ts';
import type { PerUserTable } from '../row-writer.ts';

const DAY = 86_400_000;
/** Conversations a user touches on an active day, by tier: an assumption (paid users use Atlas more). */
const CONVERSATIONS_PER_DAY: Record<Tier, number> = { free: 1.5, core: 3, studio: 5 };
/** USD per 1k tokens used for api_cost_estimate: an assumption in the range of current LLM list prices. */
const USD_PER_1K_TOKENS = 0.003;

/**
 * daily_usage: one row per user and day for the last `dailyUsage.days` days (ids are
 * index * days + day + 1, so they do not depend on the worker); usage only on days between the
 * user's sign-up and last activity.
 */
export const dailyUsageTable: PerUserTable = {
  table: 'daily_usage',
  columns: ATLAS_COLUMNS.daily_usage,
  rowsFor: (ctx) => ctx.profile.dailyUsage.days,
  writer(ctx) {
    const days = ctx.profile.dailyUsage.days;
    const today = Math.floor(ctx.asOf / DAY) * DAY;
    return (plan, push) => {
      const prng = Prng.for(ctx.seed, STREAM.dailyUsage, plan.index);
      const mean = CONVERSATIONS_PER_DAY[plan.tier];
      for (let d = 0; d < days; d++) {
        const dayStart = today - d * DAY;
        const date = new Date(dayStart).toISOString().slice(0, 10);
        const used = dayStart <= plan.lastActivity && dayStart + DAY > plan.createdAt;
        const count = used ? prng.geometricAtLeastOne(mean) : 0;
        const tokens = used ? count * (400 + prng.int(2600)) : 0;
        const cost = ((tokens * USD_PER_1K_TOKENS) / 1000).toFixed(4);
        push(
          `${plan.index * days + d + 1}\t${plan.id}\t${date}\t${count}\t${tokens}\t${cost}\t${plan.tier}\n`,
        );
      }
      return days;
    };
  },
};
