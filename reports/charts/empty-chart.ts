import { PANEL_HEIGHT, PANEL_WIDTH, withTheme } from './chart-theme.ts';

/** A placeholder chart that says, in the chart itself, why there is nothing to plot. */
// biome-ignore lint/suspicious/noExplicitAny: vega-lite spec (see ChartSpec.spec)
export function emptyChartSpec(title: string, reason: string): any {
  return withTheme(title, reason, {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT / 3,
    data: { values: [{ text: `No data: ${reason}` }] },
    mark: { type: 'text', fontSize: 13, color: '#666' },
    encoding: { text: { field: 'text', type: 'nominal' } },
  });
}
