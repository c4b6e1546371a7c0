import type { Policy } from '../core/policy.ts';
import type { ActivityClass, Profile, Tier } from '../core/profile.ts';
import { ACTIVITY_CLASSES, TIERS } from '../core/profile.ts';

// The open workload model: what N registered users ask of Atlas per second, as expected values.
// The k6 runner turns these rates into arrival-rate executors as they are, and the simulator predicts
// from the same numbers, so a prediction and a measurement are about the same work.

/** Endpoint names shared by the workload, the run records and the predictions. */
export const ENDPOINTS = {
  conversations: 'rest.conversations',
  messages: 'rest.messages',
  push: 'rest.push',
  message: 'api.message',
  health: 'healthz',
} as const;
/** The endpoints of a sync's requests (one sync: the conversation list, then messages and push). */
export const SYNC_ENDPOINTS = [ENDPOINTS.conversations, ENDPOINTS.messages, ENDPOINTS.push] as const;
/** One of the endpoint names in {@link ENDPOINTS}. */
export type Endpoint = (typeof ENDPOINTS)[keyof typeof ENDPOINTS];

/**
 * Requests a sync spends pushing local changes: one upsert batch per sync (fullSync step 3,
 * `pushLocalChangesToRemote`, storage-architecture-analysis.md section 1). Assumption: the client
 * always sends it, even when the batch is empty; the analysis does not say.
 */
export const PUSH_REQUESTS_PER_SYNC = 1;

/**
 * Database statements per /api/message, as the target implements it (backend/message-route.ts): read
 * the tier (profiles), check the monthly limit (daily_usage), insert the user message, and one
 * statement that inserts the reply, touches the conversation and upserts daily_usage. Five until
 * session 35 (the reply and the usage update counted apart), while the target ran four and the demand
 * was calibrated per statement of those four: the model gave /api/message a quarter more database
 * time and connection hold than the target spent (test/target-message.test.ts checks the count).
 */
export const QUERIES_PER_MESSAGE = 4;

/** Messages written per /api/message: the user's message and the model's reply (issue 3). */
export const ROWS_WRITTEN_PER_MESSAGE = 2;

/**
 * Messages a changed conversation gains between two syncs: one exchange (user message + reply).
 * Assumption: the analysis gives the share of conversations that change, not by how much.
 */
export const MESSAGES_PER_CHANGED_CONVERSATION = 2;

/**
 * Bytes of a messages row as PostgREST returns it, beyond its content: uuid ids, role, type,
 * timestamps and JSON field names. Assumption (counted from the plain schema's columns, ~200 B).
 */
export const MESSAGE_ROW_OVERHEAD_BYTES = 200;

/** Bytes of a conversations row as PostgREST returns it (title, ids, timestamps). Assumption, ~300 B. */
export const CONVERSATION_ROW_BYTES = 300;

/** Bytes of a request/response envelope (HTTP headers both ways). Assumption, ~400 B. */
export const REQUEST_OVERHEAD_BYTES = 400;

/** The interval the analysis states its change share for (analysis 1.1: "5% of conversations change in 30s"). */
const CHANGE_SHARE_INTERVAL_SECONDS = 30;

/** What one sync asks of the database, as expected values, for one activity class. */
export interface SyncCost {
  /** Seconds between two syncs of one client of this class. */
  intervalSeconds: number;
  /** Probability that a given conversation changed within one interval. */
  changeShare: number;
  /** Expected conversations returned as changed (delta; capped by the policy's deltaLimit). */
  changedConversations: number;
  /** Probability that at least one conversation changed (delta: a messages query is sent). */
  anyChangeShare: number;
  /** HTTP requests per sync (conversations + messages + push). */
  requestsPerSync: number;
  /** Database statements per sync (one per REST request). */
  queriesPerSync: number;
  /** Rows returned per sync (conversations and messages). */
  rowsPerSync: number;
  /** Bytes returned to the client per sync (egress). */
  bytesPerSync: number;
  /** Requests per sync by endpoint. */
  requestsByEndpoint: Record<string, number>;
}

/** The open-model workload at N users: arrival rates per request kind, per second. */
export interface Workload {
  /** Registered users. */
  users: number;
  profile: string;
  policy: string;
  /** Users online at once (users × profile.onlineShare). */
  onlineUsers: number;
  /** Online users by tier (profile.tierMix). */
  onlineByTier: Record<Tier, number>;
  /** Online users whose tier syncs (policy.sync.tiers). */
  syncingUsers: number;
  /** Syncing users by activity class (profile.activity shares). */
  syncingByClass: Record<ActivityClass, number>;
  syncMode: 'full' | 'delta';
  /** Sync interval in seconds by activity class (all equal for a fixed interval). */
  intervalSecondsByClass: Record<ActivityClass, number>;
  /** Syncs per second, all classes. */
  syncsPerSecond: number;
  /** Syncs per second by activity class. */
  syncsPerSecondByClass: Record<ActivityClass, number>;
  /** What one sync costs, by activity class. */
  syncCostByClass: Record<ActivityClass, SyncCost>;
  /** Rate-weighted means over classes: requests, queries, rows and bytes per sync. */
  requestsPerSync: number;
  queriesPerSync: number;
  rowsPerSync: number;
  bytesPerSync: number;
  /** /api/message requests per second, all tiers. */
  messagesPerSecond: number;
  /** /api/message requests per second by tier. */
  messagesPerSecondByTier: Record<Tier, number>;
  /** Database statements per second from syncs. */
  syncQueriesPerSecond: number;
  /** Database statements per second from /api/message. */
  messageQueriesPerSecond: number;
  /** Database statements per second, all sources. */
  queriesPerSecond: number;
  /** HTTP requests per second by endpoint (the run record's arrivalRates use these names plus `sync`). */
  requestsPerSecondByEndpoint: Record<string, number>;
  /** HTTP requests per second, all endpoints. */
  requestsPerSecond: number;
  /** Language-model upstream calls per second (one per /api/message before rate limiting). */
  upstreamCallsPerSecond: number;
  /** Bytes per second returned to clients by syncs and messages (egress). */
  egressBytesPerSecond: number;
  /** Iterations per second by kind (`sync`, `api.message`): what k6 schedules. */
  arrivalRates: Record<string, number>;
}

/** Options of {@link workloadAt}. */
export interface WorkloadOptions {
  /**
   * Messages per conversation returned by a full sync. Default: the profile's seeded mean (what k6
   * measures); pass profile.messagesPerConversation.reference for the analysis's production size.
   */
  messagesPerConversation?: number;
  /**
   * Syncs per second of every class times this (default 1): the same users syncing faster or slower,
   * a state of the rig's sync population (population-mixture.ts).
   */
  syncRateScale?: number;
}

/** Peak /api/message sends per online user per minute of a tier (per-tier rate when the profile has one). */
export function messagesPerMinuteOf(profile: Profile, tier: Tier): number {
  return profile.messagesPerMinuteByTier?.[tier] ?? profile.messagesPerUserPerMinute;
}

/** Peak sends per online user per minute, every tier. */
export function messagesPerMinuteByTierOf(profile: Profile): Record<Tier, number> {
  return byTier((tier) => messagesPerMinuteOf(profile, tier));
}

function byTier(f: (tier: Tier) => number): Record<Tier, number> {
  return { free: f('free'), core: f('core'), studio: f('studio') };
}

function byClass<T>(f: (cls: ActivityClass) => T): Record<ActivityClass, T> {
  return { active: f('active'), recent: f('recent'), inactive: f('inactive') };
}

/** Sync interval in seconds of one activity class under a policy. */
export function syncIntervalSeconds(policy: Policy, cls: ActivityClass): number {
  const interval = policy.sync.interval;
  if (interval.kind === 'fixed') return interval.seconds;
  if (cls === 'active') return interval.activeSeconds;
  if (cls === 'recent') return interval.recentSeconds;
  return interval.inactiveSeconds;
}

/**
 * Probability that one conversation changed within `seconds`, from the share per 30 s, treating each
 * 30 s window as independent: 1 - (1 - p30)^(seconds / 30).
 */
export function changeShareWithin(changeSharePer30s: number, seconds: number): number {
  if (changeSharePer30s >= 1) return 1;
  return 1 - (1 - changeSharePer30s) ** (seconds / CHANGE_SHARE_INTERVAL_SECONDS);
}

/** Bytes of one messages row of `meanChars` content (UTF-8, one byte per character assumed). */
export function messageRowBytes(meanChars: number): number {
  return meanChars + MESSAGE_ROW_OVERHEAD_BYTES;
}

/** What one sync of a client with the profile's mean conversation count costs, at one interval. */
export function syncCost(
  profile: Profile,
  policy: Policy,
  intervalSeconds: number,
  options: WorkloadOptions = {},
): SyncCost {
  const conversations = profile.conversationsPerUser.mean;
  const messagesPerConversation = options.messagesPerConversation ?? profile.messagesPerConversation.mean;
  const msgBytes = messageRowBytes(profile.content.meanChars);
  const changeShare = changeShareWithin(profile.changeSharePer30s, intervalSeconds);
  if (policy.sync.mode === 'full') {
    // fullSync: 1 query for all conversations, 1 per conversation for all its messages, then the push.
    const byEndpoint = {
      [ENDPOINTS.conversations]: 1,
      [ENDPOINTS.messages]: conversations,
      [ENDPOINTS.push]: PUSH_REQUESTS_PER_SYNC,
    };
    const requests = 1 + conversations + PUSH_REQUESTS_PER_SYNC;
    const messageRows = conversations * messagesPerConversation;
    return {
      intervalSeconds,
      changeShare,
      changedConversations: conversations * changeShare,
      anyChangeShare: 1 - (1 - changeShare) ** conversations,
      requestsPerSync: requests,
      queriesPerSync: requests,
      rowsPerSync: conversations + messageRows,
      bytesPerSync:
        conversations * CONVERSATION_ROW_BYTES + messageRows * msgBytes + requests * REQUEST_OVERHEAD_BYTES,
      requestsByEndpoint: byEndpoint,
    };
  }
  // deltaSync: conversations updated since (limit deltaLimit); messages of those only if any changed; push.
  const changed = Math.min(conversations * changeShare, policy.sync.deltaLimit);
  const anyChange = 1 - (1 - changeShare) ** conversations;
  const requests = 1 + anyChange + PUSH_REQUESTS_PER_SYNC;
  const messageRows = changed * MESSAGES_PER_CHANGED_CONVERSATION;
  return {
    intervalSeconds,
    changeShare,
    changedConversations: changed,
    anyChangeShare: anyChange,
    requestsPerSync: requests,
    queriesPerSync: requests,
    rowsPerSync: changed + messageRows,
    bytesPerSync:
      changed * CONVERSATION_ROW_BYTES + messageRows * msgBytes + requests * REQUEST_OVERHEAD_BYTES,
    requestsByEndpoint: {
      [ENDPOINTS.conversations]: 1,
      [ENDPOINTS.messages]: anyChange,
      [ENDPOINTS.push]: PUSH_REQUESTS_PER_SYNC,
    },
  };
}

/**
 * The open-model workload of `users` registered users under a profile and policy (pure): who is online,
 * who syncs and how often, what each sync and message costs, and the resulting rates per second.
 */
export function workloadAt(
  profile: Profile,
  policy: Policy,
  users: number,
  options: WorkloadOptions = {},
): Workload {
  if (!Number.isFinite(users) || users < 0)
    throw new RangeError(`users must be a finite number >= 0, got ${users}`);
  const online = users * profile.onlineShare;
  const onlineByTier = byTier((tier) => online * profile.tierMix[tier]);
  const syncTiers = new Set<Tier>(policy.sync.tiers);
  const syncingUsers = TIERS.reduce((sum, tier) => sum + (syncTiers.has(tier) ? onlineByTier[tier] : 0), 0);
  const syncingByClass = byClass((cls) => syncingUsers * profile.activity[cls].share);
  const intervalSecondsByClass = byClass((cls) => syncIntervalSeconds(policy, cls));
  const syncRateScale = options.syncRateScale ?? 1;
  const syncsPerSecondByClass = byClass(
    (cls) => (syncingByClass[cls] / intervalSecondsByClass[cls]) * syncRateScale,
  );
  const syncCostByClass = byClass((cls) => syncCost(profile, policy, intervalSecondsByClass[cls], options));
  const syncsPerSecond = ACTIVITY_CLASSES.reduce((sum, cls) => sum + syncsPerSecondByClass[cls], 0);

  // Rate-weighted means over classes; with no syncs, the active class's cost stands for "one sync".
  const weighted = (pick: (c: SyncCost) => number): number =>
    syncsPerSecond > 0
      ? ACTIVITY_CLASSES.reduce(
          (sum, cls) => sum + syncsPerSecondByClass[cls] * pick(syncCostByClass[cls]),
          0,
        ) / syncsPerSecond
      : pick(syncCostByClass.active);

  const messagesPerSecondByTier = byTier(
    (tier) => (onlineByTier[tier] * messagesPerMinuteOf(profile, tier)) / 60,
  );
  const messagesPerSecond = TIERS.reduce((sum, tier) => sum + messagesPerSecondByTier[tier], 0);

  const requestsPerSecondByEndpoint: Record<string, number> = {
    [ENDPOINTS.conversations]: 0,
    [ENDPOINTS.messages]: 0,
    [ENDPOINTS.push]: 0,
    [ENDPOINTS.message]: messagesPerSecond,
  };
  for (const cls of ACTIVITY_CLASSES) {
    for (const [endpoint, perSync] of Object.entries(syncCostByClass[cls].requestsByEndpoint)) {
      requestsPerSecondByEndpoint[endpoint] =
        (requestsPerSecondByEndpoint[endpoint] ?? 0) + syncsPerSecondByClass[cls] * perSync;
    }
  }
  const requestsPerSecond = Object.values(requestsPerSecondByEndpoint).reduce((a, b) => a + b, 0);
  const queriesPerSync = weighted((c) => c.queriesPerSync);
  const bytesPerSync = weighted((c) => c.bytesPerSync);
  const syncQueriesPerSecond = syncsPerSecond * queriesPerSync;
  const messageQueriesPerSecond = messagesPerSecond * QUERIES_PER_MESSAGE;
  // A message response carries the model's reply: one message row plus the envelope.
  const messageResponseBytes = messageRowBytes(profile.content.meanChars) + REQUEST_OVERHEAD_BYTES;

  return {
    users,
    profile: profile.name,
    policy: policy.name,
    onlineUsers: online,
    onlineByTier,
    syncingUsers,
    syncingByClass,
    syncMode: policy.sync.mode,
    intervalSecondsByClass,
    syncsPerSecond,
    syncsPerSecondByClass,
    syncCostByClass,
    requestsPerSync: weighted((c) => c.requestsPerSync),
    queriesPerSync,
    rowsPerSync: weighted((c) => c.rowsPerSync),
    bytesPerSync,
    messagesPerSecond,
    messagesPerSecondByTier,
    syncQueriesPerSecond,
    messageQueriesPerSecond,
    queriesPerSecond: syncQueriesPerSecond + messageQueriesPerSecond,
    requestsPerSecondByEndpoint,
    requestsPerSecond,
    upstreamCallsPerSecond: messagesPerSecond,
    egressBytesPerSecond: syncsPerSecond * bytesPerSync + messagesPerSecond * messageResponseBytes,
    arrivalRates: { sync: syncsPerSecond, [ENDPOINTS.message]: messagesPerSecond },
  };
}
