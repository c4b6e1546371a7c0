import { z } from 'zod';
import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import { cheapestConfiguration, databaseSizeGb, SECONDS_PER_MONTH } from './cost.ts';
import { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
import { erlangC } from './erlang-c.ts';
import { findKnee } from './knee.ts';
import type { Pricing } from './pricing.ts';
import { workloadAt } from './workload.ts';

// The seed documents' quantitative claims (fixtures/targets/readiness.yaml), each evaluated twice:
// under its own assumptions (is the arithmetic right?) and under the chosen profile and policy (does it
// hold for Atlas as modelled?).

const numberOrRange = z.union([z.number(), z.tuple([z.number(), z.number()])]);

/** Schema of one claim of fixtures/targets/readiness.yaml. */
export const ClaimSchema = z.object({
  id: z.string().min(1),
  document: z.string().min(1),
  line: z.number().int().positive(),
  quote: z.string().min(1),
  kind: z.enum([
    'syncs-per-second',
    'queries-per-sync',
    'sync-queries-per-second',
    'sync-queries-per-interval',
    'query-reduction-share',
    'delta-queries-per-second',
    'sync-rate-reduction-share',
    'users-per-connection',
    'message-requests-per-second',
    'upstream-capacity',
    'upstream-headroom',
    'pool-failure-users',
    'knee',
    'connections-limit',
    'product',
    'monthly-cost',
    'database-cost',
    'egress-cost',
    'not-modelled',
  ]),
  claimed: numberOrRange,
  atLeast: z.boolean().default(false),
  unit: z.string(),
  assumptions: z.record(z.string(), z.union([z.number(), z.string(), z.array(z.number())])).default({}),
  policy: z.string().default('current'),
  users: z.number().positive().optional(),
  profileQuantity: z.enum(['conversations', 'messages', 'messageBytes']).optional(),
  tolerance: z.number().min(0).default(0.01),
  /** Relative difference the profile-side value may have and still hold (default 10%; costs 25%). */
  profileTolerance: z.number().min(0).optional(),
  reason: z.string().optional(),
});

/** Schema of fixtures/targets/readiness.yaml. */
export const ReadinessSchema = z.object({ claims: z.array(ClaimSchema).min(1) });

/** One claim as validated. */
export type Claim = z.output<typeof ClaimSchema>;

/** Verdict of a claim: holds, wrong arithmetic, right arithmetic on an assumption that does not hold, or outside the model. */
export type ClaimVerdict = 'holds' | 'arithmetic' | 'assumption' | 'not-modelled';

/** The evaluation of one claim. */
export interface ClaimEvaluation {
  id: string;
  document: string;
  line: number;
  quote: string;
  unit: string;
  claimed: number | [number, number];
  /** The value under the claim's own assumptions, and how it was computed. */
  own: { value: number | [number, number] | null; working: string; matches: boolean | null };
  /** The value under the chosen profile and policy. */
  profile: {
    value: number | null;
    policy: string;
    users: number | null;
    working: string;
    matches: boolean | null;
  };
  /** Relative difference of the profile value from the claim (null when either is missing). */
  difference: number | null;
  verdict: ClaimVerdict;
  reason: string;
}

/** What claims are evaluated against. */
export interface ClaimsContext {
  profile: Profile;
  /** Policies by name (the claims name `current`, `fixed`, `scale`). */
  policies: Record<string, Policy>;
  /** Model context per policy (calibration, targets, cores). */
  contextFor: (policy: Policy) => ModelContext;
  pricing?: Pricing;
}

const fmt = (v: number): string =>
  Math.abs(v) >= 100
    ? Math.round(v).toLocaleString('en-US')
    : Math.abs(v) >= 1
      ? v.toFixed(2).replace(/\.?0+$/, '')
      : v.toPrecision(3);
const fmtRange = (v: number | [number, number] | null): string =>
  v === null ? '-' : Array.isArray(v) ? `${fmt(v[0])}-${fmt(v[1])}` : fmt(v);

function num(a: Claim['assumptions'], key: string, fallback?: number): number {
  const v = a[key];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new RangeError(`claim assumption '${key}' is missing or not a number`);
}

function range(a: Claim['assumptions'], key: string): [number, number] {
  const v = a[key];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length >= 1) return [v[0]!, v[v.length - 1]!];
  throw new RangeError(`claim assumption '${key}' is missing`);
}

/** True when `value` matches the claim within tolerance (ranges overlap; atLeast: value >= claim). */
export function matchesClaim(
  claimed: number | [number, number],
  value: number | [number, number],
  tolerance: number,
  atLeast = false,
): boolean {
  const [clo, chi] = Array.isArray(claimed) ? claimed : [claimed, claimed];
  const [vlo, vhi] = Array.isArray(value) ? value : [value, value];
  if (atLeast) return vhi >= clo * (1 - tolerance);
  return vhi >= clo * (1 - tolerance) && vlo <= chi * (1 + tolerance);
}

function relDiff(claimed: number | [number, number], value: number | null): number | null {
  if (value === null) return null;
  const [lo, hi] = Array.isArray(claimed) ? claimed : [claimed, claimed];
  if (value >= lo && value <= hi) return 0;
  const nearest = value < lo ? lo : hi;
  return nearest !== 0 ? (value - nearest) / nearest : null;
}

/** A profile and policy that make every user online and syncing (the documents' "100k users syncing"). */
function everyoneSyncs(
  profile: Profile,
  policy: Policy,
  intervalSeconds: number,
  mode: 'full' | 'delta' = 'full',
): { profile: Profile; policy: Policy } {
  return {
    profile: { ...profile, onlineShare: 1 },
    policy: {
      ...policy,
      sync: {
        ...policy.sync,
        mode,
        tiers: ['free', 'core', 'studio'],
        interval: { kind: 'fixed', seconds: intervalSeconds },
      },
    },
  };
}

function withInterval(policy: Policy, seconds: number, mode?: 'full' | 'delta'): Policy {
  return {
    ...policy,
    sync: { ...policy.sync, mode: mode ?? policy.sync.mode, interval: { kind: 'fixed', seconds } },
  };
}

interface Side {
  value: number | [number, number] | null;
  working: string;
}

function ownSide(claim: Claim, ctx: ClaimsContext): Side {
  const a = claim.assumptions;
  const base = ctx.policies[claim.policy];
  switch (claim.kind) {
    case 'syncs-per-second':
    case 'sync-queries-per-second':
    case 'sync-queries-per-interval':
    case 'delta-queries-per-second': {
      const users = num(a, 'users');
      const share = num(a, 'syncingShare', 1);
      const interval = num(a, 'intervalSeconds', 30);
      // The workload model itself, with every user online and syncing at the stated interval.
      const setting = everyoneSyncs(ctx.profile, base!, interval);
      const syncs = workloadAt(setting.profile, setting.policy, users * share).syncsPerSecond;
      if (claim.kind === 'syncs-per-second')
        return {
          value: syncs,
          working: `workloadAt: ${fmt(users * share)} users syncing every ${interval} s = ${fmt(syncs)} syncs/s`,
        };
      const [qlo, qhi] = range(a, 'queriesPerSync');
      if (claim.kind === 'sync-queries-per-second') {
        return {
          value: syncs * qlo,
          working: `${fmt(syncs)} syncs/s × ${qlo} queries = ${fmt(syncs * qlo)} queries/s (3,333 × 50 = 166,650: the document rounds the sync rate first)`,
        };
      }
      if (claim.kind === 'sync-queries-per-interval') {
        const v: [number, number] = [syncs * qlo * interval, syncs * qhi * interval];
        return {
          value: qlo === qhi ? v[0] : v,
          working: `${fmt(users * share)} users × ${qlo === qhi ? qlo : `${qlo}-${qhi}`} queries per ${interval} s = ${fmtRange(qlo === qhi ? v[0] : v)}`,
        };
      }
      const change = num(a, 'changeShare');
      return {
        value: syncs * qlo * change,
        working: `${fmt(syncs * qlo)} queries/s × ${change} changed = ${fmt(syncs * qlo * change)} queries/s`,
      };
    }
    case 'queries-per-sync': {
      const c = num(a, 'conversations');
      return {
        value: 1 + c + 1,
        working: `fullSync: 1 conversations query + ${c} messages queries (one per conversation) + 1 push = ${2 + c}`,
      };
    }
    case 'query-reduction-share': {
      const change = num(a, 'changeShare');
      return {
        value: 1 - change,
        working: `queries ∝ conversations fetched: 1 − ${change} = ${fmt(1 - change)}`,
      };
    }
    case 'sync-rate-reduction-share': {
      const fixed = 1 / num(a, 'fixedSeconds');
      const adaptive =
        num(a, 'activeShare') / num(a, 'activeSeconds') +
        num(a, 'recentShare') / num(a, 'recentSeconds') +
        num(a, 'inactiveShare') / num(a, 'inactiveSeconds');
      return {
        value: 1 - adaptive / fixed,
        working: `1 − (${num(a, 'activeShare')}/30 s + ${num(a, 'recentShare')}/300 s + ${num(a, 'inactiveShare')}/1800 s) / (1/30 s) = ${fmt(1 - adaptive / fixed)}`,
      };
    }
    case 'users-per-connection':
      return {
        value: num(a, 'users') / num(a, 'connections'),
        working: `${fmt(num(a, 'users'))} / ${num(a, 'connections')}`,
      };
    case 'message-requests-per-second': {
      const v = (num(a, 'users') * num(a, 'perUserPerMinute')) / 60;
      return {
        value: v,
        working: `${fmt(num(a, 'users'))} × ${num(a, 'perUserPerMinute')}/min ÷ 60 = ${fmt(v)}/s`,
      };
    }
    case 'upstream-capacity': {
      const v = (num(a, 'sockets') * 1000) / num(a, 'holdMs');
      return {
        value: v,
        working: `${num(a, 'sockets')} sockets × (1000 / ${num(a, 'holdMs')} ms) = ${fmt(v)} req/s`,
      };
    }
    case 'upstream-headroom': {
      const load = (num(a, 'users') * num(a, 'perUserPerMinute')) / 60;
      const cap = (num(a, 'sockets') * 1000) / num(a, 'holdMs');
      const offered = (load * num(a, 'holdMs')) / 1000;
      const pw = erlangC(num(a, 'sockets'), offered);
      return {
        value: 1 - load / cap,
        working: `1 − ${fmt(load)}/${fmt(cap)} = ${fmt(1 - load / cap)}; Erlang C(${num(a, 'sockets')}, ${fmt(offered)} E) = ${pw.toPrecision(3)} of calls wait`,
      };
    }
    case 'pool-failure-users': {
      const sockets = num(a, 'sockets');
      const hold = num(a, 'holdMs');
      const perMin = num(a, 'perUserPerMinute');
      const capacity = (sockets * 1000) / hold;
      const users = (capacity * 60) / perMin;
      const at = typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0];
      const offered = ((at * perMin) / 60) * (hold / 1000);
      return {
        value: users,
        working: `${sockets} sockets × ${fmt(1000 / hold)} req/s = ${fmt(capacity)} req/s = ${fmt(users)} users at ${perMin}/min; at ${fmt(at)} users: ${fmt(offered)} E on ${sockets} (${fmt((offered / sockets) * 100)}% busy), Erlang C P(wait) = ${erlangC(sockets, offered).toExponential(2)}`,
      };
    }
    case 'connections-limit':
      return {
        value: typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0],
        working: 'stated, not derived',
      };
    case 'product': {
      const f = (a['factors'] as number[] | undefined) ?? [];
      const v = f.reduce((p, x) => p * x, 1);
      return { value: v, working: `${f.map(fmt).join(' × ')} = ${fmt(v)}` };
    }
    case 'monthly-cost':
    case 'database-cost': {
      const items = (a['items'] as number[] | undefined) ?? [];
      const high = a['itemsHigh'] as number[] | undefined;
      const lo = items.reduce((s, x) => s + x, 0);
      const hi = high ? high.reduce((s, x) => s + x, 0) : lo;
      return {
        value: hi !== lo ? [lo, hi] : lo,
        working: `${items.map((x) => `$${x}`).join(' + ')} = $${fmt(lo)}${hi !== lo ? ` to $${fmt(hi)}` : ''}`,
      };
    }
    case 'egress-cost': {
      const v = (num(a, 'gb') - num(a, 'includedGb')) * num(a, 'usdPerGb');
      return {
        value: v,
        working: `(${fmt(num(a, 'gb'))} GB − ${num(a, 'includedGb')} included) × $${num(a, 'usdPerGb')} = $${fmt(v)}`,
      };
    }
    default:
      return { value: null, working: '' };
  }
}

interface ProfileSide {
  value: number | null;
  users: number | null;
  working: string;
  extra?: string;
}

function profileSide(claim: Claim, ctx: ClaimsContext): ProfileSide {
  const a = claim.assumptions;
  const policy = ctx.policies[claim.policy];
  if (!policy) return { value: null, users: null, working: `policy '${claim.policy}' not loaded` };
  const profile = ctx.profile;
  const users = claim.users ?? (typeof a['users'] === 'number' ? (a['users'] as number) : null);
  const paid = `${fmt((profile.tierMix.core + profile.tierMix.studio) * 100)}% paid`;
  switch (claim.kind) {
    case 'syncs-per-second': {
      const w = workloadAt(profile, policy, users!);
      return {
        value: w.syncsPerSecond,
        users,
        working: `${profile.name}/${policy.name}: ${fmt(w.syncingUsers)} of ${fmt(users!)} users sync (tiers ${policy.sync.tiers.join('+')}, ${paid}) → ${fmt(w.syncsPerSecond)} syncs/s`,
      };
    }
    case 'queries-per-sync': {
      const w = workloadAt(profile, policy, 1000);
      return {
        value: w.queriesPerSync,
        users: null,
        working: `${policy.sync.mode} sync, ${profile.conversationsPerUser.mean} conversations: ${fmt(w.queriesPerSync)} requests (one statement each)`,
      };
    }
    case 'sync-queries-per-second': {
      const w = workloadAt(profile, policy, users!);
      return {
        value: w.syncQueriesPerSecond,
        users,
        working: `${fmt(w.syncsPerSecond)} syncs/s × ${fmt(w.queriesPerSync)} = ${fmt(w.syncQueriesPerSecond)} queries/s`,
      };
    }
    case 'sync-queries-per-interval': {
      const interval = num(a, 'intervalSeconds', 30);
      const w = workloadAt(profile, policy, users!);
      return {
        value: w.syncQueriesPerSecond * interval,
        users,
        working: `${fmt(w.syncQueriesPerSecond)} queries/s × ${interval} s`,
      };
    }
    case 'query-reduction-share': {
      const full = workloadAt(profile, withInterval(policy, 30, 'full'), 1000);
      const delta = workloadAt(profile, withInterval(policy, 30, 'delta'), 1000);
      const v = 1 - delta.queriesPerSync / full.queriesPerSync;
      return {
        value: v,
        users: null,
        working: `delta ${fmt(delta.queriesPerSync)} vs full ${fmt(full.queriesPerSync)} queries per 30 s sync (a messages query whenever any of ${profile.conversationsPerUser.mean} conversations changed: P = ${fmt(delta.syncCostByClass.active.anyChangeShare)})`,
      };
    }
    case 'delta-queries-per-second': {
      const w = workloadAt(profile, withInterval(policy, num(a, 'intervalSeconds', 30), 'delta'), users!);
      return {
        value: w.syncQueriesPerSecond,
        users,
        working: `${fmt(w.syncsPerSecond)} syncs/s (${paid}) × ${fmt(w.queriesPerSync)} = ${fmt(w.syncQueriesPerSecond)} queries/s`,
      };
    }
    case 'sync-rate-reduction-share': {
      const adaptive = workloadAt(profile, policy, 10_000);
      const fixed = workloadAt(profile, withInterval(policy, num(a, 'fixedSeconds', 30)), 10_000);
      const v = 1 - adaptive.syncsPerSecond / fixed.syncsPerSecond;
      // Break-even active share for -80%, keeping the recent:inactive split of the profile.
      const r = profile.activity.recent.share;
      const i = profile.activity.inactive.share;
      const m = r / (r + i) / num(a, 'recentSeconds') + i / (r + i) / num(a, 'inactiveSeconds');
      const target = (1 - 0.8) / num(a, 'fixedSeconds');
      const breakEven = (target - m) / (1 / num(a, 'activeSeconds') - m);
      return {
        value: v,
        users: null,
        working: `${profile.name} activity ${profile.activity.active.share}/${r}/${i}: ${fmt(adaptive.syncsPerSecond)} vs ${fmt(fixed.syncsPerSecond)} syncs/s at 10k`,
        extra: `-80% holds while at most ${fmt(breakEven * 100)}% of users were active in the last hour`,
      };
    }
    case 'users-per-connection':
      return {
        value: users! / policy.upstream.maxSockets,
        users,
        working: `${fmt(users!)} / ${policy.upstream.maxSockets} sockets (policy ${policy.name})`,
      };
    case 'message-requests-per-second': {
      const w = workloadAt(profile, policy, users!);
      return {
        value: w.messagesPerSecond,
        users,
        working: `${fmt(w.onlineUsers)} online × ${profile.messagesPerUserPerMinute}/min`,
      };
    }
    case 'upstream-capacity': {
      const mean = logNormalMean(
        logNormalFromMedianP95(policy.upstream.latencyMs.median, policy.upstream.latencyMs.p95),
      );
      const v = (policy.upstream.maxSockets * 1000) / mean;
      return {
        value: v,
        users: null,
        working: `${policy.upstream.maxSockets} sockets / mean hold ${fmt(mean)} ms (log-normal, median ${policy.upstream.latencyMs.median}, p95 ${policy.upstream.latencyMs.p95}) = ${fmt(v)} req/s`,
      };
    }
    case 'upstream-headroom': {
      const p = predictAnalytic(profile, policy, users!, ctx.contextFor(policy));
      const up = p.resources.find((r) => r.name === 'upstream.sockets')!;
      return {
        value: 1 - up.utilisation,
        users,
        working: `${fmt(up.arrivalRate)} req/s × ${fmt(up.serviceTimeMs)} ms on ${up.servers} sockets: ${fmt(up.utilisation * 100)}% busy${up.saturated ? ' (saturated)' : `, P(wait) ${up.probabilityOfWaiting.toPrecision(3)}`}`,
      };
    }
    case 'pool-failure-users':
    case 'knee': {
      const knee = findKnee(profile, policy, ctx.contextFor(policy));
      const at = predictAnalytic(profile, policy, 10_000, ctx.contextFor(policy));
      const dbUtil = Math.max(
        ...at.resources.filter((r) => r.name !== 'upstream.sockets').map((r) => r.utilisation),
      );
      const dbUsers = 10_000 / dbUtil;
      return {
        value: knee.users,
        users: knee.users,
        working: `knee of ${policy.name} under ${profile.name}: ${knee.users === null ? 'none' : fmt(knee.users)} users, limited by ${knee.limitedBy}; the database alone saturates at ${fmt(dbUsers)} users`,
      };
    }
    case 'connections-limit': {
      if (!ctx.pricing) return { value: null, users: null, working: 'no pricing loaded' };
      const name = String(a['compute'] ?? 'micro');
      const c = ctx.pricing.supabase.compute.find((x) => x.name === name);
      if (!c) return { value: null, users: null, working: `no compute size '${name}' in pricing` };
      const claimed = typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0];
      const first = [...ctx.pricing.supabase.compute]
        .sort((x, y) => x.usdPerMonth - y.usdPerMonth)
        .find((x) => x.maxPoolerClients >= claimed);
      return {
        value: c.maxDirectConnections,
        users: null,
        working: `${c.name}: ${c.maxDirectConnections} direct connections, ${c.maxPoolerClients} pooler clients (${c.source})`,
        extra: first
          ? `${fmt(claimed)} pooler clients first at ${first.name} ($${first.usdPerMonth}/month, ${first.maxDirectConnections} direct)`
          : `no size offers ${fmt(claimed)}`,
      };
    }
    case 'product': {
      if (!claim.profileQuantity || users === null)
        return { value: null, users: null, working: 'no profile quantity' };
      const conv = users * profile.conversationsPerUser.mean;
      const msgs = conv * profile.messagesPerConversation.reference;
      if (claim.profileQuantity === 'conversations')
        return {
          value: conv,
          users,
          working: `${fmt(users)} × ${profile.conversationsPerUser.mean} conversations`,
        };
      if (claim.profileQuantity === 'messages')
        return {
          value: msgs,
          users,
          working: `${fmt(conv)} conversations × ${profile.messagesPerConversation.reference} messages (reference)`,
        };
      const bytes = databaseSizeGb(profile, users) * 1e9;
      return {
        value: bytes,
        users,
        working: `${fmt(msgs)} messages × (${profile.content.meanChars} chars + ~200 B row and index overhead) = ${fmt(bytes / 1e9)} GB`,
      };
    }
    case 'monthly-cost':
    case 'database-cost':
    case 'egress-cost': {
      if (!ctx.pricing) return { value: null, users, working: 'no pricing loaded' };
      const c = cheapestConfiguration(ctx.pricing, profile, policy, users!, ctx.contextFor(policy));
      const supabase = c.items
        .filter((i) => /^(Supabase|egress|database size)/.test(i.item))
        .reduce((s, i) => s + i.usd, 0);
      const egress = c.items.find((i) => i.item.startsWith('egress'))?.usd ?? 0;
      const value =
        claim.kind === 'monthly-cost' ? c.monthlyUsd : claim.kind === 'database-cost' ? supabase : egress;
      const what = c.items.map((i) => `${i.item} $${fmt(i.usd)}`).join('; ');
      const w = workloadAt(profile, policy, users!);
      return {
        value,
        users,
        working: `${c.meetsTargets ? 'cheapest configuration meeting the targets' : `no configuration meets the targets (${c.reason}); most capable`}: ${c.compute}, pool ${c.poolSize}, ${c.upstreamSockets} upstream sockets, ${c.backend}${c.redis ? `, Redis ${c.redis}` : ''} = $${fmt(c.monthlyUsd)}/month [${what}]; egress ${fmt((w.egressBytesPerSecond * SECONDS_PER_MONTH) / 1e9)} GB/month if the load runs all month`,
      };
    }
    default:
      return { value: null, users: null, working: '' };
  }
}

/** Evaluates one claim under its own assumptions and under the profile. */
export function evaluateClaim(claim: Claim, ctx: ClaimsContext): ClaimEvaluation {
  const policyName = claim.policy;
  if (claim.kind === 'not-modelled') {
    return {
      id: claim.id,
      document: claim.document,
      line: claim.line,
      quote: claim.quote,
      unit: claim.unit,
      claimed: claim.claimed,
      own: { value: null, working: '', matches: null },
      profile: { value: null, policy: policyName, users: null, working: '', matches: null },
      difference: null,
      verdict: 'not-modelled',
      reason: claim.reason ?? 'outside the queueing and cost model',
    };
  }
  const own = ownSide(claim, ctx);
  const prof = profileSide(claim, ctx);
  const ownMatches =
    own.value === null || claim.kind === 'connections-limit'
      ? null
      : matchesClaim(claim.claimed, own.value, claim.tolerance, claim.atLeast);
  const isCost = claim.kind.endsWith('cost');
  const pTol = claim.profileTolerance ?? (isCost ? 0.25 : Math.max(claim.tolerance, 0.1));
  const profMatches =
    prof.value === null ? null : matchesClaim(claim.claimed, prof.value, pTol, claim.atLeast);
  let verdict: ClaimVerdict;
  let reason: string;
  const claimedText = `${fmtRange(claim.claimed)} ${claim.unit}`;
  if (ownMatches === false) {
    verdict = 'arithmetic';
    reason = `its own inputs give ${fmtRange(own.value)} ${claim.unit}, not ${claimedText}: ${own.working}`;
  } else if (profMatches === false) {
    verdict = 'assumption';
    reason = `${ownMatches ? 'the arithmetic holds, but ' : ''}under ${ctx.profile.name}/${policyName} it is ${fmtRange(prof.value)} ${claim.unit}: ${prof.working}`;
  } else if (profMatches === null && ownMatches === null) {
    verdict = 'assumption';
    reason = `not checkable here: ${prof.working || own.working}`;
  } else {
    verdict = 'holds';
    reason = `${ownMatches ? `${own.working}; ` : ''}${prof.value !== null ? `under ${ctx.profile.name}/${policyName}: ${fmtRange(prof.value)} ${claim.unit}` : ''}`;
  }
  if (claim.kind === 'pool-failure-users' && ownMatches === false) {
    reason += `. Failing at ${claimedText} would need ${fmt((num(claim.assumptions, 'perUserPerMinute') * (own.value as number)) / (typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0]))} requests/min per user or ${fmt((num(claim.assumptions, 'holdMs') * (own.value as number)) / (typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0]))} ms holds`;
  }
  if (prof.extra) reason += `. ${prof.extra}`;
  return {
    id: claim.id,
    document: claim.document,
    line: claim.line,
    quote: claim.quote,
    unit: claim.unit,
    claimed: claim.claimed,
    own: { value: own.value, working: own.working, matches: ownMatches },
    profile: {
      value: prof.value,
      policy: policyName,
      users: prof.users,
      working: prof.working,
      matches: profMatches,
    },
    difference: relDiff(claim.claimed, prof.value),
    verdict,
    reason,
  };
}

/** Evaluates every claim (pure). */
export function evaluateClaims(claims: Claim[], ctx: ClaimsContext): ClaimEvaluation[] {
  return claims.map((c) => evaluateClaim(c, ctx));
}
