import { type ChartSpec, PANEL_HEIGHT, withTheme } from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** One panel of the connection-usage chart: a measured run or a simulated policy at some users. */
export interface ConnectionUsagePanel {
  /** Panel heading, e.g. `measured: delta-sync 1000u fixed` or `simulated: current 10k`. */
  label: string;
  source: 'measured' | 'simulated';
  /** Per-second samples: connections in use and requests waiting for one. */
  points: { t: number; inUse: number; waiting: number }[];
  /** Size of the pool the requests draw from. */
  poolSize: number;
  /** The database's connection limit (max_connections of the plan). */
  dbLimit: number;
}

const METRICS = ['in use', 'waiting', 'pool size', 'database limit'];
const METRIC_COLORS = ['#1f77b4', '#ff7f0e', '#555555', '#d62728'];

/** Connection usage over time: in use and waiting vs the pool size and the database's limit, per panel. */
export function connectionUsageChart(panels: readonly ConnectionUsagePanel[]): ChartSpec {
  const id = 'connection-usage';
  const title = 'Connection usage over time';
  const caption =
    'Pooled connections in use and requests waiting for one, per second, against the pool size and the ' +
    "database plan's connection limit. Measured panels come from run records (the target's /metrics); " +
    'simulated panels from the discrete-event model.';
  const nonEmpty = panels.filter((p) => p.points.length > 0);
  if (nonEmpty.length === 0) {
    return { id, title, caption, spec: emptyChartSpec(title, 'no run record or simulation series') };
  }
  const values = nonEmpty.flatMap((panel) =>
    panel.points.flatMap((p) => [
      { panel: panel.label, t: p.t, metric: 'in use', value: p.inUse },
      { panel: panel.label, t: p.t, metric: 'waiting', value: p.waiting },
      { panel: panel.label, t: p.t, metric: 'pool size', value: panel.poolSize },
      { panel: panel.label, t: p.t, metric: 'database limit', value: panel.dbLimit },
    ]),
  );
  const spec = withTheme(title, 'in use and waiting vs pool size and database limit', {
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: nonEmpty.map((p) => p.label) },
    columns: 2,
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 250,
      height: PANEL_HEIGHT * 0.6,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'seconds' },
        // symlog: a saturated pool's queue (thousands waiting) and a pool of 10 stay readable in one panel.
        y: {
          field: 'value',
          type: 'quantitative',
          title: 'connections (symlog)',
          scale: { type: 'symlog', constant: 1 },
          axis: {
            values: [0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000],
            labelExpr: "datum.value >= 1000 ? format(datum.value / 1000, '~r') + 'k' : datum.value",
          },
        },
        color: {
          field: 'metric',
          type: 'nominal',
          title: null,
          scale: { domain: METRICS, range: METRIC_COLORS },
        },
        strokeDash: {
          field: 'metric',
          type: 'nominal',
          title: null,
          scale: {
            domain: METRICS,
            range: [
              [1, 0],
              [1, 0],
              [6, 3],
              [2, 2],
            ],
          },
        },
      },
    },
  });
  return { id, title, caption, spec };
}
