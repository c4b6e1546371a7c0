import { ATLAS_COLUMNS } from '../../../core/atlas-tables.ts';
import { Prng, STREAM } from '../prng.ts';
import { iso, type PerUserTable } from '../row-writer.ts';

/** conversations: the planned conversations of each user, titled from the faker pool. */
export const conversationsTable: PerUserTable = {
  table: 'conversations',
  columns: ATLAS_COLUMNS.conversations,
  rowsFor: (_ctx, plan) => plan.conversations.length,
  writer(ctx) {
    return (plan, push) => {
      const prng = Prng.for(ctx.seed, STREAM.titles, plan.index);
      for (const c of plan.conversations) {
        push(`${c.id}\t${plan.id}\t${ctx.pool.title(prng)}\t${iso(c.createdAt)}\t${iso(c.updatedAt)}\n`);
      }
      return plan.conversations.length;
    };
  },
};
