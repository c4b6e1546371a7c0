import { type ChartSpec, policyColorScale, withTheme } from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** One policy's knee over the Monte Carlo: P10, P50, P90 and the base value, in users. */
export interface KneeBand {
  policy: string;
  p10: number;
  p50: number;
  p90: number;
  base: number;
}

/**
 * Users each policy carries before its first budget breaks: a P10–P90 band per policy (the Monte
 * Carlo over the assumptions' ranges), its median and the base value, against the reviewed scales.
 */
export function kneeBandChart(
  bands: readonly KneeBand[],
  scales: readonly number[],
  draws: number,
): ChartSpec {
  const id = 'knee-band';
  const title = 'Users each policy carries before its first budget breaks';
  const caption =
    `Bar: P10–P90 of the knee (the largest number of users the decision rule accepts) over ${draws.toLocaleString('en-US')} ` +
    'Monte Carlo draws of the assumptions within their ranges; tick: median; dot: every assumption at its base. ' +
    'Vertical lines: the scales reviewed. A band left of a line is NO-GO there in most draws. ' +
    "A band from the left edge marked 'none passes': in at least 10% of draws no number of users passes.";
  if (bands.length === 0 || scales.length === 0)
    return { id, title, caption, spec: emptyChartSpec(title, 'no sensitivity analysis (--no-sensitivity)') };
  const sorted = [...scales].sort((a, b) => a - b);
  // A knee of 0 (no load passes) does not stretch the axis: it is drawn at the left edge, labelled.
  const lo = Math.min(sorted[0]! / 10, ...bands.filter((b) => b.p10 > 0).map((b) => b.p10));
  const hi = Math.max(sorted[sorted.length - 1]! * 10, ...bands.map((b) => b.p90));
  const domain = [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
  const clamp = (x: number): number => Math.min(domain[1]!, Math.max(domain[0]!, x));
  const values = bands.map((b) => ({
    policy: b.policy,
    none: b.p10 <= 0,
    p10: clamp(b.p10),
    p50: clamp(b.p50),
    p90: clamp(b.p90),
    base: clamp(b.base),
  }));
  const color = policyColorScale(values.map((v) => v.policy));
  const x = {
    type: 'quantitative' as const,
    scale: { type: 'log', domain },
    axis: { format: '~s', title: 'users (log scale)' },
  };
  const spec = withTheme(title, 'P10–P90 band, median tick, base dot; lines at the reviewed scales', {
    width: 520,
    height: 40 * values.length + 20,
    layer: [
      {
        data: { values: sorted.map((users) => ({ users, label: users.toLocaleString('en-US') })) },
        layer: [
          {
            mark: { type: 'rule', color: '#555', strokeDash: [4, 3] },
            encoding: { x: { field: 'users', ...x } },
          },
          {
            mark: { type: 'text', dy: -6, color: '#333', fontSize: 11, baseline: 'bottom' },
            encoding: { x: { field: 'users', ...x }, y: { value: 0 }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values },
        layer: [
          {
            mark: { type: 'bar', height: 14, opacity: 0.45 },
            encoding: {
              y: { field: 'policy', type: 'nominal', title: null, sort: color.domain },
              x: { field: 'p10', ...x },
              x2: { field: 'p90' },
              color: { field: 'policy', type: 'nominal', scale: color, legend: null },
            },
          },
          {
            mark: { type: 'tick', thickness: 3, size: 20 },
            encoding: {
              y: { field: 'policy', type: 'nominal', sort: color.domain },
              x: { field: 'p50', ...x },
              color: { field: 'policy', type: 'nominal', scale: color, legend: null },
            },
          },
          {
            // A P10 of 0 is clamped to the left edge: say so there.
            transform: [{ filter: 'datum.none' }],
            mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333' },
            encoding: {
              y: { field: 'policy', type: 'nominal', sort: color.domain },
              x: { field: 'p10', ...x },
              text: { value: '0: none passes' },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 60, color: 'black' },
            encoding: {
              y: { field: 'policy', type: 'nominal', sort: color.domain },
              x: { field: 'base', ...x },
            },
          },
        ],
      },
    ],
  });
  return { id, title, caption, spec };
}
