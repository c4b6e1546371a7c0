import { type ChartSpec, PANEL_HEIGHT, withTheme } from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** Database queries one sync costs, full or delta, measured by a run or predicted by the model. */
export interface QueriesPerSyncBar {
  mode: 'full' | 'delta';
  queriesPerSync: number;
  source: 'measured' | 'predicted';
  /** Where the bar comes from: a run id, or the profile the prediction used. */
  label: string;
}

/** Queries per sync, full vs delta: measured bars beside the model's figure, labelled with their values. */
export function queriesPerSyncChart(bars: readonly QueriesPerSyncBar[]): ChartSpec {
  const id = 'queries-per-sync';
  const title = 'Queries per sync: full vs delta';
  const caption =
    'Database queries one client sync causes, measured on the local target (pg_stat_statements or the ' +
    "target's counters) beside the model's figure for the same profile.";
  const usable = bars.filter((b) => b.queriesPerSync >= 0);
  if (usable.length === 0)
    return { id, title, caption, spec: emptyChartSpec(title, 'no sync runs measured') };
  const values = usable.map((b) => ({ ...b, value: Math.round(b.queriesPerSync * 10) / 10 }));
  const spec = withTheme(title, 'measured (run records) vs predicted (model)', {
    data: { values },
    width: 300,
    height: PANEL_HEIGHT,
    encoding: {
      x: {
        field: 'mode',
        type: 'nominal',
        title: 'sync mode',
        sort: ['full', 'delta'],
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'source', type: 'nominal', sort: ['measured', 'predicted'] },
      y: { field: 'value', type: 'quantitative', aggregate: 'mean', title: 'queries per sync' },
      color: {
        field: 'source',
        type: 'nominal',
        title: null,
        scale: { domain: ['measured', 'predicted'], range: ['#1f77b4', '#aec7e8'] },
      },
    },
    layer: [
      { mark: { type: 'bar' } },
      {
        mark: { type: 'text', dy: -6, fontSize: 11 },
        encoding: {
          text: { field: 'value', type: 'quantitative', aggregate: 'mean', format: ',.1f' },
          color: { value: '#222' },
        },
      },
    ],
  });
  return { id, title, caption, spec };
}
