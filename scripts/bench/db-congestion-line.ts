import { median } from 'simple-statistics';
import type { RunRecord, SeriesSample } from '../../core/run-record.ts';
import { rigDatabaseCores, runDbCongestion } from '../../simulator/index.ts';

// The database's congestion cost inside each replicate of a bench level (simulator/db-congestion-seconds.ts):
// its CPU a request in the calm seconds against the congested ones, one machine state, and the κ that
// ratio implies beside the model's. The evidence for db-congestion.ts's dial, on every bench. Printed
// beside the verdict, never part of it. Pure.

/** One line: each replicate's calm → congested database CPU a request and its κ, their median, the model's κ. */
export function dbCongestionLine(
  runs: readonly { record: RunRecord; series: readonly SeriesSample[] }[],
  modelPerBusyConnection: number,
): string {
  const kappas: number[] = [];
  const each = runs.map(({ record, series }, i) => {
    const c = runDbCongestion(series, rigDatabaseCores(record.machine.cores, record.machine.dbCores));
    if (!c) return `r${i + 1} not both calm and congested`;
    if (c.perBusyConnection !== null) kappas.push(c.perBusyConnection);
    const pct = (c.ratio - 1) * 100;
    const kappa = c.perBusyConnection === null ? 'κ n/a' : `κ ${c.perBusyConnection.toFixed(3)}`;
    return `r${i + 1} ${c.calm.databaseMsPerRequest.toFixed(3)} → ${c.congested.databaseMsPerRequest.toFixed(3)} ms (${pct >= 0 ? '+' : ''}${pct.toFixed(0)} %; ${c.calm.busyConnections.toFixed(1)} → ${c.congested.busyConnections.toFixed(1)} busy, ${c.calm.seconds} / ${c.congested.seconds} s; ${kappa})`;
  });
  const summary = kappas.length > 0 ? `; median κ ${median(kappas).toFixed(3)}` : '';
  return `  database CPU a request, calm → congested seconds inside each replicate (beside the verdict): ${each.join(', ')}${summary} (the model's κ ${modelPerBusyConnection.toFixed(3)})`;
}
