import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import type { Prediction, SimulationResult } from '../../simulator/index.ts';
import { num, pct } from './format.ts';
import type { Assumption } from './review-types.ts';

const PROFILE_SOURCES: Record<string, string> = {
  tierMix:
    'launch-readiness-report.md, ROI: "1,000 paying users" at 10k users (10% paid); core/studio split is an assumption',
  conversationsPerUser: 'storage-architecture-analysis.md, Conversations: "~50 convos per user"',
  messagesPerConversation:
    'storage-architecture-analysis.md, Messages: ~5k messages per user / 50 conversations',
  meanChars: 'storage-architecture-analysis.md, Messages: "content TEXT -- Average 500 chars"',
  activity:
    'assumption: the seeds give no usage data (activity classes from launch-readiness-report.md fix #3)',
  onlineShare: 'launch-readiness-report.md speaks of "concurrent users": 1 = every registered user online',
  messagesPerUserPerMinute: 'launch-readiness-report.md fix #1: "10k users × 2 requests/min"',
  changeSharePer30s: 'storage-architecture-analysis.md 1.1: "5% of conversations change in 30s"',
};

/**
 * Every input the review rests on that was not measured here: profile and policy values with the
 * seed lines they come from, the simulator's service demands and targets, and the prediction notes.
 */
export function collectAssumptions(
  profile: Profile,
  policies: readonly Policy[],
  simulation: SimulationResult,
  extra: readonly Assumption[],
): Assumption[] {
  const file = `fixtures/profiles/${profile.name}.yaml`;
  const out: Assumption[] = [
    {
      what: 'tier mix',
      value: `free ${pct(profile.tierMix.free, 0)}, core ${pct(profile.tierMix.core, 0)}, studio ${pct(profile.tierMix.studio, 0)}`,
      source: `${file}; ${PROFILE_SOURCES.tierMix}`,
    },
    {
      what: 'conversations per user',
      value: num(profile.conversationsPerUser.mean),
      source: `${file}; ${PROFILE_SOURCES.conversationsPerUser}`,
    },
    {
      what: 'messages per conversation (seeded / reference)',
      value: `${num(profile.messagesPerConversation.mean)} / ${num(profile.messagesPerConversation.reference)}`,
      source: `${file}; ${PROFILE_SOURCES.messagesPerConversation}`,
    },
    {
      what: 'mean message length',
      value: `${num(profile.content.meanChars)} chars`,
      source: `${file}; ${PROFILE_SOURCES.meanChars}`,
    },
    {
      what: 'activity classes',
      value: `active ${pct(profile.activity.active.share, 0)}, recent ${pct(profile.activity.recent.share, 0)}, inactive ${pct(profile.activity.inactive.share, 0)}`,
      source: `${file}; ${PROFILE_SOURCES.activity}`,
    },
    {
      what: 'share of users online',
      value: pct(profile.onlineShare, 0),
      source: `${file}; ${PROFILE_SOURCES.onlineShare}`,
    },
    {
      what: '/api/message per online user',
      value: `${num(profile.messagesPerUserPerMinute)} per minute`,
      source: `${file}; ${PROFILE_SOURCES.messagesPerUserPerMinute}`,
    },
    {
      what: 'conversations changed per 30 s',
      value: pct(profile.changeSharePer30s, 0),
      source: `${file}; ${PROFILE_SOURCES.changeSharePer30s}`,
    },
  ];
  for (const policy of policies) {
    out.push({
      what: `policy ${policy.name}`,
      value: policy.description,
      source: `fixtures/policies/${policy.name}.yaml; ${policy.source}`,
    });
    out.push({
      what: `language-model latency (${policy.name})`,
      value: `median ${num(policy.upstream.latencyMs.median)} ms, p95 ${num(policy.upstream.latencyMs.p95)} ms`,
      source: 'launch-readiness-report.md fix #1: "holds connection for ~500ms"; the p95 is an assumption',
    });
  }
  const cal = simulation.calibration;
  for (const [kind, demand] of Object.entries(cal.demands)) {
    out.push({
      what: `database time per statement: ${kind}`,
      value: `${num(demand.meanMs, 3)} ms`,
      source: demand.source,
    });
  }
  out.push({
    what: 'latency and error budgets',
    value: budgetsText(simulation),
    source: simulation.targets.source,
  });
  out.push(...extra);
  const seen = new Set(out.map((a) => `${a.what}|${a.value}`));
  for (const note of predictionNotes(simulation.predictions)) {
    const a = { what: 'model note', value: note, source: 'simulator (see value)' };
    if (!seen.has(`${a.what}|${a.value}`)) {
      seen.add(`${a.what}|${a.value}`);
      out.push(a);
    }
  }
  return out;
}

function budgetsText(simulation: SimulationResult): string {
  const t = simulation.targets;
  const p95 = Object.entries(t.p95Ms)
    .map(([k, v]) => `${k} ${num(v)} ms`)
    .join(', ');
  return `p95: ${p95}; errors <= ${pct(t.errorShare, 1)}; utilisation <= ${pct(t.maxUtilisation, 0)}`;
}

function predictionNotes(predictions: readonly Prediction[]): string[] {
  return [...new Set(predictions.flatMap((p) => p.assumptions))];
}
