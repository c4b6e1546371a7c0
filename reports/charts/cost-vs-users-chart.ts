import type { SeedCostEstimate } from '../../simulator/index.ts';
import {
  type ChartSpec,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  policyColorScale,
  usersAxis,
  withTheme,
} from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

const COST_TICKS = [0, 10, 100, 1000, 10_000, 100_000];

/** Predicted monthly cost (USD) of the cheapest configuration meeting the targets, per policy. */
export interface CostPoint {
  users: number;
  policy: string;
  usdPerMonth: number;
}

/** Monthly cost vs users per policy (log x), with the seed documents' own estimates overlaid as symbols. */
export function costVsUsersChart(
  points: readonly CostPoint[],
  estimates: readonly SeedCostEstimate[],
): ChartSpec {
  const id = 'cost-vs-users';
  const title = 'Monthly cost vs users';
  const caption =
    'Predicted monthly infrastructure cost (USD) per policy, from the pricing fixtures, against the ' +
    'estimates the seed documents state (black symbols): where they differ, the table of claims says why.';
  const usable = points.filter((p) => p.users > 0 && Number.isFinite(p.usdPerMonth));
  if (usable.length === 0) return { id, title, caption, spec: emptyChartSpec(title, 'no cost predictions') };
  const color = policyColorScale(usable.map((p) => p.policy));
  const labels = [...new Set(estimates.map((e) => e.label))];
  const spec = withTheme(title, 'lines: predicted per policy · black symbols: seed documents', {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    resolve: { scale: { color: 'independent', shape: 'independent' } },
    layer: [
      {
        data: { values: usable },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'users',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: usersAxis(usable.map((p) => p.users)),
          },
          y: {
            field: 'usdPerMonth',
            type: 'quantitative',
            title: 'USD per month (symlog)',
            // symlog: costs span $0 to tens of thousands, and a log scale cannot show the seeds' $0.
            scale: { type: 'symlog', constant: 10 },
            axis: {
              values: COST_TICKS,
              labelOverlap: false,
              labelExpr:
                "datum.value >= 1000 ? '$' + format(datum.value / 1000, ',~r') + 'k' : '$' + datum.value",
            },
          },
          color: { field: 'policy', type: 'nominal', scale: color, title: 'policy' },
        },
      },
      {
        data: { values: estimates.filter((e) => e.users > 0) },
        mark: { type: 'point', size: 90, filled: false, strokeWidth: 2, color: 'black' },
        encoding: {
          x: { field: 'users', type: 'quantitative' },
          y: { field: 'usdPerMonth', type: 'quantitative' },
          shape: {
            field: 'label',
            type: 'nominal',
            title: 'seed estimate',
            scale: { domain: labels, range: ['square', 'cross', 'triangle-down', 'diamond', 'circle'] },
          },
        },
      },
    ],
  });
  return { id, title, caption, spec };
}
