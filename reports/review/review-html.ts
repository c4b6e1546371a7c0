import { DEFAULT_MAX_WAIT_PROBABILITY } from '../../simulator/index.ts';
import { CHART_FONT_STACK } from '../render/chart-font.ts';
import { budgetOf } from './decide.ts';
import { kneeSentence, ms, num, pct, usd, usersLabel } from './format.ts';
import type { Decision, PredictedCell, ResourceCell, Review } from './review-types.ts';
import type { WhatIfPage } from './uncertainty-html.ts';
import {
  derivationHtml,
  openingHtml,
  UNCERTAINTY_STYLE,
  uncertaintyHtml,
  whatIfHtml,
} from './uncertainty-html.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

const STYLE = `
body { font-family: ${CHART_FONT_STACK}; margin: 0 auto; max-width: 1180px; padding: 24px; color: #222; line-height: 1.4; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; width: 100%; }
th, td { border: 1px solid #ddd; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.GO { background: #e3f4e3; } .NO-GO { background: #fbe3e3; }
.badge { font-weight: bold; display: inline-block; padding: 1px 6px; border-radius: 3px; }
.badge.GO { color: #1b5e20; } .badge.NO-GO { color: #b71c1c; }
.holds { color: #1b5e20; font-weight: bold; } .falls-short { color: #b71c1c; font-weight: bold; } .not-verified { color: #8a6d00; font-weight: bold; }
ul.reasons { margin: 4px 0 0 16px; padding: 0; } ul.reasons li { margin: 1px 0; }
.caveat { color: #666; font-style: italic; }
figure { margin: 20px 0; padding: 12px; border: 1px solid #e5e5e5; border-radius: 4px; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: #444; margin-top: 6px; }
.box { background: #f8f8f8; border-left: 4px solid #999; padding: 8px 12px; margin: 12px 0; font-size: 14px; }
.headline li { font-size: 16px; margin: 2px 0; }
code { font-size: 12px; }
`;

function resourceText(r: ResourceCell | null): string {
  if (!r) return '-';
  const wait = r.saturated ? 'wait unbounded' : `wait p95 ${ms(r.p95WaitMs)}`;
  return `${pct(r.utilisation, 0)} of ${num(r.servers)} · ${wait}`;
}

function decisionCell(review: Review, d: Decision | undefined): string {
  if (!d) return '<td>-</td>';
  const reasons = d.reasons.map((r) => `<li>${e(r)}</li>`).join('');
  const caveats = d.caveats.map((c) => `<li class="caveat">${e(c)}</li>`).join('');
  return (
    `<td class="${d.decision}"><span class="badge ${d.decision}">${d.decision}</span> <small>(${e(d.evidence)})</small>` +
    (reasons || caveats ? `<ul class="reasons">${reasons}${caveats}</ul>` : '') +
    derivationHtml(review, d) +
    '</td>'
  );
}

function decisionsTable(review: Review): string {
  const head = review.policies.map((p) => `<th>${e(p)}</th>`).join('');
  const rows = review.scales
    .map((users) => {
      const cells = review.policies
        .map((policy) =>
          decisionCell(
            review,
            review.decisions.find((d) => d.users === users && d.policy === policy),
          ),
        )
        .join('');
      return `<tr><th>${usersLabel(users)} users</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="go-no-go"><thead><tr><th>scale</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function verdictClass(v: string): string {
  return v.replace(/ /g, '-');
}

function readinessTable(review: Review): string {
  const scaleHead = review.scales.map((s) => `<th>${usersLabel(s)}</th>`).join('');
  const rows = review.readiness
    .map((t) => {
      const values = t.byPolicy.map((b) => `<b>${e(b.policy)}</b>: ${e(b.value)}`).join('<br>');
      const scales = review.scales
        .map((users) => {
          const s = t.perScale.find((x) => x.users === users);
          if (!s) return '<td>-</td>';
          return `<td><span class="${verdictClass(s.verdict)}">${e(s.verdict)}</span> <small>(${e(s.policy)})</small><br><small>${e(s.reason)}</small></td>`;
        })
        .join('');
      return `<tr><th>${e(t.target)}</th><td>${e(t.reportSays)}</td><td>${values}</td>${scales}<td><span class="${verdictClass(t.verdict)}">${e(t.verdict)}</span></td></tr>`;
    })
    .join('\n');
  return (
    `<table id="readiness"><thead><tr><th>target</th><th>the report says</th><th>configured</th>${scaleHead}<th>verdict</th></tr></thead>` +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

function predictedTable(review: Review): string {
  const rows = review.predicted
    .map(
      (c: PredictedCell) =>
        `<tr><td>${usersLabel(c.users)}</td><td>${e(c.policy)}</td><td class="n">${num(c.syncsPerSecond)}</td>` +
        `<td class="n">${num(c.queriesPerSecond)}</td><td class="n">${num(c.queriesPerSync, 1)}</td>` +
        `<td>${e(resourceText(c.dbPool))}</td><td>${e(resourceText(c.upstream))}</td><td>${e(resourceText(c.dbCpu))}</td>` +
        `<td class="n">${pct(c.errorShare, 2)}</td><td class="n">${pct(c.rateLimitedShare, 2)}</td>` +
        `<td class="n">${usd(c.monthlyUsd)}</td><td class="n">${usd(c.cheapestUsd)}</td><td>${e(c.cheapestConfig ?? 'none meets the targets')}</td></tr>`,
    )
    .join('\n');
  return (
    '<table id="predicted"><thead><tr><th>users</th><th>policy</th><th>syncs/s</th><th>queries/s</th><th>queries/sync</th>' +
    '<th>database pool (utilisation · wait)</th><th>upstream sockets</th><th>database CPU</th><th>errors</th><th>429</th>' +
    '<th>cost, this config</th><th>cost, cheapest meeting targets</th><th>cheapest config</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

function latencyTable(review: Review): string {
  const endpoints = [...new Set(review.predicted.flatMap((c) => Object.keys(c.p95ByEndpoint)))].sort();
  const head = endpoints
    .map((ep) => `<th>${e(ep)}<br><small>budget ${ms(budgetOf(review.targets, ep))}</small></th>`)
    .join('');
  const rows = review.predicted
    .map((c) => {
      const cells = endpoints
        .map((ep) => {
          const v = c.p95ByEndpoint[ep];
          const over = v === null || (v !== undefined && v > budgetOf(review.targets, ep));
          return `<td class="n${over ? ' NO-GO' : ''}">${v === undefined ? '-' : ms(v)}</td>`;
        })
        .join('');
      return `<tr><td>${usersLabel(c.users)}</td><td>${e(c.policy)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="p95"><thead><tr><th>users</th><th>policy</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function measuredTable(review: Review): string {
  if (review.measured.length === 0)
    return '<p>No run records were found or made (see what was skipped above).</p>';
  const rows = review.measured
    .map((r) => {
      const p95 = Object.entries(r.p95ByEndpoint)
        .map(([k, v]) => `${e(k)} ${ms(v)}`)
        .join('<br>');
      const pool = r.pool
        ? `max ${num(r.pool.maxInUse)} / ${num(r.pool.size)} · mean ${num(r.pool.meanInUse)} · max waiting ${num(r.pool.maxWaiting)}`
        : '-';
      return (
        `<tr><td><code>${e(r.id)}</code></td><td>${e(r.scenario)}</td><td class="n">${num(r.users)}</td><td>${e(r.policy)}</td>` +
        `<td class="n">${num(r.durationSeconds)} s</td><td class="n">${num(r.syncsPerSecond)}</td><td class="n">${num(r.queriesPerSecond)}</td>` +
        `<td class="n">${num(r.queriesPerSync, 1)}</td><td>${e(pool)}</td><td>${p95}</td><td class="n">${pct(r.errorRate, 2)}</td>` +
        `<td class="n">${pct(r.rateLimitedRate, 2)}</td><td class="n">${num(r.droppedIterations)}</td></tr>`
      );
    })
    .join('\n');
  return (
    '<table id="measured"><thead><tr><th>run</th><th>scenario</th><th>users</th><th>policy</th><th>duration</th><th>syncs/s</th>' +
    '<th>queries/s</th><th>queries/sync</th><th>pool (in use / size)</th><th>p95 per endpoint</th><th>errors</th><th>429</th><th>dropped</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

function claimsTable(review: Review): string {
  if (review.claims.length === 0) return '<p>No claims were evaluated.</p>';
  const rows = review.claims
    .map(
      (c) =>
        `<tr><td>${e(c.claim)}<br><small>${e(c.source)}</small></td><td>${e(c.claimed)}</td>` +
        `<td>${e(c.underOwnAssumptions)}<br><small>${e(c.ownWorking)}</small></td>` +
        `<td>${e(c.underProfile)}<br><small>${e(c.profileWorking)}</small></td><td><b>${e(c.verdict)}</b><br><small>${e(c.reason)}</small></td></tr>`,
    )
    .join('\n');
  return (
    '<table id="claims"><thead><tr><th>claim</th><th>claimed</th><th>computed under its own assumptions</th>' +
    `<th>computed for this profile</th><th>verdict</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
  );
}

function assumptionsTable(review: Review): string {
  const rows = review.assumptions
    .map((a) => `<tr><td>${e(a.what)}</td><td>${e(a.value)}</td><td><small>${e(a.source)}</small></td></tr>`)
    .join('\n');
  return `<table id="assumptions"><thead><tr><th>what</th><th>value</th><th>source</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function kneeText(review: Review): string {
  if (review.knees.length === 0) return '';
  const items = review.knees.map((k) => `<li>${e(kneeSentence(k))}</li>`).join('');
  return `<p id="knees"><b>Most users meeting every budget (predicted):</b></p><ul>${items}</ul>`;
}

function liveBox(review: Review): string {
  const ran = review.live.ran.map((r) => `<li>${e(r)}</li>`).join('');
  const skipped = review.live.skipped.map((s) => `<li><b>${e(s.what)}</b>: ${e(s.why)}</li>`).join('');
  const mode =
    review.live.mode === 'no-live'
      ? 'Simulator and existing run records only (<code>--no-live</code>).'
      : 'Simulator plus a short live calibration on the local target.';
  return (
    `<div class="box" id="live"><b>Evidence.</b> ${mode}` +
    (ran ? `<br>Ran:<ul>${ran}</ul>` : '<br>') +
    (skipped ? `Skipped:<ul>${skipped}</ul>` : '') +
    `Model ${review.calibration.calibrated ? `calibrated from ${review.calibration.runs.map(e).join(', ')}` : 'uncalibrated: service demands are the named defaults'}.</div>`
  );
}

/** Options of {@link reviewHtml}. */
export interface HtmlOptions {
  /** Rendered SVG of each chart by chart id (inlined, so the page needs no server or network). */
  svgs: Record<string, string>;
  /** The what-if's compiled vega spec and vega's browser build, inlined (absent: no what-if). */
  whatIf?: WhatIfPage | null;
}

/**
 * The review as one self-contained HTML page: inline CSS and SVG charts, the what-if's inline vega
 * script, no external files.
 */
export function reviewHtml(review: Review, options: HtmlOptions): string {
  const figures = review.charts
    // The knee band opens the page (openingHtml).
    .filter((c) => c.id !== 'knee-band')
    .map((c) => {
      const svg = options.svgs[c.id] ?? `<p>chart ${e(c.id)} was not rendered</p>`;
      return (
        `<figure class="chart" id="chart-${e(c.id)}">${svg}<figcaption>${e(c.caption)} ` +
        `<a href="charts/${e(c.id)}.svg">SVG</a> · <a href="charts/${e(c.id)}.png">PNG</a></figcaption></figure>`
      );
    })
    .join('\n');
  const headline = review.headline.map((h) => `<li>${e(h)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(review.title)}</title>
<style>${STYLE}${UNCERTAINTY_STYLE}</style>
</head>
<body>
<h1>${e(review.title)}</h1>
<p class="meta">Generated ${e(review.generatedAt)} · commit ${e(review.commit ?? 'unknown')} · profile <code>${e(review.profile)}</code> · policies ${review.policies.map(e).join(', ')}</p>
${review.load ? `<p class="load"><strong>The load.</strong> ${e(review.load)}</p>` : ''}
${openingHtml(review, options.svgs)}
<h2 id="s-decisions">GO / NO-GO by scale and policy</h2>
<p>GO means no resource saturates or runs above ${pct(review.targets.maxUtilisation, 0)} utilisation while a request's Erlang C chance of waiting for it exceeds ${DEFAULT_MAX_WAIT_PROBABILITY} (simulator/decision-rule.ts), every endpoint's p95 is within its budget and errors stay under ${pct(review.targets.errorShare, 1)}; a run record at the same scale and policy must agree. Budgets: ${e(review.targets.source)}</p>
${decisionsTable(review)}
<ul class="headline">${headline}</ul>
${stressHtml(review)}
<nav class="meta"><a href="#s-decisions">GO / NO-GO by scale and policy</a> · <a href="#s-what-if">What if</a> · <a href="#s-uncertainty">Sensitivity and uncertainty</a> · <a href="#s-readiness">Readiness targets</a> · <a href="#s-predicted">Predicted load, pools and cost</a> · <a href="#s-measured">Measured runs</a> · <a href="#s-charts">Charts</a> · <a href="#s-claims">Claims of the seed documents</a> · <a href="#s-assumptions">Assumptions and their sources</a></nav>
${kneeText(review)}
${review.kneeCheck ? `<p id="knee-check"><b>${e(review.kneeCheck.sentence)}</b></p>` : ''}
${liveBox(review)}
${whatIfHtml(review, options.whatIf ?? null)}
<h2 id="s-readiness">Readiness targets (launch-readiness-report.md)</h2>
<p>Each target is judged for the policy that carries the report's fix at that scale (its "Target (10k)" column for 1k and 10k, "Target (100k)" for 100k).</p>
${readinessTable(review)}
<h2 id="s-predicted">Predicted load, pools and cost</h2>
${predictedTable(review)}
<h3>p95 latency per endpoint (predicted)</h3>
${latencyTable(review)}
<h2 id="s-measured">Measured runs</h2>
${measuredTable(review)}
${uncertaintyHtml(review.uncertainty, review.scales)}
<h2 id="s-charts">Charts</h2>
${figures}
<h2 id="s-claims">Claims of the seed documents</h2>
${claimsTable(review)}
<h2 id="s-assumptions">Assumptions and their sources</h2>
${assumptionsTable(review)}
<p class="meta">Every number on this page is in data.json beside it.</p>
</body>
</html>
`;
}

function stressHtml(review: Review): string {
  if (review.stress.length === 0) return '';
  const rows = review.stress
    .map(
      (r) =>
        `<li>${e(r.policy)} at ${r.users.toLocaleString('en-US')}: <strong>${r.verdict}</strong>; the per-user limit rejects ${(r.abusiveRejectedShare * 100).toFixed(0)}% of abusive calls${r.reasons[0] ? ` (${e(r.reasons[0])})` : ''}</li>`,
    )
    .join('');
  return `<p class="meta">Stress case (not in the verdicts above): ${e(review.stress[0]!.label)}</p><ul>${rows}</ul>`;
}
