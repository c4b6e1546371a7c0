import type { ActivityClass, Profile, Tier } from '../../core/profile.ts';
import { ACTIVITY_CLASSES, TIERS } from '../../core/profile.ts';
import { TextPool } from './text-pool.ts';

/** Everything the generators share: resolved inputs plus the text pool. Read-only once built. */
export interface SeedContext {
  profile: Profile;
  users: number;
  seed: number;
  /** asOf in epoch milliseconds. */
  asOf: number;
  pool: TextPool;
  tierCumulative: number[];
  activityCumulative: number[];
  tiers: readonly Tier[];
  activities: readonly ActivityClass[];
}

function cumulative(shares: number[]): number[] {
  let sum = 0;
  return shares.map((s) => (sum += s));
}

/** Builds the shared context (the text pool takes ~0.3 s). */
export function createSeedContext(profile: Profile, users: number, seed: number, asOf: Date): SeedContext {
  return {
    profile,
    users,
    seed,
    asOf: asOf.getTime(),
    pool: new TextPool(seed, profile.content.maxChars),
    tierCumulative: cumulative(TIERS.map((t) => profile.tierMix[t])),
    activityCumulative: cumulative(ACTIVITY_CLASSES.map((a) => profile.activity[a].share)),
    tiers: TIERS,
    activities: ACTIVITY_CLASSES,
  };
}
