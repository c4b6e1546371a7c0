import type { LoadedRun } from '../../core/run-record.ts';
import type { ChartSpec } from '../charts/chart-theme.ts';
import { kneeStepChart } from '../charts/knee-step-chart.ts';
import type { KneeCheck } from './knee-check.ts';

/** The knee-step chart of a review: the step's per-second pool and upstream shares beside the model's. */
export function kneeChart(step: LoadedRun, check: KneeCheck): ChartSpec {
  const servers = Object.fromEntries(check.resources.map((r) => [r.name, r.servers]));
  const points = step.series.flatMap((s) => [
    ...(s.pool && servers['db.pool']
      ? [{ t: s.t, resource: 'db.pool', inUsePercent: (100 * s.pool.inUse) / servers['db.pool'] }]
      : []),
    ...(s.upstream && servers['upstream.sockets']
      ? [
          {
            t: s.t,
            resource: 'upstream.sockets',
            inUsePercent: (100 * s.upstream.inUse) / servers['upstream.sockets'],
          },
        ]
      : []),
  ]);
  const predicted = check.resources.map((r) => ({
    resource: r.name,
    inUsePercent: (100 * r.predictedInUse) / r.servers,
  }));
  return kneeStepChart(
    points,
    predicted,
    `${check.scenario} under ${check.policy} at ${check.users.toLocaleString('en-US')} users (run ${check.run})`,
  );
}
