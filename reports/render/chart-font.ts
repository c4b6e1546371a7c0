import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Family every chart is drawn with; the same font file is handed to resvg so PNGs match everywhere. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

/** CSS font stack for the HTML page and inline SVGs (browsers without DejaVu fall back to sans-serif). */
export const CHART_FONT_STACK = `'${CHART_FONT_FAMILY}', 'Bitstream Vera Sans', Verdana, sans-serif`;

/**
 * Path of DejaVu Sans from the `dejavu-fonts-ttf` npm package (Bitstream Vera licence, free to
 * redistribute): installed with the project, so no system font decides how a PNG looks.
 */
export const CHART_FONT_FILE: string = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** Bold face of the same family, for titles. */
export const CHART_FONT_BOLD_FILE: string = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
