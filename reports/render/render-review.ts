import { mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reviewHtml } from '../review/review-html.ts';
import { reviewMarkdown } from '../review/review-markdown.ts';
import type { Review } from '../review/review-types.ts';
import { renderSvg, svgToPng } from './render-chart.ts';
import { compileToVega, vegaBrowserScript } from './vega-runtime.ts';

/** The files of a review, rendered in memory. */
export interface RenderedReview {
  html: string;
  markdown: string;
  /** data.json: the review object, every number the report shows. */
  json: string;
  charts: { id: string; svg: string; png: Buffer }[];
}

/** Renders every chart (SVG and PNG) and the HTML, Markdown and JSON of a review. */
export async function renderReview(review: Review): Promise<RenderedReview> {
  const charts = [];
  for (const chart of review.charts) {
    const svg = await renderSvg(chart.spec);
    charts.push({ id: chart.id, svg, png: svgToPng(svg) });
  }
  const svgs = Object.fromEntries(charts.map((c) => [c.id, c.svg]));
  const whatIf = review.whatIf
    ? { vegaSpec: await compileToVega(review.whatIf.spec), script: vegaBrowserScript() }
    : null;
  return {
    html: reviewHtml(review, { svgs, whatIf }),
    markdown: reviewMarkdown(review),
    json: `${JSON.stringify(review, null, 2)}\n`,
    charts,
  };
}

/**
 * Writes a rendered review into `dir` (report.html, report.md, data.json, charts/<id>.svg|png) and
 * points `<parent>/latest` at it: a symlink, or a `latest` text file holding the path where
 * symlinks are not allowed. Files go to a temporary folder first, so nothing is half-written.
 */
export function writeReview(dir: string, rendered: RenderedReview): { dir: string; latest: string } {
  const target = resolve(dir);
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'charts'), { recursive: true });
  writeFileSync(join(staging, 'report.html'), rendered.html);
  writeFileSync(join(staging, 'report.md'), rendered.markdown);
  writeFileSync(join(staging, 'data.json'), rendered.json);
  for (const c of rendered.charts) {
    writeFileSync(join(staging, 'charts', `${c.id}.svg`), c.svg);
    writeFileSync(join(staging, 'charts', `${c.id}.png`), c.png);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return { dir: target, latest: pointLatest(target) };
}

/** Points `<parent>/latest` at `dir` (relative symlink; a text file with the folder name as fallback). */
export function pointLatest(dir: string): string {
  const latest = join(dir, '..', 'latest');
  const name = dir.split('/').pop()!;
  let isLink = false;
  try {
    readlinkSync(latest);
    isLink = true;
  } catch {}
  rmSync(latest, { force: true, recursive: !isLink });
  try {
    symlinkSync(name, latest, 'dir');
  } catch {
    writeFileSync(latest, `${name}\n`);
  }
  return resolve(latest);
}
