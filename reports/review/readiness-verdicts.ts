import type { Policy } from '../../core/policy.ts';
import type { Prediction, Targets } from '../../simulator/index.ts';
import { num, pct } from './format.ts';
import type { MeasuredRun, ReadinessVerdict, TargetAtScale } from './review-types.ts';

const REPORT_TABLE = 'launch-readiness-report.md, SCALABILITY METRICS (Current vs Target)';

/**
 * The policy that carries the report's fix at a scale: its "Target (10k)" column is `fixed` (used
 * for 1k and 10k, the launch), its "Target (100k)" column is `scale`; falls back to what is reviewed.
 */
export function reportPolicyFor(users: number, policies: readonly string[]): string | null {
  const wanted = users > 10_000 ? ['scale', 'fixed'] : ['fixed', 'scale'];
  return wanted.find((p) => policies.includes(p)) ?? policies.find((p) => p !== 'current') ?? null;
}

function worst(verdicts: readonly TargetAtScale[]): ReadinessVerdict['verdict'] {
  if (verdicts.some((v) => v.verdict === 'falls short')) return 'falls short';
  if (verdicts.length === 0 || verdicts.some((v) => v.verdict === 'not verified')) return 'not verified';
  return 'holds';
}

function interval(policy: Policy): string {
  const i = policy.sync.interval;
  const when =
    i.kind === 'fixed'
      ? `every ${i.seconds} s`
      : `adaptive ${i.activeSeconds}/${i.recentSeconds}/${i.inactiveSeconds} s`;
  return `${policy.sync.mode} sync ${when}`;
}

type Judge = (p: Prediction, policy: Policy, users: number) => Omit<TargetAtScale, 'users' | 'policy'>;

/**
 * A verdict for each of the five readiness targets of launch-readiness-report.md at each scale, for
 * the policy that carries the report's fix there: does the fix, as configured, meet the targets?
 */
export function readinessVerdicts(
  predictions: readonly Prediction[],
  policies: readonly Policy[],
  scales: readonly number[],
  targets: Targets,
  runs: readonly MeasuredRun[],
): ReadinessVerdict[] {
  const names = policies.map((p) => p.name);
  const predictionOf = (users: number, policy: string) =>
    predictions.find((p) => p.users === users && p.policy === policy);
  const perScale = (judge: Judge): TargetAtScale[] =>
    scales.flatMap((users) => {
      const policyName = reportPolicyFor(users, names);
      const policy = policies.find((p) => p.name === policyName);
      const p = policyName ? predictionOf(users, policyName) : undefined;
      if (!policy || !p) {
        return [
          {
            users,
            policy: policyName ?? '-',
            verdict: 'not verified' as const,
            reason: 'no prediction for this scale',
          },
        ];
      }
      return [{ users, policy: policy.name, ...judge(p, policy, users) }];
    });
  const resource = (p: Prediction, name: string) => p.resources.find((r) => r.name === name);
  const fits = (r: { utilisation: number; saturated: boolean } | undefined) =>
    r !== undefined && !r.saturated && r.utilisation <= targets.maxUtilisation;

  const pool: Judge = (p) => {
    const up = resource(p, 'upstream.sockets');
    const db = resource(p, 'db.pool');
    const needed = up ? Math.ceil(up.offeredLoad / targets.maxUtilisation) : 0;
    const upText = up
      ? `upstream sockets ${up.servers}: ${num(up.offeredLoad)} busy on average, ${pct(up.utilisation, 0)} (needs ~${num(needed)} for ${pct(targets.maxUtilisation, 0)} headroom)`
      : 'upstream not modelled';
    const dbText = db
      ? `database pool ${db.servers}: ${pct(db.utilisation, 0)}${db.saturated ? ' (saturated)' : ''}`
      : 'database pool not modelled';
    return { verdict: fits(up) && fits(db) ? 'holds' : 'falls short', reason: `${upText}; ${dbText}` };
  };

  const rateLimit: Judge = (p, policy) => {
    if (!policy.rateLimit.perUser) {
      return {
        verdict: 'falls short',
        reason: 'no per-user limit: abusive senders reach the upstream unchecked',
      };
    }
    const legitHit = Math.max(0, ...p.rateLimits.map((r) => r.legitimateRejectedShare));
    const abusiveHeld = Math.min(
      1,
      ...p.rateLimits.filter((r) => r.abusiveRate > 0).map((r) => r.abusiveRejectedShare),
    );
    const measured = runs.filter((r) => r.policy === policy.name && r.scenario === 'rate-limit');
    const evidence =
      measured.length > 0
        ? `; measured 429 share ${pct(measured[0]!.rateLimitedRate, 1)} (${measured[0]!.id})`
        : '';
    const limits = `${policy.rateLimit.perUser.free}/min free, ${policy.rateLimit.perUser.paid}/min paid`;
    if (legitHit > 0.001) {
      return {
        verdict: 'falls short',
        reason: `${limits}: ${pct(legitHit, 1)} of legitimate requests refused${evidence}`,
      };
    }
    return {
      verdict: 'holds',
      reason: `${limits}: no legitimate request refused, ${pct(abusiveHeld, 0)} of abusive requests refused${evidence}`,
    };
  };

  const sync: Judge = (p, policy, users) => {
    const current = predictionOf(users, 'current');
    const cut =
      current && current.workload.queriesPerSecond > 0
        ? `, ${pct(1 - p.workload.queriesPerSecond / current.workload.queriesPerSecond, 0)} fewer queries than current`
        : '';
    const cpu = resource(p, 'db.cpu');
    const db = resource(p, 'db.pool');
    const load = `${interval(policy)}: ${num(p.workload.syncsPerSecond)} syncs/s, ${num(p.workload.queriesPerSecond)} queries/s${cut}`;
    const ok = fits(cpu) && fits(db);
    const state = `database CPU ${pct(cpu?.utilisation, 0)}, pool ${pct(db?.utilisation, 0)}`;
    return { verdict: ok ? 'holds' : 'falls short', reason: `${load}; ${state}` };
  };

  const timeout: Judge = (p, policy) => {
    const t = policy.database.statementTimeoutMs;
    if (t === null) {
      return {
        verdict: 'falls short',
        reason: 'no statement timeout: a slow query holds its connection until it ends',
      };
    }
    const over = `${pct(p.overStatementTimeoutShare, 2)} of statements over ${num(t)} ms`;
    const ok = p.timeoutShare <= targets.errorShare;
    return {
      verdict: ok ? 'holds' : 'falls short',
      reason: `${num(t)} ms: ${over}; ${pct(p.timeoutShare, 2)} of requests time out${ok ? '' : ' (over the error budget)'}`,
    };
  };

  const health: Judge = (_p, policy) => {
    if (policy.health !== 'full')
      return { verdict: 'falls short', reason: '/healthz is basic: no database or Redis check' };
    const measured = runs.filter((r) => r.steadyState && r.policy === policy.name && r.healthzOk !== null);
    if (measured.length === 0)
      return { verdict: 'not verified', reason: 'full checks configured; no run measured /healthz' };
    const ok = measured.every((r) => r.healthzOk);
    return {
      verdict: ok ? 'holds' : 'falls short',
      reason: `full checks (database, Redis, memory, uptime); /healthz ${ok ? 'answered 200 in' : 'failed in'} ${measured.map((r) => r.id).join(', ')}`,
    };
  };

  const byPolicy = (value: (p: Policy) => string) =>
    policies.map((p) => ({ policy: p.name, value: value(p) }));
  const make = (
    id: ReadinessVerdict['id'],
    target: string,
    reportSays: string,
    value: (p: Policy) => string,
    judge: Judge,
  ): ReadinessVerdict => {
    const at = perScale(judge);
    return {
      id,
      target,
      reportSays,
      source: REPORT_TABLE,
      byPolicy: byPolicy(value),
      perScale: at,
      verdict: worst(at),
    };
  };
  return [
    make(
      'connection-pool',
      'Connection pool',
      'current 50 · 10k: 200 · 100k: 500 (fix #1, backend maxSockets)',
      (p) => `upstream ${p.upstream.maxSockets} sockets, database pool ${p.database.poolSize}`,
      pool,
    ),
    make(
      'rate-limit',
      'Rate limit',
      'current tier only · target per-user: 20/min free, 100/min paid (fix #2)',
      (p) =>
        p.rateLimit.perUser
          ? `per-user ${p.rateLimit.perUser.free}/${p.rateLimit.perUser.paid} per ${p.rateLimit.perUser.windowSeconds} s`
          : 'tier limits only',
      rateLimit,
    ),
    make(
      'sync-frequency',
      'Sync frequency',
      'current 30 s for all · target adaptive 30 s / 5 min / 30 min (fix #3)',
      interval,
      sync,
    ),
    make(
      'query-timeout',
      'Query timeout',
      'current none · target 5 s (fix #4)',
      (p) => (p.database.statementTimeoutMs === null ? 'none' : `${p.database.statementTimeoutMs} ms`),
      timeout,
    ),
    make('health-checks', 'Health checks', 'current basic · target full (fix #5)', (p) => p.health, health),
  ];
}
