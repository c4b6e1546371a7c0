import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runReview } from '../scripts/commands/review.ts';
import { REVIEW_FIXTURES } from './fixtures/review/review-input.ts';
import { CHROMIUM_PATH as CHROMIUM, needs } from './support/services.ts';

const OUTPUT = join(import.meta.dirname, '..', 'test-output');

describe('report.html in headless Chromium, as a person sees it', await needs('Chromium'), () => {
  it('loads with no console errors, shows every chart with a non-zero size, and is screenshotted', async () => {
    const { dir, review } = await runReview({
      live: false,
      runs: [join(REVIEW_FIXTURES, 'runs')],
      out: join(OUTPUT, 'browser-review'),
      profile: 'ci-smoke',
      policies: ['current', 'fixed', 'scale'],
      users: [1000, 10_000, 100_000],
      liveSeconds: 15,
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${join(dir, 'report.html')}`, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      // Self-contained: the page itself is the only thing loaded.
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);

      const figures = page.locator('figure.chart');
      expect(await figures.count()).toBe(review.charts.length);
      for (const chart of review.charts) {
        const svg = page.locator(`#chart-${chart.id} svg`).first();
        await svg.scrollIntoViewIfNeeded();
        expect(await svg.isVisible(), chart.id).toBe(true);
        const box = await svg.boundingBox();
        expect(box, chart.id).not.toBeNull();
        expect(box!.width, chart.id).toBeGreaterThan(100);
        expect(box!.height, chart.id).toBeGreaterThan(50);
        // Drawn marks, not an empty frame.
        expect(
          await page.locator(`#chart-${chart.id} svg path, #chart-${chart.id} svg line`).count(),
        ).toBeGreaterThan(5);
      }
      await expect(page.locator('#go-no-go .badge').count()).resolves.toBe(9);

      // The what-if: move sliders, and the verdicts drawn follow (the page computes nothing but a lookup).
      const cells = async () =>
        (await page.locator('#what-if-chart svg text').allTextContents()).filter((t) => /^(NO-)?GO$/.test(t));
      await page.locator('#what-if-chart svg').waitFor();
      const before = await cells();
      expect(before).toHaveLength(9);
      const slide = (name: string) =>
        page.locator(`#what-if-controls input[name="${name}"]`).evaluate((el) => {
          // A range input (the test's tsconfig has no DOM types).
          const input = el as unknown as { value: string; max: string; dispatchEvent(e: unknown): void };
          input.value = input.max;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        });
      await slide('w_monthlyActiveShare');
      await slide('w_messagesPerMinuteAtPeak');
      await expect
        .poll(async () => (await cells()).filter((t) => t === 'NO-GO').length)
        .toBeGreaterThan(before.filter((t) => t === 'NO-GO').length);
      expect(errors).toEqual([]);
      await page.locator('#s-what-if').scrollIntoViewIfNeeded();
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'review-what-if-screenshot.png') });

      mkdirSync(OUTPUT, { recursive: true });
      const shot = join(OUTPUT, 'review-screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(50_000);
      const charts = join(OUTPUT, 'review-charts-screenshot.png');
      await page.locator('#chart-queries-vs-users').screenshot({ path: charts });
      expect(statSync(charts).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
