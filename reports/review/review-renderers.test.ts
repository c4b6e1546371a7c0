import { describe, expect, it } from 'vitest';
import { fixtureReviewInput } from '../../test/fixtures/review/review-input.ts';
import { buildReview } from './build-review.ts';
import { escapeHtml, reviewHtml } from './review-html.ts';
import { PR_COMMENT_LIMIT, reviewMarkdown } from './review-markdown.ts';

const review = buildReview(fixtureReviewInput());
const svgs = Object.fromEntries(
  review.charts.map((c) => [c.id, `<svg id="svg-${c.id}" width="10" height="10"></svg>`]),
);

describe('review HTML', () => {
  const html = reviewHtml(review, { svgs });

  it('inlines every chart and needs nothing from outside the file', () => {
    for (const c of review.charts) expect(html).toContain(`<svg id="svg-${c.id}"`);
    expect(html).not.toMatch(/<script|<link|src="http|url\(http/i);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('has the decision matrix, readiness, predicted, measured, claims and assumptions tables', () => {
    for (const id of ['go-no-go', 'readiness', 'predicted', 'p95', 'measured', 'claims', 'assumptions']) {
      expect(html).toContain(`<table id="${id}">`);
    }
    expect(html.match(/<span class="badge (GO|NO-GO)">/g)).toHaveLength(9);
    expect(html).toContain('delta-sync-1000u-fixed-fixture');
    // The fixture's knee for fixed (simulation.json, knees[1]) in kneeSentence's words.
    expect(html).toContain(
      'fixed: 5,295 users, then db.cpu at 80% utilisation, over the 80% ceiling, and P(wait) 0.801 over 0.05 (binding db.cpu)',
    );
  });

  it('escapes text from records and claims', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).toContain('~1,000 concurrent users &lt;pool 50&gt;');
    expect(html).not.toContain('<pool 50>');
  });
});

describe('review Markdown', () => {
  const md = reviewMarkdown(review);

  it('fits a pull-request comment and carries the GO/NO-GO matrix for every scale', () => {
    expect(md.length).toBeLessThan(PR_COMMENT_LIMIT);
    for (const scale of ['1k', '10k', '100k']) expect(md).toMatch(new RegExp(`^\\| ${scale} users \\|`, 'm'));
    expect(md).toContain('| scale | current | fixed | scale |');
    expect(md.match(/✅ GO|❌ NO-GO/g)!.length).toBe(9);
  });

  it('escapes table pipes and cuts an oversized review with a pointer to the HTML', () => {
    const big = {
      ...review,
      claims: Array.from({ length: 400 }, (_, i) => ({
        ...review.claims[0]!,
        claim: `claim ${i} a|b ${'x'.repeat(200)}`,
      })),
    };
    const cut = reviewMarkdown(big);
    expect(cut.length).toBeLessThan(PR_COMMENT_LIMIT);
    expect(cut).toContain('a\\|b');
    expect(cut).toMatch(/cut to fit a comment; see report\.html/);
  });
});
