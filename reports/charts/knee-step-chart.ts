import { type ChartSpec, PANEL_HEIGHT, PANEL_WIDTH, withTheme } from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** One second of the knee step: share of a pooled resource in use (measured). */
export interface KneeStepPoint {
  t: number;
  resource: string;
  /** Percent of the resource's servers in use this second. */
  inUsePercent: number;
}

/** The model's mean share in use of each resource at the step's users, percent. */
export interface KneeStepPredicted {
  resource: string;
  inUsePercent: number;
}

/**
 * The knee step: per second, the share of the database pool and of the upstream sockets in use on this
 * machine, with the model's mean for the same users as a dashed rule per resource.
 */
export function kneeStepChart(
  points: readonly KneeStepPoint[],
  predicted: readonly KneeStepPredicted[],
  subtitle: string,
): ChartSpec {
  const id = 'knee-step';
  const title = 'Checked against this machine today: the pools at one step';
  const caption =
    'Share of the database pool and of the upstream sockets in use each second of one short step ' +
    '(measured by the collector from /metrics), with the model’s mean for the same users (dashed), ' +
    'predicted before the step ran.';
  if (points.length === 0) return { id, title, caption, spec: emptyChartSpec(title, 'no knee step ran') };
  const values = [
    ...points.map((p) => ({ ...p, source: 'measured' })),
    ...predicted.map((p) => ({ ...p, source: 'predicted' })),
  ];
  const spec = withTheme(title, subtitle, {
    data: { values },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    encoding: {
      color: { field: 'resource', type: 'nominal', title: null },
    },
    layer: [
      {
        transform: [{ filter: "datum.source === 'measured'" }],
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds' },
          y: { field: 'inUsePercent', type: 'quantitative', title: '% in use', scale: { domain: [0, 100] } },
        },
      },
      {
        transform: [{ filter: "datum.source === 'predicted'" }],
        mark: { type: 'rule', strokeDash: [6, 4] },
        encoding: { y: { field: 'inUsePercent', type: 'quantitative' } },
      },
    ],
  });
  return { id, title, caption, spec };
}
