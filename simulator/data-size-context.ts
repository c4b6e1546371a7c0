import type { ModelContext, PredictionDetail } from './analytic.ts';
import type { DatabaseMemory } from './data-size-demand.ts';
import type { DataSizeSettings } from './data-size-settings.ts';
import { sustainedCores } from './monthly-usage.ts';
import type { ComputeSize } from './pricing.ts';

// The data size a prediction runs at follows the prediction, not the profile file: at N users the
// database holds N users' messages, on the memory of the compute size the prediction is for. A model
// context with a data-size carry (simulate.ts modelFor, deployments only) is resolved here for each N
// (predictAnalytic, predictDes) and for each compute size the cheapest-configuration search tries.

/** RAM of a database when no pricing names the plan: Supabase Micro's 1 GB (fixtures/pricing/supabase.yaml). */
export const DEFAULT_DATABASE_RAM_GB = 1;

/**
 * The database memory of a compute size (null: no pricing, Micro): its RAM × the shared_buffers share,
 * its RAM × the OS page cache's share, and its disk's page reads a second (pricing's IOPS).
 */
export function databaseMemoryOf(
  compute: ComputeSize | null,
  settings: Pick<DataSizeSettings, 'sharedBuffersShare' | 'pageCacheShare'>,
): DatabaseMemory {
  const ramGb = compute ? compute.ramGb : DEFAULT_DATABASE_RAM_GB;
  const share = settings.sharedBuffersShare.value;
  const cache = settings.pageCacheShare.value;
  const ram = ramGb * 2 ** 30;
  const iops =
    compute?.baselineIops !== undefined
      ? {
          baseline: compute.baselineIops,
          max: compute.maxIops ?? compute.baselineIops,
          source: `${compute.name}'s disk: ${compute.baselineIops.toLocaleString('en-US')} IOPS sustained, ${(compute.maxIops ?? compute.baselineIops).toLocaleString('en-US')} in bursts (${compute.iopsSource ?? compute.source})`,
        }
      : null;
  return {
    bytes: ram * share,
    cacheBytes: ram * cache,
    iops,
    source: `${compute ? `${compute.name}'s` : 'Micro (no pricing)'} ${ramGb} GB RAM × ${share} shared_buffers share (${settings.sharedBuffersShare.source}), × ${cache} OS page cache share (${settings.pageCacheShare.source})`,
  };
}

/**
 * The context of a prediction at `users`: with a data-size carry, its calibration carried to those
 * users' data (`rule`: the figures alone, DataSizeCarry.at).
 */
export function contextAtUsers(
  ctx: ModelContext,
  users: number,
  detail: PredictionDetail = 'full',
): ModelContext {
  if (!ctx.dataSize) return ctx;
  return { ...ctx, calibration: ctx.dataSize.carry.at(users, ctx.dataSize.memory, detail) };
}

/** The context on another compute size: its sustained cores and, with a data-size carry, its RAM's buffers. */
export function contextOnCompute(ctx: ModelContext, compute: ComputeSize): ModelContext {
  return {
    ...ctx,
    cores: sustainedCores(compute),
    ...(ctx.dataSize
      ? { dataSize: { ...ctx.dataSize, memory: databaseMemoryOf(compute, ctx.dataSize.settings) } }
      : {}),
  };
}
