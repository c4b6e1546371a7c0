import { derivationOf } from './derivation.ts';
import { kneeBandNotes, kneeMethodSentence, kneeQuantile, num, usd, usersLabel } from './format.ts';
import type { Review } from './review-types.ts';

// The Markdown of what the review opens with, each verdict's derivation and the uncertainty tables.

type Table = (head: string[], rows: string[][]) => string[];

/** The opening after the load: users each policy carries (P10–P90) against the scales, and calibration. */
export function openingMarkdown(review: Review, table: Table): string[] {
  const out: string[] = [];
  const mc = review.uncertainty?.monteCarlo;
  if (mc) {
    out.push(
      `**Users each policy carries before its first budget breaks** (P10 – P50 – P90 over ${num(mc.draws)} Monte Carlo draws of the assumptions; \`charts/knee-band.png\`):`,
      '',
      ...table(
        ['policy', 'P10', 'P50', 'P90', 'base', ...review.scales.map((s) => `${usersLabel(s)}: P(GO)≈`)],
        mc.knees.map((k) => [
          k.policy,
          kneeQuantile(k.p10),
          kneeQuantile(k.p50),
          kneeQuantile(k.p90),
          num(k.base),
          ...review.scales.map((s) =>
            s <= k.p10 ? '> 90%' : s > k.p90 ? '< 10%' : s <= k.p50 ? '50–90%' : '10–50%',
          ),
        ]),
      ),
      '',
    );
    for (const note of kneeBandNotes(mc.knees, review.uncertainty?.flipPoints ?? [], review.scales))
      out.push(note, '');
  }
  out.push(`**Calibration.** ${review.calibrationSentence}`, '');
  return out;
}

/** Each verdict's derivation in one collapsed block (inputs → rule → value, what flips it). */
export function derivationsMarkdown(review: Review): string[] {
  if (review.decisions.length === 0) return [];
  const out = ['<details><summary>How each verdict was derived (inputs → rule → value)</summary>', ''];
  for (const d of review.decisions) {
    const x = derivationOf(review, d);
    out.push(
      `- **${usersLabel(d.users)} ${d.policy}: ${d.decision}.** Inputs: ${x.inputs.filter((i) => !i.startsWith('load:')).join('; ')}. ` +
        `Rule: ${x.rule.join('; ')}. Value: ${x.value}.` +
        (x.flips.length > 0 ? ` Flips: ${x.flips.join('; ')}.` : ' No assumption flips it within its range.'),
    );
  }
  out.push('', '</details>', '');
  return out;
}

/** Monte Carlo of costs and the flip points, as Markdown. */
export function uncertaintyMarkdown(review: Review, table: Table): string[] {
  const u = review.uncertainty;
  if (!u) return [];
  const mc = u.monteCarlo;
  const out = ['### Sensitivity and uncertainty', ''];
  out.push(
    `${num(mc.draws)} draws, seed ${mc.seed}; within each range: ${mc.distribution}. ${kneeMethodSentence(mc)}`,
    '',
    ...table(
      ['policy', ...review.scales.map((s) => `monthly cost at ${usersLabel(s)} (P10 / P50 / P90)`)],
      mc.knees.map((k) => [
        k.policy,
        ...review.scales.map((s) => {
          const c = mc.costs.find((x) => x.policy === k.policy && x.users === s);
          return c ? `${usd(c.p10)} / ${usd(c.p50)} / ${usd(c.p90)}` : '-';
        }),
      ]),
    ),
    '',
  );
  const flips = u.flipPoints.filter((f) => f.flips.length > 0);
  out.push(
    `Flip points (one assumption over its range, the others at base; ${num(u.flipPoints.length - flips.length)} pairs never turn):`,
    '',
    ...(flips.length > 0
      ? table(
          ['scale', 'policy', 'at base', 'assumption', 'flip'],
          flips.map((f) => [usersLabel(f.users), f.policy, f.baseVerdict, f.dial, f.summary]),
        )
      : ['No verdict turns within any range.']),
    '',
  );
  return out;
}
