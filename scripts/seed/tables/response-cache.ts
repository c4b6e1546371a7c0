import { ATLAS_COLUMNS } from '../../../core/atlas-tables.ts';
import type { SeedContext } from '../context.ts';
import { Prng, STREAM } from '../prng.ts';
import { iso, type PushLine } from '../row-writer.ts';
import { hexFrom } from '../uuid.ts';

const DAY = 86_400_000;
/** Cache entry lifetime: an assumption (the analysis names expires_at but no TTL). */
const TTL_MS = 7 * DAY;

/** Columns of response_cache the seeder writes. */
export const RESPONSE_CACHE_COLUMNS = ATLAS_COLUMNS.response_cache;

/**
 * response_cache rows `from` to `to` (exclusive): sha256-sized hashes, responses from the text pool,
 * created over the 30 days before asOf so roughly three quarters have expired.
 */
export function writeResponseCache(ctx: SeedContext, from: number, to: number, push: PushLine): number {
  const { meanChars, sigma, maxChars } = ctx.profile.content;
  for (let k = from; k < to; k++) {
    const prng = Prng.for(ctx.seed, STREAM.responseCache, k);
    const hash = hexFrom(prng, 8);
    const tier = ctx.tiers[prng.pick(ctx.tierCumulative)]!;
    const length = Math.min(maxChars, Math.max(1, Math.round(prng.logNormal(meanChars, sigma))));
    const text = ctx.pool.text(prng, length);
    const hits = prng.geometricAtLeastOne(4) - 1;
    const created = ctx.asOf - Math.floor(prng.next() * 30 * DAY);
    push(`${k + 1}\t${hash}\t${tier}\t${text}\t${hits}\t${iso(created)}\t${iso(created + TTL_MS)}\n`);
  }
  return to - from;
}
