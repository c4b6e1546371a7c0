import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { Claim, ClaimsContext } from './claim.ts';
import { fmt, fmtRange, num, range } from './claim.ts';
import { erlangC } from './erlang-c.ts';
import { workloadAt } from './workload.ts';

// A claim under its own assumptions: the documents' arithmetic redone (is it right?).

/** A profile and policy that make every user online and syncing (the documents' "100k users syncing"). */
export function everyoneSyncs(
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

/** A claim re-derived under its own assumptions: the value and the working shown. */
export interface Side {
  value: number | [number, number] | null;
  working: string;
}

/** The claim's figure recomputed from the claim's own assumptions (is the arithmetic right?). */
export function ownSide(claim: Claim, ctx: ClaimsContext): Side {
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
