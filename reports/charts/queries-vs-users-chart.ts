import {
  type ChartSpec,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  policyColorScale,
  policyDashScale,
  usersAxis,
  withTheme,
} from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** Database queries per second at some number of users under one policy. */
export interface QueriesPoint {
  users: number;
  policy: string;
  queriesPerSecond: number;
  source: 'predicted' | 'measured';
}

/** The database's throughput ceiling under a policy (queries/s), drawn as a horizontal line. */
export interface CapacityLine {
  policy: string;
  queriesPerSecond: number;
  label: string;
}

/** Queries/s vs users per policy (log-log), measured points over predicted lines, with the database capacity. */
export function queriesVsUsersChart(
  points: readonly QueriesPoint[],
  capacity: readonly CapacityLine[],
): ChartSpec {
  const id = 'queries-vs-users';
  const title = 'Database queries per second vs users';
  const caption =
    'Offered database queries per second by policy: lines are predictions, filled points are measurements ' +
    "from run records; dashed lines are the database's estimated throughput ceiling per policy.";
  const positive = points.filter((p) => p.queriesPerSecond > 0 && p.users > 0);
  if (positive.length === 0) return { id, title, caption, spec: emptyChartSpec(title, 'no predictions') };
  const color = policyColorScale(positive.map((p) => p.policy));
  const dash = policyDashScale(positive.map((p) => p.policy));
  const spec = withTheme(title, 'lines: predicted · points: measured · dashed: database capacity', {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: [
      {
        data: { values: positive.filter((p) => p.source === 'predicted') },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'users',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: usersAxis(positive.map((p) => p.users)),
          },
          y: { field: 'queriesPerSecond', type: 'quantitative', scale: { type: 'log' }, title: 'queries/s' },
          color: { field: 'policy', type: 'nominal', scale: color, title: 'policy' },
          strokeDash: { field: 'policy', type: 'nominal', scale: dash, title: 'policy' },
        },
      },
      {
        data: { values: positive.filter((p) => p.source === 'measured') },
        mark: { type: 'point', filled: true, size: 90, shape: 'diamond', stroke: 'black', strokeWidth: 1 },
        encoding: {
          x: { field: 'users', type: 'quantitative' },
          y: { field: 'queriesPerSecond', type: 'quantitative' },
          color: { field: 'policy', type: 'nominal', scale: color },
        },
      },
      ...capacityRows(capacity).flatMap((row, i) => [
        {
          data: { values: [row] },
          mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5, color: '#444' },
          encoding: { y: { field: 'queriesPerSecond', type: 'quantitative' } },
        },
        {
          // Labels alternate above and below their line so close capacities stay readable.
          data: { values: [row] },
          mark: {
            type: 'text',
            align: 'left',
            dx: 4,
            dy: i % 2 === 0 ? -7 : 9,
            fontSize: 10,
            x: 0,
            color: '#444',
          },
          encoding: {
            y: { field: 'queriesPerSecond', type: 'quantitative' },
            text: { field: 'label', type: 'nominal' },
          },
        },
      ]),
    ],
  });
  return { id, title, caption, spec };
}

/** One rule per distinct capacity value, labelled with every policy that shares it. */
function capacityRows(capacity: readonly CapacityLine[]): { queriesPerSecond: number; label: string }[] {
  const byValue = new Map<number, CapacityLine[]>();
  for (const c of capacity) {
    if (!(c.queriesPerSecond > 0)) continue;
    const key = Math.round(c.queriesPerSecond);
    byValue.set(key, [...(byValue.get(key) ?? []), c]);
  }
  return [...byValue.entries()].map(([value, lines]) => ({
    queriesPerSecond: value,
    label: `${lines[0]!.label} (${lines.map((l) => l.policy).join(', ')})`,
  }));
}
