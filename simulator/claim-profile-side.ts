import type { Policy } from '../core/policy.ts';
import { TIERS } from '../core/profile.ts';
import { predictAnalytic } from './analytic.ts';
import type { Claim, ClaimsContext } from './claim.ts';
import { fmt, num } from './claim.ts';
import { cheapestConfiguration, databaseSizeGb, SECONDS_PER_MONTH } from './cost.ts';
import { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
import { findKnee } from './knee.ts';
import { messagesPerMinuteOf, workloadAt } from './workload.ts';

// A claim under the chosen profile and policy: does it hold for Atlas as modelled?

/** The policy with a fixed sync interval (and optionally a sync mode). */
export function withInterval(policy: Policy, seconds: number, mode?: 'full' | 'delta'): Policy {
  return {
    ...policy,
    sync: { ...policy.sync, mode: mode ?? policy.sync.mode, interval: { kind: 'fixed', seconds } },
  };
}

/** A claim evaluated under the chosen profile and policy: the value, the users it applies at, the working. */
export interface ProfileSide {
  value: number | null;
  users: number | null;
  working: string;
  extra?: string;
}

/** The claim evaluated for Atlas as modelled (the chosen profile and policy). */
export function profileSide(claim: Claim, ctx: ClaimsContext): ProfileSide {
  const a = claim.assumptions;
  const named = ctx.policies[claim.policy];
  if (!named) return { value: null, users: null, working: `policy '${claim.policy}' not loaded` };
  // The load assumptions applied, as the verdicts read them: a claim is checked against the same Atlas.
  const { profile, policy, ctx: model } = ctx.modelFor(named);
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
        // Per tier: the peak rate bounded by the tier's monthly cap (load.ts), so not always the profile's.
        working: `${fmt(w.onlineUsers)} online × ${fmt(w.onlineUsers > 0 ? (w.messagesPerSecond * 60) / w.onlineUsers : 0)}/min on average (${TIERS.map((t) => `${t} ${fmt(messagesPerMinuteOf(profile, t))}/min`).join(', ')}, each within its tier's monthly cap) = ${fmt(w.messagesPerSecond)}/s`,
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
      const p = predictAnalytic(profile, policy, users!, model);
      const up = p.resources.find((r) => r.name === 'upstream.sockets')!;
      return {
        value: 1 - up.utilisation,
        users,
        working: `${fmt(up.arrivalRate)} req/s × ${fmt(up.serviceTimeMs)} ms on ${up.servers} sockets: ${fmt(up.utilisation * 100)}% busy${up.saturated ? ' (saturated)' : `, P(wait) ${up.probabilityOfWaiting.toPrecision(3)}`}`,
      };
    }
    case 'pool-failure-users':
    case 'knee': {
      const knee = findKnee(profile, policy, model);
      const at = predictAnalytic(profile, policy, 10_000, model);
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
      const found = cheapestConfiguration(ctx.pricing, profile, policy, users!, model);
      const c = found.cheapest;
      if (!c) {
        const n = found.none;
        return {
          value: null,
          users,
          working: `no configuration meets the targets: on the largest size tried (${n?.compute ?? '-'}, pool ${n?.poolSize ?? '-'}, ${n?.upstreamSockets ?? '-'} upstream sockets) ${n?.reason ?? ''}${n?.bindingResource ? ` (binding ${n.bindingResource})` : ''}`,
        };
      }
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
        working: `cheapest configuration meeting the targets: ${c.compute}, pool ${c.poolSize}, ${c.upstreamSockets} upstream sockets, ${c.backend}${c.redis ? `, Redis ${c.redis}` : ''} = $${fmt(c.monthlyUsd)}/month [${what}]; egress ${fmt((w.egressBytesPerSecond * SECONDS_PER_MONTH) / 1e9)} GB/month if the load runs all month`,
      };
    }
    default:
      return { value: null, users: null, working: '' };
  }
}
