import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import type { Assumptions } from './assumptions.ts';
import { contextOnCompute } from './data-size-context.ts';
import { judge } from './decision-rule.ts';
import { monthlyActiveUsers, sustainedCores, usageItems } from './monthly-usage.ts';
import type { NoConfiguration, Prediction } from './prediction.ts';
import type { ComputeSize, Pricing } from './pricing.ts';
import type { Workload } from './workload.ts';

// Monthly cost of a configuration (Supabase plan + compute + usage, backend host, Redis) and the
// cheapest configuration meeting the targets at N users.

/** One line of a monthly cost. */
export interface CostItem {
  item: string;
  usd: number;
  /** Vendor page and date read, or 'assumption: <why>'. */
  source: string;
}

/** A deployable configuration and its monthly cost. */
export interface CostPrediction {
  /** Supabase plan and compute size, e.g. `pro` / `xl`. */
  plan: string;
  compute: string;
  cores: number;
  maxConnections: number;
  /** Pool size used for the database connections. */
  poolSize: number;
  /** Upstream (language-model) sockets of the backend's HTTP agent. */
  upstreamSockets: number;
  /** Backend host instances and their size. */
  backend: string;
  redis: string | null;
  monthlyUsd: number;
  /** Monthly cost per monthly active user (with load assumptions; else absent). */
  usdPerActiveUser?: number;
  items: CostItem[];
  /** True when this configuration meets the targets at this N. */
  meetsTargets: boolean;
  /** Why not, when it does not (the first binding constraint). */
  reason: string;
}

/** Seconds in the month the costs are for (30 days). */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;

/**
 * Share of the month the modelled load runs. Assumption: 1, i.e. the N users are online all month
 * (an upper bound: the seeds speak of "concurrent users" and give no daily profile).
 */
export const LOAD_SHARE_OF_MONTH = 1;

/** Connections Supabase's own services keep (auth, storage, realtime, admin). Assumption: 20. */
export const RESERVED_CONNECTIONS = 20;

/**
 * Bytes a stored message row takes beyond its content. Assumption (~200 B: 23 B tuple header, three
 * uuids, role, type, two timestamps, and entries in two btree indexes).
 */
const STORED_ROW_OVERHEAD_BYTES = 200;

/** Redis commands per /api/message under a per-user limit (consume = INCR + PEXPIRE). */
export const REDIS_COMMANDS_PER_MESSAGE = 2;

const paidSizes = new WeakMap<Pricing, ComputeSize[]>();

/** The paid compute sizes of a pricing, cheapest first (sorted once per pricing). */
function paidComputeSizes(pricing: Pricing): ComputeSize[] {
  let paid = paidSizes.get(pricing);
  if (!paid) {
    paid = pricing.supabase.compute
      .filter((c) => c.usdPerMonth > 0)
      .sort((a, b) => a.usdPerMonth - b.usdPerMonth);
    paidSizes.set(pricing, paid);
  }
  return paid;
}

/** Compute size the policy's plan stands for: the cheapest paid size with its max connections. */
export function computeForPolicy(pricing: Pricing, policy: Policy): ComputeSize {
  const paid = paidComputeSizes(pricing);
  return (
    paid.find((c) => c.maxDirectConnections === policy.database.maxConnections) ??
    paid.find((c) => c.maxDirectConnections >= policy.database.maxConnections) ??
    paid[paid.length - 1]!
  );
}

/** Stored database size at N users in GB, from the profile's reference message count (production, not the seed). */
export function databaseSizeGb(profile: Profile, users: number): number {
  const rows = users * profile.conversationsPerUser.mean * profile.messagesPerConversation.reference;
  return (rows * (profile.content.meanChars + STORED_ROW_OVERHEAD_BYTES)) / 1e9;
}

/** Monthly cost of one configuration for a workload. */
export function monthlyCost(
  pricing: Pricing,
  profile: Profile,
  policy: Policy,
  workload: Workload,
  compute: ComputeSize,
  poolSize: number,
  upstreamSockets = policy.upstream.maxSockets,
  assumptions?: Assumptions,
): Omit<CostPrediction, 'meetsTargets' | 'reason'> {
  // With the load assumptions the peak runs peakHoursPerDay a day; without, all month (the old bound).
  const loadShare = assumptions ? assumptions.peakHoursPerDay.value / 24 : LOAD_SHARE_OF_MONTH;
  const items: CostItem[] = [];
  const plan = pricing.supabase.plans.find((p) => p.name === 'pro') ?? pricing.supabase.plans[0]!;
  items.push({ item: `Supabase ${plan.name} plan`, usd: plan.usdPerMonth, source: plan.source });
  items.push({
    item: `Supabase compute ${compute.name} (${compute.cores} cores${compute.baselineCpuShare !== undefined && compute.baselineCpuShare < 1 ? `, ${sustainedCores(compute)} sustained` : ''}, ${compute.maxDirectConnections} connections) minus $${plan.computeCreditUsd} credit`,
    usd: Math.max(0, compute.usdPerMonth - plan.computeCreditUsd),
    source: compute.source,
  });
  if (!assumptions) {
    const egressGb = (workload.egressBytesPerSecond * SECONDS_PER_MONTH * LOAD_SHARE_OF_MONTH) / 1e9;
    const eg = pricing.supabase.egress;
    items.push({
      item: `egress ${egressGb.toFixed(0)} GB/month (${eg.includedGb} GB included; load all month)`,
      usd: Math.max(0, egressGb - eg.includedGb) * eg.usdPerGb,
      source: eg.source,
    });
  }
  const diskGb = databaseSizeGb(profile, workload.users);
  const dk = pricing.supabase.disk;
  items.push({
    item: `database size ${diskGb.toFixed(0)} GB (${dk.includedGb} GB included; ${profile.messagesPerConversation.reference} messages/conversation)`,
    usd: Math.max(0, diskGb - dk.includedGb) * dk.usdPerGb,
    source: dk.source,
  });
  const be = pricing.backend;
  const vcpus = Math.max(1, Math.ceil(workload.requestsPerSecond / (be.requestsPerVcpu * 0.8)));
  const usage = vcpus * be.usdPerVcpuMonth + vcpus * be.ramGbPerInstance * be.usdPerGbRamMonth;
  items.push({
    item: `${be.name}: ${vcpus} vCPU, ${vcpus * be.ramGbPerInstance} GB (usage, at least the plan fee)`,
    usd: Math.max(be.planUsdPerMonth, usage),
    source: be.source,
  });
  let redis: string | null = null;
  if (policy.rateLimit.perUser !== null) {
    const ops = workload.messagesPerSecond * REDIS_COMMANDS_PER_MESSAGE;
    const options = pricing.redis
      .filter((r) => r.opsPerSecond >= ops && (r.opsPerSecond > 0 || vcpus === 1))
      .map((r) => ({
        r,
        usd: r.usdPerMonth + ((r.usdPer100kCommands ?? 0) * ops * SECONDS_PER_MONTH * loadShare) / 1e5,
      }))
      .sort((a, b) => a.usd - b.usd);
    const pick = options[0];
    if (pick) {
      redis = pick.r.name;
      items.push({
        item: `Redis ${pick.r.name} (${ops.toFixed(0)} commands/s)`,
        usd: pick.usd,
        source: pick.r.source,
      });
    } else {
      redis = 'none fits';
      items.push({
        item: `Redis: no option carries ${ops.toFixed(0)} commands/s`,
        usd: 0,
        source: 'assumption: shard Redis',
      });
    }
  }
  if (assumptions) items.push(...usageItems(pricing, profile, policy, workload.users, assumptions));
  const monthlyUsd = items.reduce((s, i) => s + i.usd, 0);
  const mau = assumptions ? monthlyActiveUsers(workload.users, assumptions) : 0;
  return {
    ...(mau > 0 ? { usdPerActiveUser: monthlyUsd / mau } : {}),
    plan: plan.name,
    compute: compute.name,
    cores: compute.cores,
    maxConnections: compute.maxDirectConnections,
    poolSize,
    upstreamSockets,
    backend: `${be.name} ${vcpus} vCPU`,
    redis,
    monthlyUsd,
    items,
  };
}

/** The decision rule (decision-rule.ts) on a prediction: ok, or the first reason it fails. */
export function meetsTargets(p: Prediction, ctx: ModelContext): { ok: boolean; reason: string } {
  const rule = judge(p, ctx.targets);
  return { ok: rule.accepted, reason: rule.failures[0]?.text ?? 'meets every target' };
}

/** Cost and target check of the policy's own configuration. */
export function policyCost(
  pricing: Pricing,
  profile: Profile,
  policy: Policy,
  prediction: Prediction,
  ctx: ModelContext,
): CostPrediction {
  const compute = computeForPolicy(pricing, policy);
  const cost = monthlyCost(
    pricing,
    profile,
    policy,
    prediction.workload,
    compute,
    policy.database.poolSize,
    policy.upstream.maxSockets,
    ctx.assumptions,
  );
  const check = meetsTargets(prediction, ctx);
  return { ...cost, meetsTargets: check.ok, reason: check.reason };
}

/**
 * Upstream sockets the backend needs at N users: the policy's, or enough to keep the sockets' utilisation
 * within the target (maxSockets is configuration, not a plan: raising it costs backend memory only).
 */
export function socketsNeeded(profile: Profile, policy: Policy, users: number, ctx: ModelContext): number {
  const p = predictAnalytic(profile, policy, users, ctx);
  const up = p.resources.find((r) => r.name === 'upstream.sockets')!;
  return Math.max(policy.upstream.maxSockets, Math.ceil(up.offeredLoad / ctx.targets.maxUtilisation));
}

/** The cheapest configuration the rule accepts, or (none) what fails on the largest size tried. */
export interface CheapestResult {
  cheapest: CostPrediction | null;
  none: NoConfiguration | null;
}

/**
 * The cheapest configuration meeting the targets at N users under a policy: upstream sockets sized to
 * the target utilisation, then every compute size from the cheapest up whose recommended maximum
 * database size holds the database, each on its own sustained cores and (with a data-size carry) its own
 * RAM's buffers, with the database pool raised (up to the size's connections minus
 * the reserved ones) until the decision rule accepts it. When none does: `cheapest` null and `none`
 * names the largest size tried and the resource that fails on it (never a failing "cheapest").
 */
export function cheapestConfiguration(
  pricing: Pricing,
  profile: Profile,
  policy: Policy,
  users: number,
  ctx: ModelContext,
): CheapestResult {
  const sizes = paidComputeSizes(pricing);
  const sockets = socketsNeeded(profile, policy, users, ctx);
  const withSockets: Policy = { ...policy, upstream: { ...policy.upstream, maxSockets: sockets } };
  const dbGb = databaseSizeGb(profile, users);
  let none: NoConfiguration | null = null;
  const candidates: CostPrediction[] = [];
  for (const compute of sizes) {
    const maxPool = Math.max(1, compute.maxDirectConnections - RESERVED_CONNECTIONS);
    const pools = [...new Set([policy.database.poolSize, 10, 20, 40, 80, 160, 320, maxPool])]
      .filter((n) => n <= maxPool)
      .sort((a, b) => a - b);
    if (compute.maxDbSizeGb !== undefined && dbGb > compute.maxDbSizeGb) {
      none = {
        compute: compute.name,
        poolSize: maxPool,
        upstreamSockets: sockets,
        bindingResource: null,
        reason: `database ${dbGb.toFixed(0)} GB over the ${compute.maxDbSizeGb} GB recommended for ${compute.name}`,
      };
      continue;
    }
    // The size's own cores and, for the data size, its own RAM's buffers (not the policy's).
    const onCompute = contextOnCompute(ctx, compute);
    for (const poolSize of pools) {
      const variant: Policy = {
        ...withSockets,
        database: { ...policy.database, poolSize, maxConnections: compute.maxDirectConnections },
      };
      const p = predictAnalytic(profile, variant, users, onCompute, 'rule');
      const rule = judge(p, ctx.targets);
      if (rule.accepted) {
        const cost = monthlyCost(
          pricing,
          profile,
          variant,
          p.workload,
          compute,
          poolSize,
          sockets,
          ctx.assumptions,
        );
        candidates.push({ ...cost, meetsTargets: true, reason: 'meets every target' });
        break;
      }
      none = {
        compute: compute.name,
        poolSize,
        upstreamSockets: sockets,
        bindingResource: rule.bindingResource,
        reason: rule.failures[0]?.text ?? 'rejected',
      };
    }
  }
  if (candidates.length === 0) return { cheapest: null, none };
  return { cheapest: candidates.reduce((a, b) => (b.monthlyUsd < a.monthlyUsd ? b : a)), none: null };
}
