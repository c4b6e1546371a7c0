import { ATLAS_COLUMNS } from '../../../core/atlas-tables.ts';
import { Prng, STREAM } from '../prng.ts';
import { iso, type PerUserTable } from '../row-writer.ts';
import { uuidFrom } from '../uuid.ts';

/**
 * messages: each conversation's messages alternate user/assistant, spread from the conversation's
 * created_at to its updated_at (the last message is exactly updated_at); bodies are cut from the text
 * pool with log-normal lengths of the profile's mean.
 */
export const messagesTable: PerUserTable = {
  table: 'messages',
  columns: ATLAS_COLUMNS.messages,
  rowsFor: (_ctx, plan) => plan.messageCount,
  writer(ctx) {
    const { meanChars, sigma, maxChars } = ctx.profile.content;
    const pool = ctx.pool;
    return (plan, push) => {
      const prng = Prng.for(ctx.seed, STREAM.messages, plan.index);
      for (const c of plan.conversations) {
        const n = c.messages;
        const span = c.updatedAt - c.createdAt;
        for (let k = 0; k < n; k++) {
          const id = uuidFrom(prng);
          const length = Math.min(maxChars, Math.max(1, Math.round(prng.logNormal(meanChars, sigma))));
          const jitter = prng.next();
          // Slot k of n-1 equal slots, jittered inside its own half-open slot so order is kept.
          const at =
            k === n - 1
              ? c.updatedAt
              : k === 0
                ? c.createdAt
                : c.createdAt + Math.floor((span * (k - 0.5 + jitter)) / (n - 1));
          const role = (k & 1) === 0 ? 'user' : 'assistant';
          push(`${id}\t${c.id}\t${role}\t${pool.text(prng, length)}\t${iso(at)}\n`);
        }
      }
      return plan.messageCount;
    };
  },
};
