import type { LoadedRun } from '../../core/run-record.ts';
import type { Prediction } from '../../simulator/index.ts';

/** Seconds at the start of a step left out of its means (k6 starts its VUs, the pool opens); the tail after its load ends is left out too. */
export const KNEE_STEP_SETTLE_SECONDS = 2;

/** One pooled resource at the knee step: measured on this machine beside the model's figure. */
export interface KneeStepResource {
  name: 'db.pool' | 'upstream.sockets';
  servers: number;
  measuredMeanInUse: number;
  measuredMaxInUse: number;
  /** Mean requests waiting for one (pool waiting, upstream queued). */
  measuredMeanWaiting: number;
  /** The model's mean in use at the same users (offered load, at most the servers). */
  predictedInUse: number;
}

/** "Checked against this machine today": one short step of a scenario, measured beside the model. */
export interface KneeCheck {
  scenario: string;
  policy: string;
  users: number;
  run: string;
  resources: KneeStepResource[];
  /** Users at which the first of the pool and the upstream sockets fills, by the model. */
  predictedKnee: number | null;
  predictedBottleneck: KneeStepResource['name'] | null;
  /** The same from the step: users / measured share in use (Little's law: in use grows with users). */
  measuredKnee: number | null;
  measuredBottleneck: KneeStepResource['name'] | null;
  /** The step itself filled a resource (mean share in use >= 95% or requests waiting): the knee is below it. */
  saturatedAtStep: boolean;
  sentence: string;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function kneeOf(users: number, rs: readonly { name: KneeStepResource['name']; share: number }[]) {
  const worst = [...rs].sort((a, b) => b.share - a.share)[0];
  if (!worst || worst.share <= 0) return { knee: null, bottleneck: null };
  return { knee: Math.round(users / worst.share), bottleneck: worst.name };
}

/**
 * The knee check of one step run against the model's prediction at the same users (made before the
 * step ran): for the pool and the upstream sockets, measured mean and max in use beside the predicted
 * mean, and where each says the first of them fills. Pure.
 */
export function buildKneeCheck(step: LoadedRun, prediction: Prediction): KneeCheck {
  const r = step.record;
  // The offered load runs for durationSeconds; after it k6 only finishes the iterations in flight.
  const settled = step.series.filter((s) => s.t >= KNEE_STEP_SETTLE_SECONDS && s.t < r.durationSeconds);
  const resources: KneeStepResource[] = [];
  const predicted = (name: KneeStepResource['name']) => prediction.resources.find((x) => x.name === name);
  const pools = settled.flatMap((s) => (s.pool ? [s.pool] : []));
  const dbPool = predicted('db.pool');
  if (pools.length > 0 && dbPool) {
    resources.push({
      name: 'db.pool',
      servers: Math.max(...pools.map((p) => p.total)),
      measuredMeanInUse: mean(pools.map((p) => p.inUse)),
      measuredMaxInUse: Math.max(...pools.map((p) => p.inUse)),
      measuredMeanWaiting: mean(pools.map((p) => p.waiting)),
      predictedInUse: Math.min(dbPool.offeredLoad, dbPool.servers),
    });
  }
  const ups = settled.flatMap((s) => (s.upstream ? [s.upstream] : []));
  const sockets = predicted('upstream.sockets');
  if (ups.length > 0 && sockets) {
    resources.push({
      name: 'upstream.sockets',
      servers: sockets.servers,
      measuredMeanInUse: mean(ups.map((u) => u.inUse)),
      measuredMaxInUse: Math.max(...ups.map((u) => u.inUse)),
      measuredMeanWaiting: mean(ups.map((u) => u.queued)),
      predictedInUse: Math.min(sockets.offeredLoad, sockets.servers),
    });
  }
  const byModel = kneeOf(
    r.users,
    resources.map((x) => {
      const p = predicted(x.name)!;
      return { name: x.name, share: p.offeredLoad / p.servers };
    }),
  );
  const byMachine = kneeOf(
    r.users,
    resources.map((x) => ({ name: x.name, share: x.measuredMeanInUse / x.servers })),
  );
  const saturatedAtStep = resources.some(
    (x) => x.measuredMeanInUse >= 0.95 * x.servers || x.measuredMeanWaiting >= 1,
  );
  const fmt = (n: number | null) => (n === null ? 'none' : n.toLocaleString('en-US'));
  const inUse = resources
    .map(
      (x) =>
        `${x.name} ${x.measuredMeanInUse.toFixed(1)} of ${x.servers} in use (model ${x.predictedInUse.toFixed(1)})`,
    )
    .join(', ');
  const sentence =
    `Checked against this machine today: predicted knee ${fmt(byModel.knee)} users` +
    `${byModel.bottleneck ? ` (${byModel.bottleneck} fills)` : ''}, measured ${saturatedAtStep ? 'at most ' : ''}${fmt(
      saturatedAtStep ? Math.min(r.users, byMachine.knee ?? r.users) : byMachine.knee,
    )} users${byMachine.bottleneck ? ` (${byMachine.bottleneck} fills)` : ''}: ${r.scenario} under ${r.policy.name} at ${r.users.toLocaleString('en-US')} users for ${r.durationSeconds} s, ${inUse || 'no pool or upstream samples'}.`;
  return {
    scenario: r.scenario,
    policy: r.policy.name,
    users: r.users,
    run: r.id,
    resources,
    predictedKnee: byModel.knee,
    predictedBottleneck: byModel.bottleneck,
    measuredKnee: saturatedAtStep ? Math.min(r.users, byMachine.knee ?? r.users) : byMachine.knee,
    measuredBottleneck: byMachine.bottleneck,
    saturatedAtStep,
    sentence,
  };
}
