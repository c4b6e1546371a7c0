import { ms, num, pct } from './format.ts';
import type { Decision, PredictedCell, ResourceCell, Review } from './review-types.ts';

/** How one verdict cell was reached: the inputs, the rule applied to them, the value, and what flips it. */
export interface Derivation {
  inputs: string[];
  rule: string[];
  value: string;
  /** The assumptions that turn this verdict within their range, and where (from the flip points). */
  flips: string[];
  sources: string[];
}

function resource(name: string, r: ResourceCell | null): string | null {
  if (!r) return null;
  return (
    `${name}: ${num(r.servers)} servers, offered ${num(r.offeredLoad, 1)} busy = ${pct(r.utilisation, 0)} utilisation` +
    (r.saturated ? ', saturated' : `, wait p95 ${ms(r.p95WaitMs)}`)
  );
}

/**
 * The derivation of one GO/NO-GO cell (inputs → rule → value, with sources), from the review's own
 * numbers: the load, the predicted cell, the targets, the decision and the flip points.
 */
export function derivationOf(review: Review, d: Decision): Derivation {
  const cell: PredictedCell | undefined = review.predicted.find(
    (c) => c.users === d.users && c.policy === d.policy,
  );
  const inputs: string[] = [];
  if (review.load) inputs.push(`load: ${review.load}`);
  if (cell) {
    inputs.push(
      `${num(d.users)} registered users → ${num(cell.syncsPerSecond, 1)} syncs/s, ${num(cell.messagesPerSecond, 1)} messages/s, ${num(cell.queriesPerSecond)} queries/s`,
    );
    for (const line of [
      resource('database pool', cell.dbPool),
      resource('upstream sockets', cell.upstream),
      resource('database CPU', cell.dbCpu),
    ])
      if (line) inputs.push(line);
    const p95 = Object.entries(cell.p95ByEndpoint)
      .map(([k, v]) => `${k} ${v === null ? 'unbounded' : ms(v)}`)
      .join(', ');
    inputs.push(`p95: ${p95}; errors ${pct(cell.errorShare, 2)}`);
  }
  const t = review.targets;
  const rule = [
    'no resource saturated (offered load below its servers)',
    `headroom: utilisation ≤ ${pct(t.maxUtilisation, 0)}, or for a large pool P(wait) ≤ ${t.maxWaitProbability ?? 0.05} (Erlang C)`,
    `every endpoint's p95 within its budget (${Object.entries(t.p95Ms)
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(', ')})`,
    `errors ≤ ${pct(t.errorShare, 1)}`,
    'and no steady run record at this scale and policy says otherwise',
  ];
  const value =
    d.decision === 'GO'
      ? `GO: every criterion holds (${d.evidence})`
      : `NO-GO (${d.evidence}): ${d.reasons.join('; ')}`;
  const flipping = (review.uncertainty?.flipPoints ?? []).filter(
    (f) => f.users === d.users && f.policy === d.policy && f.flips.length > 0,
  );
  const flips = flipping.map((f) => `${f.dial}: ${f.summary}`);
  // The budgets, and the assumptions that can turn this cell; every other input is in the assumptions table.
  const sources = [
    `budgets: ${t.source}`,
    ...review.modelAssumptions
      .filter((a) => flipping.some((f) => f.dial === a.name))
      .map((a) => `${a.name} = ${num(a.value, 3)} ${a.unit}: ${a.source}`),
    'every other input: the assumptions table below',
  ];
  return { inputs, rule, value, flips, sources };
}
