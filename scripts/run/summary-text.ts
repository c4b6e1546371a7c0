import type { RunRecord } from '../../core/run-record.ts';

function ms(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

/** A readable summary of a run record (what `atlas-cap run` prints). */
export function formatRunSummary(dir: string, r: RunRecord): string {
  const lines = [
    `run ${r.scenario} · ${r.users} users · policy ${r.policy.name} · profile ${r.profile.name} · ${r.durationSeconds} s${r.warmupSeconds ? ` after ${r.warmupSeconds} s of warm-up` : ''} · k6 ${r.k6.version} x${r.k6.segments}`,
    `iterations ${r.iterations.completed} (${r.iterations.rate.toFixed(3)}/s of ${r.iterations.targetRate.toFixed(3)}/s scheduled), dropped ${r.iterations.dropped}`,
    'endpoint               count    err%     p50     p95     p99  statuses',
  ];
  for (const [name, e] of Object.entries(r.endpoints)) {
    const statuses = Object.entries(e.statuses)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
    lines.push(
      `${name.padEnd(20)} ${String(e.count).padStart(7)} ${(e.errorRate * 100).toFixed(2).padStart(7)} ${ms(e.p50).padStart(7)} ${ms(e.p95).padStart(7)} ${ms(e.p99).padStart(7)}  ${statuses}`,
    );
  }
  for (const [name, e] of Object.entries(r.classes ?? {})) {
    lines.push(`class ${name}: ${e.count} requests, 429: ${e.statuses['429'] ?? 0}, p95 ${ms(e.p95)} ms`);
  }
  if (r.sync) {
    const { queriesPerSync: q, dbTimeMsPerSync: t } = r.sync;
    lines.push(
      `sync (${r.sync.mode}): ${q === null ? 'queries not measured' : `${q.toFixed(2)} queries`}, ${t === null ? 'DB time not measured' : `${t.toFixed(2)} ms DB`}, ${r.sync.requestsPerSync.toFixed(2)} requests per sync`,
    );
  }
  if (r.notMeasured && r.notMeasured.length > 0)
    lines.push(`not measured (the target did not expose them): ${r.notMeasured.join(', ')}`);
  if (r.status === 'interrupted') lines.push('INTERRUPTED: the figures cover only the seconds that ran');
  lines.push(
    `load generator: CPU mean ${r.loadGenerator.cpuPercentMean.toFixed(0)}% max ${r.loadGenerator.cpuPercentMax.toFixed(0)}% of one core, ${r.loadGenerator.maxVUs} VUs${r.loadGenerator.saturated ? ', SATURATED' : ''}`,
  );
  const failed = Object.entries(r.thresholds).filter(([, t]) => !t.ok);
  lines.push(
    failed.length === 0
      ? 'thresholds: all passed'
      : `thresholds failed: ${failed.map(([k]) => k).join(', ')}`,
  );
  if (r.knee)
    lines.push(`knee: ${r.knee.iterationsPerSecond} iterations/s, ${r.knee.requestsPerSecond} requests/s`);
  for (const [name, f] of Object.entries(r.faults ?? {})) lines.push(`fault ${name}: ${JSON.stringify(f)}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  lines.push(`run record: ${dir}`);
  return lines.join('\n');
}
