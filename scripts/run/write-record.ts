import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, type RunRecord, type SeriesSample } from '../../core/run-record.ts';

/**
 * Writes the run folder's series, raw latencies per endpoint and run.json (last, so a folder holding
 * run.json is complete), then removes the per-segment raw outputs (k6.json.gz holds them).
 */
export function writeRunFolder(
  dir: string,
  record: RunRecord,
  series: SeriesSample[],
  latency: Record<string, number[]>,
  rawFiles: string[],
): void {
  writeFileSync(join(dir, RUN_FILES.series), JSON.stringify(series));
  for (const [name, durations] of Object.entries(latency)) {
    writeFileSync(
      join(dir, RUN_FILES.latencyDir, `${name.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`),
      JSON.stringify(durations),
    );
  }
  writeFileSync(join(dir, RUN_FILES.record), JSON.stringify(record, null, 2) + '\n');
  for (const f of rawFiles) rmSync(f, { force: true });
}
