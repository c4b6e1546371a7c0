import {
  type ChartSpec,
  PANEL_HEIGHT,
  policyColorScale,
  policyDashScale,
  usersAxis,
  withTheme,
} from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** p95 latency of one endpoint at some number of users under one policy. */
export interface LatencyPoint {
  users: number;
  policy: string;
  endpoint: string;
  /** p95 in ms; null when the model says the resource is saturated (no steady state: unbounded). */
  p95Ms: number | null;
  source: 'predicted' | 'measured';
}

/**
 * p95 vs users per policy, one panel per endpoint, with the latency budget as a red rule. Saturated
 * points (unbounded p95) are drawn at the top of the scale as triangles so they are not lost.
 */
export function p95VsUsersChart(
  points: readonly LatencyPoint[],
  budgets: Readonly<Record<string, number>> & { default: number },
): ChartSpec {
  const budgetOf = (endpoint: string) => budgets[endpoint] ?? budgets.default;
  const id = 'p95-vs-users';
  const title = 'p95 latency vs users';
  const caption =
    `p95 per endpoint and policy: lines are predictions, diamonds measurements; the red line is the ` +
    `endpoint's latency budget (default ${budgets.default} ms). Triangles at the top mark saturation (no steady state: p95 grows without bound).`;
  const usable = points.filter((p) => p.users > 0 && (p.p95Ms === null || p.p95Ms > 0));
  if (usable.length === 0) return { id, title, caption, spec: emptyChartSpec(title, 'no latency data') };
  const finite = usable.flatMap((p) => (p.p95Ms === null ? [] : [p.p95Ms]));
  // Saturated points sit one decade above everything else (and above the budget) on the log scale.
  const ceiling =
    10 ** Math.ceil(Math.log10(Math.max(...usable.map((p) => budgetOf(p.endpoint)), ...finite) * 2));
  const values = usable.map((p) => ({
    ...p,
    value: p.p95Ms ?? ceiling,
    state: p.p95Ms === null ? 'saturated' : 'steady',
    budget: budgetOf(p.endpoint),
  }));
  const endpoints = [...new Set(values.map((v) => v.endpoint))].sort();
  const color = policyColorScale(values.map((v) => v.policy));
  const dash = policyDashScale(values.map((v) => v.policy));
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: { type: 'log', domainMax: ceiling },
    title: 'p95 (ms)',
  };
  const spec = withTheme(title, "red: the endpoint's latency budget · ▲ saturated", {
    data: { values },
    facet: { field: 'endpoint', type: 'nominal', title: null, sort: endpoints },
    columns: 3,
    spec: {
      width: 250,
      height: PANEL_HEIGHT * 0.6,
      layer: [
        {
          transform: [{ filter: "datum.source === 'predicted'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x: {
              field: 'users',
              type: 'quantitative',
              scale: { type: 'log' },
              axis: usersAxis(values.map((p) => p.users)),
            },
            y,
            color: { field: 'policy', type: 'nominal', scale: color, title: 'policy' },
            strokeDash: { field: 'policy', type: 'nominal', scale: dash, title: 'policy' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x: { field: 'users', type: 'quantitative' },
            y,
            color: { field: 'policy', type: 'nominal', scale: color },
            shape: {
              field: 'marker',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['predicted', 'measured', 'saturated'],
                range: ['circle', 'diamond', 'triangle-up'],
              },
            },
          },
          transform: [
            {
              calculate: "datum.state === 'saturated' ? 'saturated' : datum.source",
              as: 'marker',
            },
          ],
        },
        {
          mark: { type: 'rule', color: '#d62728', strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { y: { field: 'budget', type: 'quantitative', aggregate: 'max' } },
        },
      ],
    },
  });
  return { id, title, caption, spec };
}
