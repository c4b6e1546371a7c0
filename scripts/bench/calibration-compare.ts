import { median } from 'simple-statistics';
import type { Calibration, CalibrationRun, Prediction } from '../../simulator/index.ts';
import { otherCoresOf, runQueriesPerSecond, stolenCoresOf } from '../../simulator/index.ts';

// The calibration bench's comparison of predicted and measured held-out levels, as printed lines
// (pure: the bench prints them).

/** The done-when's bound on relative error. */
export const TOLERANCE = 0.15;

/** Endpoints whose p95 is compared (the sync's three request kinds). */
export const ENDPOINTS = ['rest.conversations', 'rest.messages', 'rest.push'] as const;

/** Relative error of a prediction against a measurement. */
export function rel(predicted: number | null, measured: number): number | null {
  return predicted === null || measured <= 0 ? null : (predicted - measured) / measured;
}

/** A relative error as a signed percentage. */
export function pct(x: number | null): string {
  return x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** PASS within the tolerance, else FAIL. */
export function verdict(x: number | null): string {
  return x !== null && Math.abs(x) <= TOLERANCE ? 'PASS' : 'FAIL';
}

/** The runs of one load level (its replicates), as loaded from the bench folder. */
export type Level = (CalibrationRun & { dir: string })[];

/** Median over a level's replicates of a per-run figure (NaN when no run has it). */
export function medianOf(level: Level, f: (run: CalibrationRun) => number | undefined): number {
  const xs = level.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
  return xs.length === 0 ? Number.NaN : median(xs);
}

/** Measured p95 of an endpoint at a level: the median of its replicates' p95. */
export function levelP95(level: Level, endpoint: string): number {
  return medianOf(level, (r) => r.record.endpoints[endpoint]?.p95);
}

/**
 * A level's database activity (median of the replicates that recorded it; checkpoints and autovacuum
 * passes summed): its size beside shared_buffers and the share of pages found there, or null.
 */
export function databaseActivity(level: Level): string | null {
  const runs = level.filter((r) => r.record.database);
  if (runs.length === 0) return null;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const d = (r: CalibrationRun) => r.record.database!;
  const sum = (f: (r: CalibrationRun) => number) => runs.reduce((n, r) => n + f(r), 0);
  return `size ${mb(median(runs.map((r) => d(r).sizeBytes)))} (shared_buffers ${mb(d(runs[0]!).sharedBuffersBytes)}), buffer hit ratio ${median(runs.map((r) => d(r).hitRatio ?? Number.NaN)).toFixed(3)}, ${median(runs.map((r) => d(r).blocksRead / r.record.durationSeconds)).toFixed(0)} pages read/s, ${sum((r) => d(r).checkpoints)} checkpoint(s), ${sum((r) => d(r).autovacuums)} autovacuum/analyze pass(es) over ${runs.length} run(s)`;
}

/** Measured and predicted figures of one held-out level, printed as lines; returns whether all pass. */
export function compare(
  level: Level,
  p: Prediction,
  des: Prediction | null,
): { lines: string[]; pass: boolean } {
  const first = level[0]!.record;
  const lines: string[] = [];
  let pass = true;
  const measuredQps = medianOf(level, (r) => runQueriesPerSecond(r.record));
  const predictedQps = p.workload.syncQueriesPerSecond;
  const measuredSyncs = medianOf(level, (r) => r.record.iterations.rate);
  const predictedSyncs = p.workload.syncsPerSecond;
  const e1 = rel(predictedSyncs, measuredSyncs);
  const e2 = rel(predictedQps, measuredQps);
  pass &&= verdict(e1) === 'PASS' && verdict(e2) === 'PASS';
  lines.push(`${first.users} users (held out): ${level.map((r) => r.record.id).join(', ')}`);
  lines.push(
    `  throughput  syncs/s   measured ${measuredSyncs.toFixed(2).padStart(8)}  predicted ${predictedSyncs.toFixed(2).padStart(8)}  ${pct(e1).padStart(7)}  ${verdict(e1)}`,
  );
  lines.push(
    `  throughput  queries/s measured ${measuredQps.toFixed(1).padStart(8)}  predicted ${predictedQps.toFixed(1).padStart(8)}  ${pct(e2).padStart(7)}  ${verdict(e2)}`,
  );
  for (const endpoint of ENDPOINTS) {
    const m = levelP95(level, endpoint);
    const e = p.endpoints.find((x) => x.endpoint === endpoint);
    if (!Number.isFinite(m) || !e) continue;
    const err = rel(e.p95Ms, m);
    pass &&= verdict(err) === 'PASS';
    const each = level.map((r) => (r.record.endpoints[endpoint]?.p95 ?? Number.NaN).toFixed(2)).join(', ');
    const count = level.reduce((n, r) => n + (r.record.endpoints[endpoint]?.count ?? 0), 0);
    const mean = medianOf(level, (r) => r.record.endpoints[endpoint]?.mean);
    const d = des?.endpoints.find((x) => x.endpoint === endpoint);
    lines.push(
      `  p95 ${endpoint.padEnd(19)} measured ${m.toFixed(2).padStart(8)}  predicted ${(e.p95Ms ?? Number.NaN).toFixed(2).padStart(8)}  ${pct(err).padStart(7)}  ${verdict(err)}   (ms; median of replicates ${each}; ${count} requests; mean ${mean.toFixed(2)} vs ${(e.meanMs ?? Number.NaN).toFixed(2)}${d ? `; DES p95 ${(d.p95Ms ?? Number.NaN).toFixed(2)}` : ''})`,
    );
  }
  const kinds = Object.keys(first.queryKinds)
    .filter((k) => k.startsWith('select.'))
    .map((k) => `${k} ${medianOf(level, (r) => r.record.queryKinds[k]?.meanMs).toFixed(3)} ms`);
  lines.push(`  statement means measured (median of replicates): ${kinds.join(', ')}`);
  const host = p.resources.find((x) => x.name === 'host.cpu');
  const cores = (
    r: CalibrationRun,
    pick: (c: NonNullable<CalibrationRun['record']['cpu']>) => { cpuSeconds: number } | null,
  ) => {
    const c = r.record.cpu;
    const x = c ? pick(c) : null;
    return c && x ? x.cpuSeconds / Math.max(1e-9, c.windowSeconds) : undefined;
  };
  if (level.some((r) => r.record.cpu)) {
    const part = (pick: Parameters<typeof cores>[1]): string =>
      medianOf(level, (r) => cores(r, pick)).toFixed(2);
    lines.push(
      `  host CPU: measured ${part((c) => c.host)} of ${first.machine.cores} cores (target ${part((c) => c.target)}, database ${part((c) => c.database)}, k6 ${part((c) => c.loadGenerator)})${host ? `, predicted ${host.offeredLoad.toFixed(2)} (utilisation ${(host.utilisation * 100).toFixed(0)}%, P(wait) ${host.probabilityOfWaiting.toFixed(2)})` : ''}`,
    );
  }
  const chains = measuredChains(level);
  if (host?.chains && chains)
    lines.push(
      `  syncs in flight: measured ${chains.inFlight.toFixed(2)} (a sync ${chains.syncMs.toFixed(1)} ms), predicted ${host.chains.inFlight.toFixed(2)} (${host.chains.syncMs.toFixed(1)} ms)`,
    );
  if (level.some((r) => otherCoresOf(r.record) !== null)) {
    const each = level.map((r) => {
      const other = otherCoresOf(r.record);
      const stolen = stolenCoresOf(r.record);
      const steal = stolen === null ? '' : ` (${stolen.toFixed(2)} stolen)`;
      return other === null ? 'n/a' : `${other.toFixed(2)}${steal}`;
    });
    lines.push(`  other load on the host per replicate, cores: ${each.join(', ')}`);
  }
  const pool = p.resources.find((x) => x.name === 'db.pool')!;
  const busy = level.flatMap((r) => r.series.filter((x) => x.pool).map((x) => x.pool!.inUse));
  lines.push(
    `  db.pool busy: measured mean ${(busy.reduce((a, b) => a + b, 0) / Math.max(1, busy.length)).toFixed(2)} (max ${Math.max(0, ...busy)}), predicted ${pool.offeredLoad.toFixed(2)} of ${pool.servers}`,
  );
  return { lines, pass };
}

export function describeCalibration(cal: Calibration): string[] {
  const lines = ['calibration:'];
  if (cal.cpu) {
    const c = cal.cpu;
    lines.push(
      `  cpu target ms/request ${Object.entries(c.appMsPerRequest)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(', ')}`,
    );
    lines.push(`    ${c.app.source}`);
    lines.push(`  cpu database ${c.database.perUnit.toFixed(3)} × statement time; ${c.database.source}`);
    lines.push(`  cpu k6 ${c.loadGenerator.perUnit.toFixed(3)} ms/request; ${c.loadGenerator.source}`);
    lines.push(
      c.chains
        ? `  rig as chains: k6's gap between a sync's requests ${c.chains.gapMsPerRequest.toFixed(3)} ms; ${c.chains.source}`
        : '  rig wait: M/M/c processor sharing (no chains)',
    );
    lines.push(
      `  cpu other load on the host ${c.otherCores.toFixed(3)} cores (mean over the fit runs), rig ${c.rigCores} cores`,
    );
  }
  for (const [k, b] of Object.entries(cal.baseLatency ?? {}))
    lines.push(
      b.fade
        ? `  base latency ${k.padEnd(19)} median ${b.medianMs.toFixed(3)} + ${b.fade.medianMs.toFixed(1)}/r ms, p95 ${b.p95Ms.toFixed(3)} + ${b.fade.p95Ms.toFixed(1)}/r ms (r requests/s, measured ${b.fade.minRequestsPerSecond.toFixed(0)}-${b.fade.maxRequestsPerSecond.toFixed(0)})`
        : `  base latency ${k.padEnd(19)} median ${b.medianMs.toFixed(3)} ms, p95 ${b.p95Ms.toFixed(3)} ms (flat)`,
    );
  for (const [k, d] of Object.entries(cal.demands))
    if (d.source.startsWith('calibrated')) lines.push(`  demand ${k.padEnd(19)} ${d.meanMs.toFixed(3)} ms`);
  for (const [k, v] of Object.entries(cal.requestOverheadMs))
    lines.push(`  overhead ${k.padEnd(17)} ${v.toFixed(3)} ms`);
  lines.push(`  connection overhead ${cal.connectionOverheadMs} ms`);
  for (const n of cal.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** The measured chains of a level: syncs in flight (rate × mean sync duration) and the duration, medians. */
export function measuredChains(level: Level): { inFlight: number; syncMs: number } | null {
  const withDuration = level.filter((r) => r.record.iterations.meanDurationMs !== undefined);
  if (withDuration.length === 0) return null;
  const it = (r: CalibrationRun) => r.record.iterations;
  return {
    inFlight: median(withDuration.map((r) => (it(r).rate * it(r).meanDurationMs!) / 1000)),
    syncMs: median(withDuration.map((r) => it(r).meanDurationMs!)),
  };
}
