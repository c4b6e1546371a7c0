import type { ClaimEvaluation } from './claim.ts';
import type { Prediction } from './prediction.ts';
import type { SeedCostEstimate } from './seed-costs.ts';
import type { SimulationResult } from './simulate.ts';

// Readable tables of a simulation and of the claims (pure: a string, printed at the edge).

const num = (v: number): string =>
  !Number.isFinite(v)
    ? '∞'
    : Math.abs(v) >= 100
      ? Math.round(v).toLocaleString('en-US')
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(2);
const ms = (v: number | null): string =>
  v === null
    ? 'unbounded'
    : v >= 10_000
      ? `${(v / 1000).toFixed(0)} s`
      : v >= 1000
        ? `${(v / 1000).toFixed(1)} s`
        : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const pct = (v: number): string =>
  v >= 10 ? `${Math.round(v * 100)}%` : v >= 0.0995 ? `${Math.round(v * 100)}%` : `${(v * 100).toFixed(1)}%`;
const usd = (v: number): string => `$${Math.round(v).toLocaleString('en-US')}`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function util(p: Prediction, name: string): string {
  const r = p.resources.find((x) => x.name === name);
  if (!r) return '-';
  return `${pct(r.utilisation)}${r.saturated ? '!' : ''}`;
}

/** The predictions, knees and costs as aligned text. */
export function formatSimulation(result: SimulationResult, seedCosts: readonly SeedCostEstimate[]): string {
  const out: string[] = [];
  out.push(
    `Profile ${result.profile}, ${result.mode} model, ${result.calibration.calibrated ? `calibrated from ${result.calibration.runs.length} run(s)` : 'uncalibrated (service demands are assumptions)'}`,
  );
  out.push(`Targets: ${result.targets.source}`);
  out.push('');
  const rows = result.predictions.map((p) => {
    const sync = p.endpoints.find((e) => e.endpoint === 'sync');
    const msg = p.endpoints.find((e) => e.endpoint === 'api.message');
    const ok = p.verdict.accepted;
    return [
      p.policy,
      num(p.users),
      num(p.workload.syncsPerSecond),
      num(p.workload.queriesPerSecond),
      util(p, 'db.pool'),
      p.resources.some((r) => r.name === 'host.cpu') ? `${util(p, 'host.cpu')} host` : util(p, 'db.cpu'),
      util(p, 'upstream.sockets'),
      sync ? ms(sync.p95Ms) : '-',
      msg ? ms(msg.p95Ms) : '-',
      pct(p.errorShare),
      ok ? 'GO' : 'NO-GO',
      p.cost ? usd(p.cost.monthlyUsd) : '-',
      p.cheapest
        ? `${p.cheapest.compute}/pool ${p.cheapest.poolSize}/sockets ${p.cheapest.upstreamSockets} ${usd(p.cheapest.monthlyUsd)}`
        : p.noConfiguration
          ? `none (${p.noConfiguration.bindingResource ?? p.noConfiguration.reason} fails on ${p.noConfiguration.compute})`
          : '-',
      p.extrapolation.beyond2x ? 'yes' : p.extrapolation.ratio === null ? '-' : 'no',
    ];
  });
  out.push(
    table(
      [
        'policy',
        'users',
        'syncs/s',
        'queries/s',
        'db.pool',
        'cpu',
        'upstream',
        'sync p95',
        'msg p95',
        'errors',
        'rule',
        'policy $/mo',
        'cheapest meeting targets',
        '>2x range',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(
    'Utilisation over 100% (!) means the queue grows without bound; errors are legitimate requests failed or rate-limited.',
  );
  for (const p of result.predictions) {
    const n = p.noConfiguration;
    if (n)
      out.push(
        `  ${p.policy} at ${num(p.users)}: no configuration meets the targets; on the largest size tried (${n.compute}) ${n.reason}`,
      );
  }
  const withCost = result.predictions.filter(
    (p) => (p.cheapest || p.noConfiguration) && seedCosts.some((c) => c.users === p.users),
  );
  if (withCost.length > 0) {
    out.push('');
    out.push('Monthly cost beside the seed documents:');
    for (const users of [...new Set(withCost.map((p) => p.users))]) {
      const docs = seedCosts
        .filter((c) => c.users === users)
        .map((c) => `${usd(c.usdPerMonth)} (${c.source})`)
        .join(', ');
      const ours = withCost
        .filter((p) => p.users === users)
        .map((p) => `${p.policy} ${p.cheapest ? usd(p.cheapest.monthlyUsd) : 'none meets the targets'}`)
        .join(', ');
      out.push(`  ${num(users)} users: documents ${docs}; model, cheapest meeting the targets: ${ours}`);
    }
  }
  out.push('');
  out.push('Knee (largest users the decision rule accepts):');
  for (const k of result.knees) {
    out.push(
      `  ${k.policy.padEnd(10)} ${k.users === null ? 'none' : k.unbounded ? `> ${num(k.users)}` : num(k.users)} users; past it: ${k.limitedBy}`,
    );
  }
  const assumptions = [...new Set(result.predictions.flatMap((p) => p.assumptions))];
  if (assumptions.length > 0) {
    out.push('');
    out.push('Assumptions:');
    for (const a of assumptions) out.push(`  - ${a}`);
  }
  return `${out.join('\n')}\n`;
}

const range = (v: number | [number, number] | null): string =>
  v === null ? '-' : Array.isArray(v) ? `${num(v[0])}-${num(v[1])}` : num(v);

/** The claims table: claimed, own-assumption value, profile value, verdict and why. */
export function formatClaims(claims: ClaimEvaluation[]): string {
  const out: string[] = [];
  const rows = claims.map((c) => [
    c.id,
    `${c.document.replace(/\.md$/, '')}:${c.line}`,
    `${range(c.claimed)} ${c.unit}`,
    range(c.own.value),
    range(c.profile.value),
    c.verdict,
  ]);
  out.push(table(['claim', 'where', 'claimed', 'own assumptions', 'profile', 'verdict'], rows));
  out.push('');
  for (const c of claims) {
    out.push(`${c.id} [${c.verdict}] "${c.quote}"`);
    out.push(`    ${c.reason}`);
  }
  const counts = claims.reduce<Record<string, number>>((acc, c) => {
    acc[c.verdict] = (acc[c.verdict] ?? 0) + 1;
    return acc;
  }, {});
  out.push('');
  out.push(
    `Verdicts: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );
  return `${out.join('\n')}\n`;
}
