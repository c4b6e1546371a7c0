import type { Uncertainty } from '../../simulator/index.ts';
import { derivationOf } from './derivation.ts';
import { kneeBandNotes, kneeMethodSentence, kneeQuantile, num, usd, usersLabel } from './format.ts';
import type { Decision, Review } from './review-types.ts';

// The parts of report.html that come from the sensitivity and uncertainty analysis: the opening
// picture, each verdict's derivation, the what-if and the tornado / flip point / Monte Carlo tables.

const e = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Styles of these parts (appended to the page's). */
export const UNCERTAINTY_STYLE = `
details.derivation { margin-top: 4px; font-size: 12px; } details.derivation summary { cursor: pointer; color: #345; }
details.derivation ol { margin: 4px 0 0 16px; padding: 0; } details.derivation li { margin: 1px 0; }
#what-if-controls .vega-bind { margin: 3px 0; font-size: 13px; } #what-if-controls .vega-bind-name { display: inline-block; min-width: 420px; }
#what-if-controls input[type=range] { width: 220px; vertical-align: middle; }
.opening { font-size: 15px; }
`;

/** The derivation of one cell as an HTML <details> (inputs → rule → value, with sources). */
export function derivationHtml(review: Review, d: Decision): string {
  const x = derivationOf(review, d);
  const list = (items: string[]): string => `<ol>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ol>`;
  return (
    '<details class="derivation"><summary>derivation</summary>' +
    `<b>inputs</b>${list(x.inputs)}<b>rule</b> (simulator/decision-rule.ts)${list(x.rule)}` +
    `<b>value</b><p>${e(x.value)}</p>` +
    (x.flips.length > 0
      ? `<b>what flips it</b>${list(x.flips)}`
      : '<b>what flips it</b><p>no assumption within its range</p>') +
    `<b>sources</b>${list(x.sources)}</details>`
  );
}

/** The opening: the knee band figure (SVG) and the calibration sentence. */
export function openingHtml(review: Review, svgs: Record<string, string>): string {
  const band = review.charts.find((c) => c.id === 'knee-band');
  const figure = band
    ? `<figure class="chart" id="chart-${e(band.id)}">${svgs[band.id] ?? ''}<figcaption>${e(band.caption)}</figcaption></figure>`
    : '';
  const mc = review.uncertainty?.monteCarlo;
  const notes = mc ? kneeBandNotes(mc.knees, review.uncertainty?.flipPoints ?? [], review.scales) : [];
  return `${figure}${notes.map((n) => `<p class="opening">${e(n)}</p>`).join('')}<p class="opening" id="calibration"><strong>Calibration.</strong> ${e(review.calibrationSentence)}</p>`;
}

/** The vega runtime and the compiled what-if, for {@link whatIfHtml}. */
export interface WhatIfPage {
  /** The compiled vega spec of review.whatIf. */
  vegaSpec: object;
  /** vega's browser build, inlined. */
  script: string;
}

/** The interactive what-if: sliders and the live verdicts, one inline script, no network. */
export function whatIfHtml(review: Review, page: WhatIfPage | null): string {
  if (!review.whatIf || !page) return '';
  // Inline script: no "</script" may appear inside it; JSON gets "<" escaped.
  const script = page.script.replace(/<\/script/gi, '<\\/script');
  const spec = JSON.stringify(page.vegaSpec).replace(/</g, '\\u003c');
  return `<h2 id="s-what-if">What if</h2>
<p>${e(review.whatIf.caption)}</p>
<div id="what-if-controls"></div>
<div id="what-if-chart"></div>
<script>${script}</script>
<script>
(function () {
  var view = new vega.View(vega.parse(${spec}), { renderer: 'svg', container: '#what-if-chart', bind: '#what-if-controls', hover: true });
  view.runAsync();
  window.whatIfView = view;
})();
</script>`;
}

function kneeText(k: { users: number | null; unbounded: boolean }): string {
  if (k.users === null) return 'none';
  return k.unbounded ? `≥ ${num(k.users)}` : num(k.users);
}

/** Tornado, flip points and Monte Carlo tables. */
export function uncertaintyHtml(u: Uncertainty | null, scales: readonly number[]): string {
  if (!u) return '<h2 id="s-uncertainty">Sensitivity and uncertainty</h2><p>Skipped (--no-sensitivity).</p>';
  const mc = u.monteCarlo;
  const mcRows = mc.knees
    .map((k) => {
      const costs = mc.costs.filter((c) => c.policy === k.policy);
      return (
        `<tr><td>${e(k.policy)}</td><td class="n">${kneeQuantile(k.p10)}</td><td class="n">${kneeQuantile(k.p50)}</td><td class="n">${kneeQuantile(k.p90)}</td><td class="n">${num(k.base)}</td>` +
        scales
          .map((s) => {
            const c = costs.find((x) => x.users === s);
            return `<td class="n">${c ? `${usd(c.p10)} / ${usd(c.p50)} / ${usd(c.p90)}` : '-'}</td>`;
          })
          .join('') +
        '</tr>'
      );
    })
    .join('\n');
  // The surface: the users at which the first resource reaches its ceiling (queues at one user, per
  // draw), scaled to the exact base knee, with what that does not explain added per assumption.
  const check = ` ${kneeMethodSentence(mc)}`;
  const tornadoRows = u.tornadoes
    .flatMap((t) =>
      t.bars.map(
        (b) =>
          `<tr><td>${e(t.policy)}</td><td>${e(b.dial)}${b.choice ? ' <small>(a choice)</small>' : ''}<br><small>${e(b.label)}</small></td>` +
          `<td class="n">${num(b.low, 3)} – ${num(b.base, 3)} – ${num(b.high, 3)} ${e(b.unit)}</td>` +
          `<td class="n">${kneeText(b.kneeAtLow)}</td><td class="n">${kneeText(t.baseKnee)}</td><td class="n">${kneeText(b.kneeAtHigh)}</td>` +
          `<td class="n">${b.cost.map((c) => `${usersLabel(c.users)}: ${usd(c.low)} – ${usd(c.high)}`).join('<br>')}</td></tr>`,
      ),
    )
    .join('\n');
  const flipRows = u.flipPoints
    .filter((f) => f.flips.length > 0)
    .map(
      (f) =>
        `<tr><td>${usersLabel(f.users)}</td><td>${e(f.policy)}</td><td>${e(f.baseVerdict)}</td><td>${e(f.dial)}</td><td>${e(f.summary)}</td></tr>`,
    )
    .join('\n');
  const never = u.flipPoints.filter((f) => f.flips.length === 0).length;
  return `<h2 id="s-uncertainty">Sensitivity and uncertainty</h2>
<h3>Monte Carlo over the assumptions' ranges</h3>
<p>${num(mc.draws)} draws, seed ${mc.seed}; within each range: ${e(mc.distribution)}.${e(check)}</p>
<table id="monte-carlo"><thead><tr><th>policy</th><th>knee P10</th><th>P50</th><th>P90</th><th>base</th>${scales.map((s) => `<th>cost at ${usersLabel(s)} (P10 / P50 / P90)</th>`).join('')}</tr></thead><tbody>
${mcRows}
</tbody></table>
<h3>Flip points: where a verdict turns within an assumption's range</h3>
<p>Each assumption moved alone over its range, the others at base; the value found by bisection on the decision rule (to 0.1%). ${num(never)} verdict × assumption pairs never turn within the range.</p>
<table id="flip-points"><thead><tr><th>scale</th><th>policy</th><th>verdict at base</th><th>assumption</th><th>flip</th></tr></thead><tbody>
${flipRows || '<tr><td colspan="5">no verdict turns within any range</td></tr>'}
</tbody></table>
<h3>Tornado: the knee (and the monthly cost) with one assumption at its low and at its high</h3>
<table id="tornado"><thead><tr><th>policy</th><th>assumption</th><th>low – base – high</th><th>knee at low</th><th>knee at base</th><th>knee at high</th><th>cost at low – at high</th></tr></thead><tbody>
${tornadoRows}
</tbody></table>`;
}
