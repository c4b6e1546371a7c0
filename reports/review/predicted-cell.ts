import type { Prediction, ResourceName } from '../../simulator/index.ts';
import type { PredictedCell, ResourceCell } from './review-types.ts';

function resourceCell(p: Prediction, name: ResourceName): ResourceCell | null {
  const r = p.resources.find((x) => x.name === name);
  if (!r) return null;
  return {
    servers: r.servers,
    offeredLoad: r.offeredLoad,
    utilisation: r.utilisation,
    meanWaitMs: r.meanWaitMs,
    p95WaitMs: r.p95WaitMs,
    saturated: r.saturated,
  };
}

/** The figures the review shows for one prediction (one policy at one number of users). */
export function predictedCell(p: Prediction): PredictedCell {
  const w = p.workload;
  return {
    users: p.users,
    policy: p.policy,
    syncsPerSecond: w.syncsPerSecond,
    queriesPerSecond: w.queriesPerSecond,
    requestsPerSecond: w.requestsPerSecond,
    messagesPerSecond: w.messagesPerSecond,
    queriesPerSync: w.queriesPerSync,
    dbPool: resourceCell(p, 'db.pool'),
    upstream: resourceCell(p, 'upstream.sockets'),
    dbCpu: resourceCell(p, 'db.cpu'),
    p95ByEndpoint: Object.fromEntries(p.endpoints.map((e) => [e.endpoint, e.p95Ms])),
    errorShare: p.errorShare,
    rateLimitedShare: p.rateLimitedShare,
    timeoutShare: p.timeoutShare,
    monthlyUsd: p.cost?.monthlyUsd ?? null,
    cheapestUsd: p.cheapest?.monthlyUsd ?? null,
    cheapestConfig: p.cheapest
      ? `${p.cheapest.plan} / ${p.cheapest.compute}, pool ${p.cheapest.poolSize}`
      : p.noConfiguration
        ? `none meets the targets (${p.noConfiguration.bindingResource ?? p.noConfiguration.reason} fails on ${p.noConfiguration.compute})`
        : null,
    calibrated: p.calibrated,
    extrapolation: p.extrapolation.beyond2x ? p.extrapolation.note : null,
  };
}
