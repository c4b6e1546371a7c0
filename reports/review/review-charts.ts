import type { Policy } from '../../core/policy.ts';
import type { EndpointSummary, LoadedRun } from '../../core/run-record.ts';
import type { Prediction, SeedCostEstimate, Targets } from '../../simulator/index.ts';
import type { ChartSpec } from '../charts/chart-theme.ts';
import { type ConnectionUsagePanel, connectionUsageChart } from '../charts/connection-usage-chart.ts';
import { costVsUsersChart } from '../charts/cost-vs-users-chart.ts';
import { type LatencyPoint, p95VsUsersChart } from '../charts/p95-vs-users-chart.ts';
import { type QueriesPerSyncBar, queriesPerSyncChart } from '../charts/queries-per-sync-chart.ts';
import { type CapacityLine, queriesVsUsersChart } from '../charts/queries-vs-users-chart.ts';
import { type RateLimitOutcome, rateLimitChart } from '../charts/rate-limit-chart.ts';
import { usersLabel } from './format.ts';
import type { MeasuredRun } from './review-types.ts';

/** Inputs of {@link reviewCharts}. */
export interface ReviewChartInput {
  predictions: readonly Prediction[];
  desPredictions: readonly Prediction[];
  policies: readonly Policy[];
  runs: readonly LoadedRun[];
  measured: readonly MeasuredRun[];
  targets: Targets;
  /** Scale whose predicted rate-limit outcome is charted (the middle one: 10k). */
  rateLimitScale: number;
  /** The seed documents' monthly costs, overlaid on the predicted ones. */
  seedCosts: readonly SeedCostEstimate[];
}

function connectionPanels(input: ReviewChartInput): ConnectionUsagePanel[] {
  const limitOf = (policy: string) =>
    input.policies.find((p) => p.name === policy)?.database.maxConnections ?? Number.NaN;
  const measured = input.runs
    .filter((run) => run.series.some((s) => s.pool))
    .map((run) => {
      const samples = run.series.filter((s) => s.pool);
      return {
        label: `measured: ${run.record.scenario} ${usersLabel(run.record.users)} ${run.record.policy.name}`,
        source: 'measured' as const,
        points: samples.map((s) => ({ t: s.t, inUse: s.pool!.inUse, waiting: s.pool!.waiting })),
        poolSize: Math.max(...samples.map((s) => s.pool!.total)),
        dbLimit: limitOf(run.record.policy.name),
      };
    });
  const simulated = input.desPredictions
    .filter((p) => p.series && (p.series.busy['db.pool']?.length ?? 0) > 0)
    .map((p) => {
      const s = p.series!;
      const busy = s.busy['db.pool'] ?? [];
      const queued = s.queued['db.pool'] ?? [];
      const pool = p.resources.find((r) => r.name === 'db.pool');
      return {
        label: `simulated: ${p.policy} ${usersLabel(p.users)}`,
        source: 'simulated' as const,
        points: s.t.map((t, i) => ({ t, inUse: busy[i] ?? 0, waiting: queued[i] ?? 0 })),
        poolSize: pool?.servers ?? Number.NaN,
        dbLimit: limitOf(p.policy),
      };
    });
  return [...measured, ...simulated];
}

function latencyPoints(input: ReviewChartInput): LatencyPoint[] {
  const predicted = input.predictions.flatMap((p) =>
    p.endpoints
      .filter((e) => e.ratePerSecond > 0)
      .map((e) => ({
        users: p.users,
        policy: p.policy,
        endpoint: e.endpoint,
        p95Ms: e.p95Ms,
        source: 'predicted' as const,
      })),
  );
  const endpoints = new Set(predicted.map((p) => p.endpoint));
  const measured = input.measured.flatMap((run) =>
    Object.entries(run.p95ByEndpoint)
      .filter(([endpoint]) => endpoints.has(endpoint))
      .map(([endpoint, p95Ms]) => ({
        users: run.users,
        policy: run.policy,
        endpoint,
        p95Ms,
        source: 'measured' as const,
      })),
  );
  return [...predicted, ...measured];
}

function capacityLines(input: ReviewChartInput): CapacityLine[] {
  return input.policies.flatMap((policy) => {
    const p = input.predictions.find((x) => x.policy === policy.name);
    const cpu = p?.resources.find((r) => r.name === 'db.cpu');
    return cpu
      ? [{ policy: policy.name, queriesPerSecond: cpu.capacityPerSecond, label: 'database CPU capacity' }]
      : [];
  });
}

function rateLimitOutcomes(input: ReviewChartInput): RateLimitOutcome[] {
  const at = input.predictions.filter((p) => p.users === input.rateLimitScale);
  return at.flatMap((p) =>
    p.rateLimits.flatMap((r) => {
      const rows: RateLimitOutcome[] = [];
      const push = (userClass: string, rate: number, rejected: number) => {
        if (rate <= 0) return;
        rows.push({
          policy: `${p.policy} ${usersLabel(p.users)}`,
          userClass,
          outcome: 'accepted',
          count: rate * (1 - rejected),
          source: 'predicted',
        });
        rows.push({
          policy: `${p.policy} ${usersLabel(p.users)}`,
          userClass,
          outcome: 'rate limited (429)',
          count: rate * rejected,
          source: 'predicted',
        });
      };
      push(`${r.tier} legitimate`, r.legitimateRate, r.legitimateRejectedShare);
      push(`${r.tier} abusive`, r.abusiveRate, r.abusiveRejectedShare);
      return rows;
    }),
  );
}

function outcomeRows(policy: string, userClass: string, e: EndpointSummary): RateLimitOutcome[] {
  const limited = e.statuses['429'] ?? 0;
  const failed = Math.max(0, Math.round(e.errorRate * e.count) - limited);
  return [
    { policy, userClass, outcome: 'accepted', count: e.count - limited - failed, source: 'measured' },
    { policy, userClass, outcome: 'rate limited (429)', count: limited, source: 'measured' },
    { policy, userClass, outcome: 'error', count: failed, source: 'measured' },
  ];
}

/** `legit/free` (the run record's class key: class/tier) → `free legitimate`. */
export function userClassLabel(key: string): string {
  const [cls = key, tier = 'all'] = key.split('/');
  return `${tier} ${cls === 'legit' ? 'legitimate' : cls}`;
}

function measuredRateLimits(input: ReviewChartInput): RateLimitOutcome[] {
  return input.runs.flatMap((run) => {
    const policy = `${run.record.policy.name} ${usersLabel(run.record.users)}`;
    // Requests tagged by class and tier (the rate-limit scenario) are summarised per class in the record.
    const classes = Object.entries(run.record.classes ?? {});
    if (classes.length > 0) return classes.flatMap(([key, e]) => outcomeRows(policy, userClassLabel(key), e));
    if (run.record.scenario !== 'rate-limit') return [];
    return Object.entries(run.record.endpoints)
      .filter(([name]) => name.startsWith('api.message'))
      .flatMap(([name, e]) =>
        outcomeRows(policy, name === 'api.message' ? 'all users' : name.replace(/^api\.message[.:]?/, ''), e),
      );
  });
}

function queriesPerSyncBars(input: ReviewChartInput): QueriesPerSyncBar[] {
  const measured = input.measured.flatMap((r) =>
    r.syncMode && r.queriesPerSync !== null
      ? [{ mode: r.syncMode, queriesPerSync: r.queriesPerSync, source: 'measured' as const, label: r.id }]
      : [],
  );
  // The model's figure for the same profile at the smallest scale, one per sync mode.
  const predicted: QueriesPerSyncBar[] = [];
  for (const mode of ['full', 'delta'] as const) {
    const p = input.predictions.find((x) => x.workload.syncMode === mode);
    if (p)
      predicted.push({
        mode,
        queriesPerSync: p.workload.queriesPerSync,
        source: 'predicted',
        label: `${p.profile} ${p.policy}`,
      });
  }
  return [...measured, ...predicted];
}

/** The six charts of the review, built from predictions and run records (pure). */
export function reviewCharts(input: ReviewChartInput): ChartSpec[] {
  const queries = [
    ...input.predictions.map((p) => ({
      users: p.users,
      policy: p.policy,
      queriesPerSecond: p.workload.queriesPerSecond,
      source: 'predicted' as const,
    })),
    ...input.measured.flatMap((r) =>
      r.queriesPerSecond !== null
        ? [
            {
              users: r.users,
              policy: r.policy,
              queriesPerSecond: r.queriesPerSecond,
              source: 'measured' as const,
            },
          ]
        : [],
    ),
  ];
  const cost = input.predictions.flatMap((p) => {
    const usd = p.cheapest?.monthlyUsd ?? p.cost?.monthlyUsd;
    return usd === undefined ? [] : [{ users: p.users, policy: p.policy, usdPerMonth: usd }];
  });
  return [
    connectionUsageChart(connectionPanels(input)),
    queriesVsUsersChart(queries, capacityLines(input)),
    p95VsUsersChart(latencyPoints(input), input.targets.p95Ms),
    costVsUsersChart(cost, input.seedCosts),
    rateLimitChart([...measuredRateLimits(input), ...rateLimitOutcomes(input)]),
    queriesPerSyncChart(queriesPerSyncBars(input)),
  ];
}
