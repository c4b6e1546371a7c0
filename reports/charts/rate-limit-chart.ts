import { type ChartSpec, PANEL_WIDTH, withTheme } from './chart-theme.ts';
import { emptyChartSpec } from './empty-chart.ts';

/** Outcomes of /api/message for one user class under one policy (measured or predicted). */
export interface RateLimitOutcome {
  policy: string;
  /** User class, e.g. `free legitimate`, `free abusive`, `paid legitimate`. */
  userClass: string;
  outcome: 'accepted' | 'rate limited (429)' | 'error';
  count: number;
  source: 'predicted' | 'measured';
}

const OUTCOMES = ['accepted', 'rate limited (429)', 'error'];

/** Share of accepted, rate-limited and failed /api/message requests per user class, one row per policy. */
export function rateLimitChart(outcomes: readonly RateLimitOutcome[]): ChartSpec {
  const id = 'rate-limit-outcome';
  const title = 'Rate-limit outcome by user class';
  const caption =
    'Share of /api/message requests accepted, refused with 429, or failed, per user class and policy. ' +
    'Legitimate users should see no 429s; abusive users should be held to their per-user limit.';
  const usable = outcomes.filter((o) => o.count > 0);
  if (usable.length === 0) return { id, title, caption, spec: emptyChartSpec(title, 'no rate-limit data') };
  const values = usable.map((o) => ({ ...o, row: `${o.policy} (${o.source})` }));
  const rows = [...new Set(values.map((v) => v.row))].sort((a, b) => a.localeCompare(b));
  const spec = withTheme(title, 'share of requests per outcome', {
    data: { values },
    facet: {
      row: {
        field: 'row',
        type: 'nominal',
        title: null,
        sort: rows,
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold' },
      },
    },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: PANEL_WIDTH - 120,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'userClass', type: 'nominal', title: null },
        x: {
          field: 'count',
          type: 'quantitative',
          stack: 'normalize',
          title: 'share of requests',
          axis: { format: '%' },
        },
        color: {
          field: 'outcome',
          type: 'nominal',
          title: null,
          scale: { domain: OUTCOMES, range: ['#2ca02c', '#ff7f0e', '#d62728'] },
        },
        order: { field: 'outcomeOrder', type: 'quantitative' },
      },
      transform: [{ calculate: `indexof(${JSON.stringify(OUTCOMES)}, datum.outcome)`, as: 'outcomeOrder' }],
    },
  });
  return { id, title, caption, spec };
}
