import { kneeSentence, ms, num, pct, usd, usersLabel } from './format.ts';
import type { Review } from './review-types.ts';
import { derivationsMarkdown, openingMarkdown, uncertaintyMarkdown } from './uncertainty-markdown.ts';

/** GitHub's limit on a comment body; the Markdown stays well under it. */
export const PR_COMMENT_LIMIT = 65_536;

function short(text: string, max: number): string {
  const flat = text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

const ICON = { GO: '✅ GO', 'NO-GO': '❌ NO-GO' } as const;
const VERDICT = {
  holds: '✅ holds',
  'falls short': '❌ falls short',
  'not verified': '⚠️ not verified',
} as const;

/**
 * The review as Markdown for a pull-request comment: the GO/NO-GO matrix with its first reasons,
 * the readiness verdicts, key figures, measured runs and claims. Long sections are cut to stay under
 * {@link PR_COMMENT_LIMIT}, with a pointer to report.html for the rest.
 */
export function reviewMarkdown(review: Review, maxReasons = 3): string {
  const out: string[] = [`## ${review.title}`, ''];
  if (review.load) out.push(`**The load.** ${review.load}`, '');
  out.push(...openingMarkdown(review, table));
  out.push('### GO / NO-GO', '');
  out.push(
    ...table(
      ['scale', ...review.policies],
      review.scales.map((users) => [
        `${usersLabel(users)} users`,
        ...review.policies.map((policy) => {
          const d = review.decisions.find((x) => x.users === users && x.policy === policy);
          if (!d) return '-';
          const reasons = d.reasons.slice(0, maxReasons);
          const more = d.reasons.length > maxReasons ? ` (+${d.reasons.length - maxReasons} more)` : '';
          return `${ICON[d.decision]}${reasons.length ? `<br>${reasons.join('<br>')}${more}` : ''}`;
        }),
      ]),
    ),
    '',
  );

  out.push(...derivationsMarkdown(review));
  out.push(
    `Generated ${review.generatedAt} · commit \`${review.commit ?? 'unknown'}\` · profile \`${review.profile}\` · ` +
      (review.live.mode === 'no-live'
        ? 'simulator + existing runs (`--no-live`)'
        : 'simulator + live calibration'),
    '',
    ...review.headline.map((h) => `- **${h}**`),
    '',
  );
  if (review.stress.length > 0) {
    out.push(`Stress case (not in the verdicts above): ${review.stress[0]!.label}`);
    for (const r of review.stress)
      out.push(
        `- ${r.policy} at ${r.users.toLocaleString('en-US')}: ${r.verdict}; the per-user limit rejects ${(r.abusiveRejectedShare * 100).toFixed(0)}% of abusive calls${r.reasons[0] ? ` (${r.reasons[0]})` : ''}`,
      );
    out.push('');
  }
  if (review.knees.length > 0) {
    out.push(
      'Most users meeting every budget (predicted):',
      ...review.knees.map((k) => `- ${kneeSentence(k)}`),
      '',
    );
  }
  if (review.kneeCheck) out.push(`**${review.kneeCheck.sentence}**`, '');
  if (review.live.skipped.length > 0) {
    out.push('**Skipped:**', ...review.live.skipped.map((s) => `- ${s.what}: ${s.why}`), '');
  }

  out.push(...uncertaintyMarkdown(review, table));

  out.push('### Readiness targets (launch-readiness-report.md)', '');
  out.push(
    ...table(
      ['target', 'report says', ...review.scales.map((s) => usersLabel(s)), 'verdict'],
      review.readiness.map((t) => [
        t.target,
        t.reportSays,
        ...review.scales.map((users) => {
          const s = t.perScale.find((x) => x.users === users);
          return s ? `${VERDICT[s.verdict]} (${s.policy}): ${s.reason}` : '-';
        }),
        VERDICT[t.verdict],
      ]),
    ),
    '',
  );

  out.push('### Predicted', '');
  out.push(
    ...table(
      [
        'users',
        'policy',
        'syncs/s',
        'queries/s',
        'pool util',
        'upstream util',
        'DB CPU util',
        'worst p95',
        'errors',
        '429',
        'cost (cheapest meeting targets)',
      ],
      review.predicted.map((c) => {
        const p95s = Object.values(c.p95ByEndpoint);
        const worst = p95s.includes(null) ? null : Math.max(0, ...(p95s as number[]));
        return [
          usersLabel(c.users),
          c.policy,
          num(c.syncsPerSecond),
          num(c.queriesPerSecond),
          pct(c.dbPool?.utilisation, 0),
          pct(c.upstream?.utilisation, 0),
          pct(c.dbCpu?.utilisation, 0),
          ms(worst),
          pct(c.errorShare, 2),
          pct(c.rateLimitedShare, 2),
          c.cheapestUsd === null ? `${usd(c.monthlyUsd)} (none meets targets)` : usd(c.cheapestUsd),
        ];
      }),
    ),
    '',
  );

  out.push('### Measured', '');
  if (review.measured.length === 0) out.push('No run records.', '');
  else {
    out.push(
      ...table(
        ['run', 'users', 'policy', 'syncs/s', 'queries/sync', 'pool max/size', 'worst p95', 'errors', '429'],
        review.measured.map((r) => [
          `\`${r.id}\``,
          num(r.users),
          r.policy,
          num(r.syncsPerSecond),
          num(r.queriesPerSync, 1),
          r.pool ? `${num(r.pool.maxInUse)}/${num(r.pool.size)}` : '-',
          ms(Math.max(0, ...Object.values(r.p95ByEndpoint))),
          pct(r.errorRate, 2),
          pct(r.rateLimitedRate, 2),
        ]),
      ),
      '',
    );
  }

  out.push('### Claims of the seed documents', '');
  if (review.claims.length === 0) out.push('No claims evaluated.', '');
  else {
    out.push(
      ...table(
        ['claim', 'claimed', 'own assumptions', 'this profile', 'verdict'],
        review.claims.map((c) => [
          short(c.claim, 90),
          c.claimed,
          c.underOwnAssumptions,
          c.underProfile,
          `**${c.verdict}**: ${short(c.reason, 160)}`,
        ]),
      ),
      '',
    );
  }
  out.push(
    `${review.assumptions.length} assumptions with their sources, the charts and every number are in report.html and data.json.`,
    '',
  );
  let text = out.join('\n');
  if (text.length > PR_COMMENT_LIMIT - 200) {
    text = `${text.slice(0, PR_COMMENT_LIMIT - 300)}\n\n… (cut to fit a comment; see report.html)\n`;
  }
  return text;
}
