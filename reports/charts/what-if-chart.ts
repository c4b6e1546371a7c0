import type { WhatIfGrid } from '../../simulator/index.ts';
import { type ChartSpec, policyColorScale, withTheme } from './chart-theme.ts';

// The interactive what-if of report.html: one slider per dial, bound to vega-lite parameters. The
// page holds the precomputed grid (a knee per policy at every combination of the axes' levels);
// the sliders pick the nearest grid point, scale its knee by the load dials (exact: the knee in users
// goes as 1 / share online), and each verdict is GO when the scale is at or below that knee.

const num = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

/** A slider step of about 1/100 of the range that lands on the base value exactly (the page opens there). */
function step(min: number, base: number, max: number, integer: boolean): number {
  if (integer) return 1;
  if (base > min) return (base - min) / Math.max(1, Math.round((100 * (base - min)) / (max - min)));
  return (max - min) / 100;
}

/** Vega expression of an axis coordinate: log for positive levels, the value otherwise. */
function coord(expr: string, positive: boolean): string {
  return positive ? `log(${expr})` : `(${expr})`;
}

/** Parameter name of a dial's slider (a valid identifier, clear of vega's own signal names). */
export function sliderName(dial: string): string {
  return `w_${dial.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * The what-if as a vega-lite spec: sliders for the load dials (continuous) and the grid's axes
 * (snapped to the nearest level), a GO/NO-GO cell per policy × scale, and each policy's knee.
 */
export function whatIfChart(grid: WhatIfGrid): ChartSpec {
  const id = 'what-if';
  const title = 'What if: move the assumptions, see the verdicts';
  const caption =
    `Sliders: the share of users online (followed exactly: the knee in users goes as 1 / share) and ${grid.axes
      .map((a) => a.label)
      .join(
        ', ',
      )} (snapped to the nearest of ${grid.rows.length / Math.max(1, grid.policies.length)} precomputed points per policy, ` +
    `each knee searched with the decision rule to ${(grid.tolerance * 100).toFixed(0)}%). GO when the scale is at or below the knee. ` +
    'Model only: measured runs do not enter here.';
  const color = policyColorScale(grid.policies);
  const values = grid.rows.map((r) => {
    const row: Record<string, number | string | boolean | null> = {
      policy: r.policy,
      knee: r.knee,
      unbounded: r.unbounded,
    };
    r.at.forEach((v, i) => {
      row[`a${i}`] = v;
    });
    return row;
  });
  const params = [
    ...grid.load.map((l) => ({
      name: sliderName(l.dial),
      value: l.base,
      bind: {
        input: 'range',
        min: l.low,
        max: l.high,
        step: step(l.low, l.base, l.high, false),
        name: `${l.label} (${l.unit}) `,
      },
    })),
    ...grid.axes.map((a) => {
      const min = a.levels[0]!;
      const max = a.levels[a.levels.length - 1]!;
      const integer = a.levels.every(Number.isInteger) && max - min <= 20;
      return {
        name: sliderName(a.dial),
        value: a.base,
        bind: {
          input: 'range',
          min,
          max,
          step: step(min, a.base, max, integer),
          name: `${a.label} (${a.unit}) `,
        },
      };
    }),
  ];
  const distance = grid.axes
    .map((a, i) => {
      const min = a.levels[0]!;
      const max = a.levels[a.levels.length - 1]!;
      const positive = min > 0;
      const span = max > min ? num(Math.abs(positive ? Math.log(max / min) : max - min)) : '1';
      return `abs(${coord(`datum.a${i}`, positive)} - ${coord(sliderName(a.dial), positive)}) / ${span}`;
    })
    .join(' + ');
  const loadFactor =
    grid.load.map((l) => `(${num(l.base)} / max(${sliderName(l.dial)}, 1e-9))`).join(' * ') || '1';
  const snapped = [
    { calculate: distance || '0', as: 'distance' },
    {
      window: [{ op: 'row_number', as: 'rank' }],
      groupby: ['policy'],
      sort: [{ field: 'distance', order: 'ascending' }],
    },
    { filter: 'datum.rank == 1' },
    { calculate: `datum.knee == null ? 0 : datum.knee * ${loadFactor}`, as: 'kneeNow' },
  ];
  const scalesList = `[${grid.scales.map(num).join(', ')}]`;
  const verdictView = {
    width: Math.max(240, 110 * grid.policies.length),
    height: 34 * grid.scales.length,
    data: { values },
    transform: [
      ...snapped,
      { calculate: scalesList, as: 'users' },
      { flatten: ['users'] },
      {
        calculate: "datum.unbounded || (datum.knee != null && datum.users <= datum.kneeNow) ? 'GO' : 'NO-GO'",
        as: 'verdict',
      },
      { calculate: "format(datum.users, ',') + ' users'", as: 'scale' },
    ],
    encoding: {
      x: {
        field: 'policy',
        type: 'nominal',
        sort: color.domain,
        axis: { orient: 'top', title: null, labelAngle: 0, labelFontSize: 12 },
      },
      y: { field: 'scale', type: 'ordinal', sort: { field: 'users' }, title: null },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          color: { condition: { test: "datum.verdict == 'GO'", value: '#cdeccd' }, value: '#f7cfcf' },
        },
      },
      {
        mark: { type: 'text', fontSize: 14, fontWeight: 'bold' },
        encoding: {
          text: { field: 'verdict' },
          color: { condition: { test: "datum.verdict == 'GO'", value: '#1b5e20' }, value: '#b71c1c' },
        },
      },
    ],
  };
  const maxScale = Math.max(...grid.scales);
  const minScale = Math.min(...grid.scales);
  const domain = [10 ** Math.floor(Math.log10(minScale / 100)), 10 ** Math.ceil(Math.log10(maxScale * 100))];
  const decades: number[] = [];
  for (let d = domain[0]!; d <= domain[1]!; d *= 10) decades.push(d);
  const kneeView = {
    width: 420,
    height: 30 * grid.policies.length,
    data: { values },
    transform: [
      ...snapped,
      {
        calculate: `datum.unbounded ? ${domain[1]} : min(${domain[1]}, max(${domain[0]}, datum.kneeNow))`,
        as: 'kneeShown',
      },
      {
        calculate:
          "datum.unbounded ? 'no limit found' : datum.knee == null ? 'none' : format(datum.kneeNow, ',.3~r') + ' users'",
        as: 'kneeText',
      },
    ],
    encoding: {
      y: { field: 'policy', type: 'nominal', sort: color.domain, title: null },
    },
    layer: [
      {
        mark: { type: 'bar', height: 16 },
        encoding: {
          x: {
            field: 'kneeShown',
            type: 'quantitative',
            scale: { type: 'log', domain },
            axis: {
              format: '~s',
              values: decades,
              title: 'knee: most users the decision rule accepts (log scale)',
            },
          },
          x2: { datum: domain[0] },
          color: { field: 'policy', type: 'nominal', scale: color, legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { x: { field: 'kneeShown', type: 'quantitative' }, text: { field: 'kneeText' } },
      },
    ],
  };
  const spec = withTheme(title, 'drag a slider: the cells and the knees follow', {
    params,
    vconcat: [verdictView, kneeView],
    spacing: 24,
  });
  return { id, title, caption, spec };
}
