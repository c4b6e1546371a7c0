import type { Config } from 'vega-lite';
import { CHART_FONT_FAMILY } from '../render/chart-font.ts';

/** A chart of the review: a stable id (file name), a title, and its vega-lite spec. */
export interface ChartSpec {
  /** File-name-safe id, e.g. `connection-usage`; the SVG and PNG are `<id>.svg` / `<id>.png`. */
  id: string;
  title: string;
  /** What the chart shows and where its numbers come from, printed under it. */
  caption: string;
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's TopLevelSpec union is too deep to narrow usefully here
  spec: any;
}

/** Width of one chart panel in pixels (fits a report column and a PR comment image). */
export const PANEL_WIDTH = 520;
/** Height of one chart panel in pixels. */
export const PANEL_HEIGHT = 260;

/** Colour of each policy, the same in every chart (unknown policies get the scheme's next colours). */
export const POLICY_COLORS: Record<string, string> = {
  current: '#d62728',
  fixed: '#1f77b4',
  scale: '#2ca02c',
};

/** Colour scale for a `policy` field: known policies keep their colour, in a stable order. */
export function policyColorScale(policies: readonly string[]): { domain: string[]; range: string[] } {
  const extra = ['#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const domain = [...new Set(policies)].sort(byPolicyOrder);
  let next = 0;
  const range = domain.map((p) => POLICY_COLORS[p] ?? extra[next++ % extra.length]!);
  return { domain, range };
}

/** Orders current, fixed, scale first, then anything else alphabetically. */
export function byPolicyOrder(a: string, b: string): number {
  const order = ['current', 'fixed', 'scale'];
  const ia = order.indexOf(a);
  const ib = order.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/** Shared vega-lite config: the bundled font, white background, quiet axes. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT_FAMILY,
  background: 'white',
  padding: 8,
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 4,
    labelLimit: 240,
  },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#ccc' },
};

/** Wraps a spec body with the schema, the shared config and a title. */
// biome-ignore lint/suspicious/noExplicitAny: see ChartSpec.spec
export function withTheme(title: string, subtitle: string, body: Record<string, any>): any {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    config: CHART_CONFIG,
    ...body,
  };
}

/**
 * A users axis for log scales: ticks at the user counts that occur (1k, 10k, 100k in the review)
 * labelled in SI form, instead of vega's crowded log ticks.
 */
export function usersAxis(users: readonly number[]): { values: number[]; format: string; title: string } {
  const values = [...new Set(users.filter((u) => u > 0))].sort((a, b) => a - b);
  return { values, format: '~s', title: 'users' };
}

/** Dash pattern per policy, so lines of policies that predict the same load stay distinguishable. */
export function policyDashScale(policies: readonly string[]): { domain: string[]; range: number[][] } {
  const patterns = [
    [1, 0],
    [8, 4],
    [3, 3],
    [12, 3, 3, 3],
  ];
  const domain = [...new Set(policies)].sort(byPolicyOrder);
  return { domain, range: domain.map((_, i) => patterns[i % patterns.length]!) };
}
