import type { Scenario } from 'k6/options';
import { envNumber } from './env.ts';
import { sendMessage } from './messages.ts';
import { arrival } from './open-model.ts';
import { currentScenario, loadUsers, type UserList, userAt } from './users.ts';

// /api/message traffic by tier at the open model's rates (simulator workloadAt messagesPerSecondByTier
// → MSG_RATE_<TIER>), plus optional abusive users far above their per-user limit.

/** Tiers of Atlas. */
export const TIERS = ['free', 'core', 'studio'] as const;
/** One tier. */
export type Tier = (typeof TIERS)[number];

/** Seeded users by tier. */
export const USERS_BY_TIER: Record<Tier, UserList> = {
  free: loadUsers(['free'], []),
  core: loadUsers(['core'], []),
  studio: loadUsers(['studio'], []),
};

/** Messages per user per minute (profile messagesPerUserPerMinute; launch report: 2/min). */
export const PER_USER_PER_MIN = envNumber('MSG_PER_USER_PER_MIN', 2);

/** Abusive users: the first ABUSIVE_USERS free users (0 = none). */
export const ABUSIVE_USERS = Math.min(envNumber('ABUSIVE_USERS', 0), USERS_BY_TIER.free.length);

/** Messages per minute each abusive user sends (default 10× the fixed policy's free limit of 20/min). */
export const ABUSIVE_PER_MIN = envNumber('ABUSIVE_PER_MIN', 200);

/** Expected seconds per /api/message (upstream median 500 ms plus the database work). */
export const MESSAGE_ITER_S = envNumber('MSG_ITER_S', 0.8);

/** Index of a tier's first legitimate user (the abusive ones come first among the free users). */
function firstLegitimate(tier: Tier): number {
  return tier === 'free' ? ABUSIVE_USERS : 0;
}

/** Legitimate users of a tier (an offset, not a slice: slicing a SharedArray decodes every user). */
function legitimateCount(tier: Tier): number {
  return USERS_BY_TIER[tier].length - firstLegitimate(tier);
}

/** Legitimate messages per second of a tier: MSG_RATE_<TIER> scaled to the users that are not abusive. */
export function messageRate(tier: Tier): number {
  const all = USERS_BY_TIER[tier].length;
  const rate = envNumber(`MSG_RATE_${tier.toUpperCase()}`, (all * PER_USER_PER_MIN) / 60);
  return all > 0 ? (rate * legitimateCount(tier)) / all : 0;
}

/** Scenarios `msg_<tier>` (legitimate) and `abuse_free` (when ABUSIVE_USERS > 0), running `execName`. */
export function messageScenarios(execName: string): Record<string, Scenario | undefined> {
  const out: Record<string, Scenario | undefined> = {};
  for (const tier of TIERS) {
    out[`msg_${tier}`] = arrival(execName, messageRate(tier), MESSAGE_ITER_S, {
      class: 'legit',
      tier,
      kind: 'message',
    });
  }
  if (ABUSIVE_USERS > 0) {
    const rate = (ABUSIVE_USERS * ABUSIVE_PER_MIN) / 60;
    out['abuse_free'] = arrival(execName, rate, MESSAGE_ITER_S, {
      class: 'abusive',
      tier: 'free',
      kind: 'message',
    });
  }
  return out;
}

const ABUSIVE_TAGS = { class: 'abusive', tier: 'free' };
const LEGIT_TAGS: Record<Tier, Record<string, string>> = {
  free: { class: 'legit', tier: 'free' },
  core: { class: 'legit', tier: 'core' },
  studio: { class: 'legit', tier: 'studio' },
};

/** Sends one message for this iteration's user: round robin over the scenario's users. */
export function messageOnce(): void {
  const scenario = currentScenario();
  const name = scenario.name;
  const i = scenario.iterationInTest;
  if (name === 'abuse_free') {
    sendMessage(userAt(USERS_BY_TIER.free, i % ABUSIVE_USERS), ABUSIVE_TAGS);
    return;
  }
  const tier = name.replace(/^msg_/, '') as Tier;
  const count = legitimateCount(tier);
  if (count <= 0) return;
  sendMessage(userAt(USERS_BY_TIER[tier], firstLegitimate(tier) + (i % count)), LEGIT_TAGS[tier]);
}
