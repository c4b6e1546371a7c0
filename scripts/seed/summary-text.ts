import type { SeedSummary } from './types.ts';

/** The human-readable seed summary (the `--json` form is the object itself). */
export function formatSeedSummary(s: SeedSummary): string {
  const lines = [
    `seeded ${s.profile}: ${s.users} users, seed ${s.seed}, as of ${s.asOf}, ${s.schema} schema, ${s.workers} workers`,
    `database ${s.database}`,
  ];
  const width = Math.max(...Object.keys(s.tables).map((t) => t.length));
  for (const [table, t] of Object.entries(s.tables)) {
    lines.push(`  ${table.padEnd(width)} ${String(t.rows).padStart(11)} rows  checksum ${t.checksum}`);
  }
  lines.push(`  ${'total'.padEnd(width)} ${String(s.totalRows).padStart(11)} rows`);
  const phases = Object.entries(s.phases)
    .map(([k, v]) => `${k} ${v}s`)
    .join(', ');
  lines.push(`${s.seconds}s (${phases}), ${s.rowsPerSecond} rows/s`);
  lines.push(s.scale.note);
  lines.push(`users export: ${s.exportPath}`);
  return lines.join('\n');
}
