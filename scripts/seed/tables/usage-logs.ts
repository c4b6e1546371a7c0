import { ATLAS_COLUMNS } from '../../../core/atlas-tables.ts';
import { Prng, STREAM } from '../prng.ts';
import { iso, type PerUserTable } from '../row-writer.ts';

const DAY = 86_400_000;
/** Event kinds and shares: an assumption; sync_completed is what the analysis (1.3) logs. */
const EVENTS = ['sync_completed', 'message_sent', 'login', 'cache_hit'] as const;
const EVENT_CUMULATIVE = [0.6, 0.85, 0.95, 1];
const PLATFORMS = ['web', 'ios', 'android'] as const;

/** Events per user: eventsPerUserPerDay x days, rounded (the same for every user, so ids are computable). */
export function usageLogsPerUser(eventsPerUserPerDay: number, days: number): number {
  return Math.round(eventsPerUserPerDay * days);
}

/**
 * usage_logs: the JSONB analytics events, spread over the `usageLogs.days` days before the user's last
 * activity and after sign-up (an inactive user logs nothing after it); ids are index * perUser + k + 1.
 */
export const usageLogsTable: PerUserTable = {
  table: 'usage_logs',
  columns: ATLAS_COLUMNS.usage_logs,
  rowsFor: (ctx) => usageLogsPerUser(ctx.profile.usageLogs.eventsPerUserPerDay, ctx.profile.usageLogs.days),
  writer(ctx) {
    const { eventsPerUserPerDay, days } = ctx.profile.usageLogs;
    const perUser = usageLogsPerUser(eventsPerUserPerDay, days);
    return (plan, push) => {
      const prng = Prng.for(ctx.seed, STREAM.usageLogs, plan.index);
      // Within the `days` before the last activity, but never before the user signed up.
      const span = Math.min(days * DAY, plan.lastActivity - plan.createdAt);
      for (let k = 0; k < perUser; k++) {
        const event = EVENTS[prng.pick(EVENT_CUMULATIVE)]!;
        const at = plan.lastActivity - Math.floor(prng.next() * span);
        let data: string;
        if (event === 'sync_completed') {
          const convs = plan.conversations.length;
          data = `{"duration": ${20 + prng.int(480)}, "conversationsSynced": ${convs}, "messagesSynced": ${plan.messageCount}}`;
        } else if (event === 'message_sent') {
          data = `{"tier": "${plan.tier}", "tokens": ${200 + prng.int(3000)}}`;
        } else if (event === 'login') {
          data = `{"platform": "${PLATFORMS[prng.int(PLATFORMS.length)]}"}`;
        } else {
          data = `{"tier": "${plan.tier}"}`;
        }
        push(`${plan.index * perUser + k + 1}\t${plan.id}\t${event}\t${data}\t${iso(at)}\n`);
      }
      return perUser;
    };
  },
};
