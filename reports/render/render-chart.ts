import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT_BOLD_FILE, CHART_FONT_FAMILY, CHART_FONT_FILE } from './chart-font.ts';

/**
 * Renders a vega-lite spec to an SVG string headless: vega's View with renderer 'none' (no canvas,
 * no DOM), so text is measured by vega's built-in estimate and the output is the same on every machine.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega and vega-lite take ~0.5 s to import, which every other command would pay.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Options of `svgToPng`. */
export interface PngOptions {
  /** Pixel density multiplier (2 = twice the SVG's size, crisp on high-DPI screens). */
  scale?: number;
}

/**
 * Rasterises an SVG with resvg using only the bundled DejaVu Sans (system fonts are never loaded),
 * so the PNG is byte-for-byte the same on every machine for the same SVG.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      fontFiles: [CHART_FONT_FILE, CHART_FONT_BOLD_FILE],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}
