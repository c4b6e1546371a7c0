import { type ActivityClass, CONVERSATIONS_PER_USER_SIGMA, type Tier } from '../../core/profile.ts';
import type { SeedContext } from './context.ts';
import { Prng, STREAM } from './prng.ts';
import { uuidFrom } from './uuid.ts';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
/** The sync interval of the analysis ("every 30 seconds"): the window changeSharePer30s is about. */
export const SYNC_WINDOW_MS = 30 * SECOND;

/** One conversation of a user: its id, its time span and how many messages it holds. */
export interface ConversationPlan {
  id: string;
  createdAt: number;
  /** = created_at of its last message. */
  updatedAt: number;
  messages: number;
}

/** Everything about one user that several tables need, derived from (seed, user index) alone. */
export interface UserPlan {
  index: number;
  id: string;
  tier: Tier;
  activity: ActivityClass;
  createdAt: number;
  /** Latest conversation update: the user's last activity. */
  lastActivity: number;
  /** Conversation 0 is the one the user's activity class anchors (its most recent, unless a hot one). */
  conversations: ConversationPlan[];
  messageCount: number;
}

/**
 * Plans user `index`. Timestamps follow the activity classes: conversation 0 ends inside the class's
 * window (active: 30 s to 1 h before asOf; recent: 1 h to 24 h; inactive: older), and for active
 * users each conversation is, with probability changeSharePer30s, updated within the last 30 s, so
 * a delta sync over the last interval sees that share of an active user's conversations.
 */
export function planUser(ctx: SeedContext, index: number): UserPlan {
  const { profile, asOf } = ctx;
  const prng = Prng.for(ctx.seed, STREAM.user, index);
  const id = uuidFrom(prng);
  const tier = ctx.tiers[prng.pick(ctx.tierCumulative)]!;
  const activity = ctx.activities[prng.pick(ctx.activityCumulative)]!;
  const history = profile.historyDays * DAY;
  const start = asOf - history;
  const activeWindow = profile.activity.active.withinHours * HOUR;
  const recentWindow = profile.activity.recent.withinHours * HOUR;
  let anchor: number;
  if (activity === 'active') {
    anchor = asOf - SYNC_WINDOW_MS - prng.next() * Math.max(0, activeWindow - SYNC_WINDOW_MS);
  } else if (activity === 'recent') {
    anchor = asOf - activeWindow - prng.next() * Math.max(0, recentWindow - activeWindow);
  } else {
    anchor = asOf - recentWindow - prng.next() * Math.max(0, history - recentWindow);
  }
  anchor = Math.floor(anchor);
  const createdAt = Math.floor(Math.min(start, anchor) + prng.next() * (anchor - Math.min(start, anchor)));
  const convMax = profile.conversationsPerUser.max;
  const convCount = Math.min(
    convMax,
    Math.max(1, Math.round(prng.logNormal(profile.conversationsPerUser.mean, CONVERSATIONS_PER_USER_SIGMA))),
  );
  const msgMean = profile.messagesPerConversation.mean;
  const msgMax = profile.messagesPerConversation.max;
  const hotShare = activity === 'active' ? profile.changeSharePer30s : 0;
  const conversations: ConversationPlan[] = new Array(convCount);
  let lastActivity = 0;
  let messageCount = 0;
  for (let c = 0; c < convCount; c++) {
    const convId = uuidFrom(prng);
    const hot = prng.next() < hotShare;
    const spread = prng.next();
    let updatedAt: number;
    if (hot) updatedAt = asOf - Math.floor(prng.next() * SYNC_WINDOW_MS);
    else if (c === 0) updatedAt = anchor;
    else updatedAt = Math.floor(createdAt + spread * (anchor - createdAt));
    const convCreated = Math.floor(createdAt + prng.next() * (updatedAt - createdAt));
    const messages = Math.min(msgMax, prng.geometricAtLeastOne(msgMean));
    conversations[c] = { id: convId, createdAt: convCreated, updatedAt, messages };
    if (updatedAt > lastActivity) lastActivity = updatedAt;
    messageCount += messages;
  }
  return { index, id, tier, activity, createdAt, lastActivity, conversations, messageCount };
}
