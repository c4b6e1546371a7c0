import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureReviewInput } from '../../test/fixtures/review/review-input.ts';
import { queriesPerSyncChart } from '../charts/queries-per-sync-chart.ts';
import { buildReview } from '../review/build-review.ts';
import { renderSvg, svgToPng } from './render-chart.ts';
import { renderReview, writeReview } from './render-review.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('headless chart rendering', () => {
  const chart = queriesPerSyncChart([
    { mode: 'full', queriesPerSync: 52, source: 'measured', label: 'a' },
    { mode: 'delta', queriesPerSync: 3, source: 'measured', label: 'b' },
  ]);

  it('renders a vega-lite spec to SVG with the bundled font family and the data labels', async () => {
    const svg = await renderSvg(chart.spec);
    expect(svg).toMatch(/^<svg [^>]*width="\d+" height="\d+"/);
    expect(svg).toContain('DejaVu Sans');
    expect(svg).toContain('>52.0</text>'); // the bar label
  });

  it('rasterises to the same PNG bytes every time (bundled font, no system fonts)', async () => {
    const svg = await renderSvg(chart.spec);
    const a = svgToPng(svg);
    const b = svgToPng(await renderSvg(chart.spec));
    expect(a.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(a.equals(b)).toBe(true);
    // Text is drawn: the same chart without its title is a different picture.
    const untitled = svgToPng(await renderSvg({ ...chart.spec, title: { text: '' } }));
    expect(untitled.equals(a)).toBe(false);
  });
});

describe('writing a review', () => {
  it('writes report.html, report.md, data.json and every chart as SVG and PNG, and points latest at it', async () => {
    const review = buildReview(fixtureReviewInput());
    const rendered = await renderReview(review);
    const root = mkdtempSync(join(tmpdir(), 'atlas-review-'));
    const first = writeReview(join(root, '2026-11-22T120000Z'), rendered);
    for (const f of ['report.html', 'report.md', 'data.json'])
      expect(existsSync(join(first.dir, f))).toBe(true);
    for (const c of review.charts) {
      expect(readFileSync(join(first.dir, 'charts', `${c.id}.svg`), 'utf8')).toMatch(/^<svg/);
      expect(
        readFileSync(join(first.dir, 'charts', `${c.id}.png`))
          .subarray(0, 8)
          .equals(PNG_SIGNATURE),
      ).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(first.dir, 'data.json'), 'utf8')).decisions).toHaveLength(9);
    expect(lstatSync(first.latest).isSymbolicLink()).toBe(true);
    const second = writeReview(join(root, '2026-11-22T130000Z'), rendered);
    expect(readlinkSync(second.latest)).toBe('2026-11-22T130000Z');
    expect(existsSync(`${second.dir}.partial`)).toBe(false);
  });
});
