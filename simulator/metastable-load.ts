import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { congestionFactor } from './db-congestion.ts';
import { searchKnee } from './knee-search.ts';
import type { ResourceName } from './prediction.ts';
import { rigDatabaseCores } from './rig-db-cpu.ts';
import { predictRun } from './run-prediction.ts';

// The load from which the rig's pool, once full, stays full: where its collapse is metastable
// (issue 12). Pure.
//
// The database spends more CPU per statement the more connections are busy past its cores
// (db-congestion.ts, κ; measured inside single replicates in session 49: +18-32 % with the pool full),
// so the pool has two states at one load. Calm: the lowest fixed point, a few connections busy, the
// state the saturation knee K is read in. Collapsed: every connection busy, each statement dearer,
// each connection held longer. Below some load M the collapsed state cannot hold itself (the pool's
// connections, held that long, still carry the offered load, so the queue drains and the pool goes
// back to calm); from M to K both states hold, and which one a run is in depends on its history: a
// burst that fills the pool (a lock, a slow moment of the machine, a deploy) leaves it collapsed.
// This is a metastable failure (Bronson et al., "Metastable Failures in Distributed Systems", HotOS
// 2021): the trigger passes, the overload stays. M is the users at which the collapsed state's
// prediction is first saturated; with κ 0 the two states are one and there is no such region (null).

/** Where the rig's full pool stays full. */
export interface MetastableLoad {
  /** Lowest users at which the collapsed pool holds itself (null: nowhere up to the knee). */
  users: number | null;
  /** The saturation knee K the search stops at (the calm state's). */
  kneeUsers: number;
  /** The factor on the database's CPU per statement with every connection busy (1: no congestion cost). */
  collapsedCpuFactor: number;
  /** What stays saturated there in the collapsed state: the pool, the CPU its statements wait for. */
  saturatedResources: ResourceName[];
}

/** The resources whose saturation keeps a full pool full: the pool, and the CPU its statements wait for. */
const HOLDING: readonly ResourceName[] = ['db.pool', 'host.cpu', 'db.cpu'];

/** Relative width of the bracket the search stops at (the saturation knee's). */
const TOLERANCE = 0.005;

/**
 * The lowest users of `scenario` at which its run on the rig, predicted in the pool's collapsed state
 * (every connection busy: ModelContext.poolState), is saturated: from there up to the saturation knee
 * `kneeUsers` a full pool stays full. Bracketed down from K and bisected on log N to 0.5 %
 * (knee-search.ts searchKnee, on "the collapsed pool drains"). Null users where even
 * at K the collapsed state drains: no congestion cost (the two states are one), or the pool is not
 * what limits the scenario.
 */
export function metastableLoad(
  scenario: string,
  profile: Profile,
  policy: Policy,
  ctx: ModelContext,
  kneeUsers: number,
  maxVUsCap?: number,
): MetastableLoad {
  const collapsed: ModelContext = { ...ctx, poolState: 'collapsed' };
  // What keeps a full pool full is the pool or the CPU its statements wait for, at the load asked: k6
  // running out of VUs drops iterations, which would let the pool drain, so it is not counted.
  const held = (users: number): ResourceName[] =>
    predictRun(
      { scenario, users, profile, policy, durationSeconds: 60 },
      collapsed,
      maxVUsCap,
      false,
    ).saturatedAtAsked.filter((r) => HOLDING.includes(r));
  const kappa = ctx.calibration.cpu?.dbCongestion?.perBusyConnection ?? 0;
  const databaseCores =
    ctx.placement?.kind === 'rig' ? rigDatabaseCores(ctx.placement.cores, ctx.placement.dbCores) : ctx.cores;
  const base = {
    kneeUsers,
    collapsedCpuFactor: congestionFactor(kappa, policy.database.poolSize, databaseCores),
  };
  if (!(kneeUsers >= 1)) return { ...base, users: null, saturatedResources: [] };
  // The largest users at which the collapsed pool drains, searched down from K (knee-search.ts);
  // M is the bracket's other side, the lowest at which it holds.
  const drains = searchKnee((users) => held(users).length === 0, {
    hint: kneeUsers,
    maxUsers: kneeUsers,
    tolerance: TOLERANCE,
  });
  if (drains.unbounded) return { ...base, users: null, saturatedResources: [] };
  const m = drains.users === null ? 1 : drains.bracket!.hi;
  return { ...base, users: Math.ceil(m), saturatedResources: held(m) };
}
