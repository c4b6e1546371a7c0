import type { Faker } from '@faker-js/faker';
import { ATLAS_COLUMNS } from '../../../core/atlas-tables.ts';
import { Prng, STREAM } from '../prng.ts';
import { BLOCK_USERS, iso, type PerUserTable } from '../row-writer.ts';
import { newFaker } from '../text-pool.ts';

const DOMAINS = ['example.com', 'example.net', 'example.org'];
/** Paid subscriptions that are not `active`: an assumption (the seeds give no churn data). */
const PAID_STATUS = [
  ['active', 0.95],
  ['past_due', 0.03],
  ['canceled', 0.02],
] as const;
const PAID_CUMULATIVE = PAID_STATUS.map((_, i) => PAID_STATUS.slice(0, i + 1).reduce((s, [, p]) => s + p, 0));

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'user';
}

/** profiles: one row per user; faker names make the (unique, index-suffixed) email. */
export const profilesTable: PerUserTable = {
  table: 'profiles',
  columns: ATLAS_COLUMNS.profiles,
  rowsFor: () => 1,
  writer(ctx) {
    const faker: Faker = newFaker();
    let block = -1;
    return (plan, push) => {
      const b = Math.floor(plan.index / BLOCK_USERS);
      if (b !== block) {
        faker.seed([ctx.seed, STREAM.profile, b]);
        block = b;
      }
      const first = slug(faker.person.firstName());
      const last = slug(faker.person.lastName());
      const prng = Prng.for(ctx.seed, STREAM.profile, plan.index);
      const email = `${first}.${last}.${plan.index}@${DOMAINS[prng.int(DOMAINS.length)]}`;
      const status = plan.tier === 'free' ? 'active' : PAID_STATUS[prng.pick(PAID_CUMULATIVE)]![0];
      const stats = `{"conversations": ${plan.conversations.length}, "messages": ${plan.messageCount}}`;
      push(
        `${plan.id}\t${email}\t${plan.tier}\t${status}\t${stats}\t${iso(plan.createdAt)}\t${iso(plan.lastActivity)}\n`,
      );
      return 1;
    };
  },
};
