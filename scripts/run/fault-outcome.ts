import type { SeriesSample } from '../../core/run-record.ts';
import { poolRecovery } from '../../simulator/index.ts';
import type { MergedK6 } from '../k6/aggregate.ts';
import { checkAcknowledgedMessages } from './integrity.ts';

/**
 * After the load: with a fault, how it went (errors by kind, acknowledged messages lost, whether the
 * target answers and the last fifth of the run is nearly error-free) goes into `faultInfo`; without one,
 * lost acknowledged messages go into `notes`.
 */
export async function recordFaultOutcome(
  fault: string | undefined,
  faultInfo: Record<string, unknown>,
  databaseUrl: string | undefined,
  merged: MergedK6,
  series: SeriesSample[],
  targetHealthy: boolean | null,
  notes: string[],
): Promise<void> {
  if (fault) {
    const integrity = databaseUrl
      ? await checkAcknowledgedMessages(databaseUrl, merged.ackedMessageIds)
      : null;
    const tail = series.slice(Math.floor(series.length * 0.8));
    const tailRequests = tail.reduce((n, s) => n + s.requests, 0);
    const tailErrors = tail.reduce(
      (n, s) => n + Object.values(s.endpoints).reduce((e, x) => e + x.errors, 0),
      0,
    );
    faultInfo.errorsByKind = merged.errorsByKind;
    faultInfo.integrity = integrity;
    faultInfo.recovered = targetHealthy === true && tailRequests > 0 && tailErrors / tailRequests < 0.05;
    faultInfo.targetHealthyAfter = targetHealthy;
    faultInfo.lastFifthErrorRate = tailRequests === 0 ? null : tailErrors / tailRequests;
    // A burst that filled the pool: did it drain back to calm, or stay full (metastable-load.ts)?
    if (fault === 'pool-burst' && typeof faultInfo.atSeconds === 'number') {
      const end = faultInfo.atSeconds + Number(faultInfo.lengthSeconds ?? 0);
      faultInfo.poolRecovery = poolRecovery(series, end);
    }
  } else if (merged.ackedMessageIds.length > 0 && databaseUrl) {
    const integrity = await checkAcknowledgedMessages(databaseUrl, merged.ackedMessageIds);
    if (integrity.missing > 0) notes.push(`integrity: ${integrity.missing} acknowledged messages missing`);
  }
}
