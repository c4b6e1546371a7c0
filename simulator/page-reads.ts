import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { ACTIVITY_CLASSES } from '../core/profile.ts';
import { PAGE_BYTES } from './data-size.ts';
import { missRatios, type PageGroup } from './working-set.ts';
import { CONVERSATION_ROW_BYTES, ENDPOINTS, messageRowBytes, type Workload, workloadAt } from './workload.ts';

// The pages a workload's syncs read from outside a memory of M bytes (issue 12, item 3: the buffer
// hit ratio), by working set, not by database size: a sync reads its own user's rows, so the pages in
// play are those of the users who sync, each referenced once a sync, and the indexes the statements
// walk. shared_buffers keeps them by Che's approximation of LRU (working-set.ts):
//   - one group per activity class: the class's looping users × the heap pages of one sync's rows,
//     each page referenced once a cycle (periodic: the class's looping users over its syncs per
//     second), so once a class's pages outgrow what the cache holds for them, every one misses;
//   - one group of index pages: the messages index and the conversations' primary key (the messages
//     statement's row-level-security check) leaves, referenced by every statement that walks them
//     (a Poisson stream: many users' statements on each page).
// Looping users: on a deployment the syncing users online (the workload's), each once an interval; on
// the rig every seeded user of the syncing tiers (k6 cycles through all of them, at the rate the online
// share sets). A sync's heap pages: its rows over the rows of one user that share a page (the layout
// dial). Behind it the OS page cache sees shared_buffers' misses, an LRU too, with the readahead's and
// the WAL's pages flowing through it (readsOnTiers). A delta sync's new messages were just written and
// are in memory: its user's conversation rows are counted, its messages are not. Pure.

/**
 * Index bytes per message and per conversation the syncs' statements walk, measured on the seeded
 * dataset (2026-12-06, ci-smoke at 3,500 and 5,000 users, 4 messages a conversation:
 * idx_messages_conversation_id 10 and 14 MB for 700,000 and 1,000,000 messages; conversations_pkey 5
 * and 8 MB for 175,000 and 250,000 conversations). An upper bound at more messages a conversation
 * (B-tree deduplication stores a repeated key once).
 */
export const INDEX_BYTES = { perMessage: 15, perConversation: 32 } as const;

/**
 * Rows of one user's sync that share a heap page as the seeder writes them (a user's rows together):
 * measured 2026-12-06 on ci-smoke (ctid), 200 messages of a paid user on 19.0-20.4 pages, 50
 * conversations on 1.7-1.8. What the rig's runs read; a deployment's layout is the heapRowsPerPage
 * assumption.
 */
export const SEEDED_ROWS_PER_PAGE = 10;

/** Where the looping users come from: the seeded syncing users (rig) or the syncing users online (deployment). */
export type LoopingUsers = 'seeded' | 'online';

/** What the pages a workload reads depend on beyond its profile and policy. */
export interface PageReadInput {
  /** Rows of one user's sync that share a heap page (messages; conversations in proportion to their size). */
  rowsPerPage: number;
  /** Messages per conversation the data holds (the seed's mean, or the reference). */
  messagesPerConversation: number;
  looping: LoopingUsers;
}

/** Pages a statement of each kind reads from outside a memory, on average, and what they came from. */
export interface PageReads {
  /** Pages read per statement, by kind (sync REST endpoints; others read none). */
  perStatement: Record<string, number>;
  /** Pages read per sync, rate-weighted over the classes. */
  perSync: number;
  /** Pages in play: the looping users' heap pages and the index pages they reference. */
  workingSetBytes: number;
  /** The looping users (all classes). */
  loopingUsers: number;
}

/** Message rows of one user that share a heap page → conversation rows that do (they are smaller), at most a page's worth. */
function conversationRowsPerPage(profile: Profile, rowsPerPage: number): number {
  const ratio = messageRowBytes(profile.content.meanChars) / CONVERSATION_ROW_BYTES;
  return Math.min(PAGE_BYTES / CONVERSATION_ROW_BYTES, rowsPerPage * ratio);
}

/** One class's heap pages of one sync, by the statement kind that reads them. */
function heapPagesPerSync(
  profile: Profile,
  policy: Policy,
  input: PageReadInput,
): { conversations: number; messages: number } {
  const conversations = profile.conversationsPerUser.mean;
  const convPages = conversations / conversationRowsPerPage(profile, input.rowsPerPage);
  if (policy.sync.mode !== 'full') return { conversations: convPages, messages: 0 };
  return {
    conversations: convPages,
    messages: (conversations * input.messagesPerConversation) / input.rowsPerPage,
  };
}

/** The looping users of each class: the online syncing users, or every seeded one (online share 1). */
function loopingByClass(w: Workload, profile: Profile, looping: LoopingUsers): Record<string, number> {
  const scale = looping === 'seeded' && profile.onlineShare > 0 ? 1 / profile.onlineShare : 1;
  return Object.fromEntries(ACTIVITY_CLASSES.map((c) => [c, w.syncingByClass[c] * scale]));
}

/** Pages read from outside shared_buffers, and those of them read from the disk. */
export interface TwoTierReads {
  buffers: PageReads;
  disk: PageReads;
}

/** A workload's pages in play, worked out once, and what it reads from outside any memory. */
export interface WorkingSet {
  /** Pages read from outside `memoryBytes` of an LRU cache (shared_buffers), per statement kind and per sync. */
  readsOn(memoryBytes: number): PageReads;
  /**
   * Pages missed by `sharedBuffersBytes` (LRU), and those of them the OS page cache of
   * `pageCacheBytes` misses too (LRU on shared_buffers' misses, taking in `inflowPerMiss` pages never
   * referenced again for each page shared_buffers misses): the disk's reads.
   */
  readsOnTiers(sharedBuffersBytes: number, pageCacheBytes: number, inflowPerMiss: number): TwoTierReads;
}

/**
 * The working set of the syncs of `users`: the looping users' heap pages and the index pages, built
 * once; `readsOn` solves Che's approximation on shared_buffers alone, `readsOnTiers` on shared_buffers
 * and the OS page cache behind it, so a prediction on both tiers builds the workload once.
 */
export function workingSetOf(
  profile: Profile,
  policy: Policy,
  users: number,
  input: PageReadInput,
): WorkingSet {
  const w = workloadAt(profile, policy, users, { messagesPerConversation: input.messagesPerConversation });
  const looping = loopingByClass(w, profile, input.looping);
  const heap = heapPagesPerSync(profile, policy, input);
  const perUser = heap.conversations + heap.messages;
  const classes = ACTIVITY_CLASSES.filter((c) => (looping[c] ?? 0) > 0 && w.syncsPerSecondByClass[c] > 0);
  const groups: PageGroup[] = classes.map((c) => ({
    pages: looping[c]! * perUser,
    refsPerPagePerSecond: w.syncsPerSecondByClass[c] / looping[c]!,
    periodic: true,
  }));
  // The index pages: a page holds k conversations' entries; those of the looping users' conversations
  // (a share f of all) are referenced, the rest never: 1 − e^(−k f) of the pages (Poisson), each at the
  // statements' rate over them. At the seed's 4 messages a conversation every page holds some looping
  // user's entries; at 100 a page holds ten conversations and the looping users' are a few of them.
  const conversationsTotal = users * profile.conversationsPerUser.mean;
  const indexPages =
    (conversationsTotal *
      (INDEX_BYTES.perConversation + INDEX_BYTES.perMessage * input.messagesPerConversation)) /
    PAGE_BYTES;
  const loopingConversations =
    classes.reduce((s, c) => s + looping[c]!, 0) * profile.conversationsPerUser.mean;
  const perPage = indexPages > 0 ? conversationsTotal / indexPages : 0;
  const share = conversationsTotal > 0 ? Math.min(1, loopingConversations / conversationsTotal) : 0;
  const referencedIndexPages = indexPages * -Math.expm1(-perPage * share);
  const messagesRate = w.requestsPerSecondByEndpoint[ENDPOINTS.messages] ?? 0;
  const conversationsRate = w.requestsPerSecondByEndpoint[ENDPOINTS.conversations] ?? 0;
  // A messages statement walks its index and the conversations' key (row-level security); a conversations statement one leaf.
  const indexRefs = 2 * messagesRate + conversationsRate;
  const withIndex = referencedIndexPages > 0 && indexRefs > 0;
  if (withIndex)
    groups.push({ pages: referencedIndexPages, refsPerPagePerSecond: indexRefs / referencedIndexPages });
  const loopingUsers = classes.reduce((s, c) => s + looping[c]!, 0);
  const workingSetBytes = (loopingUsers * perUser + (withIndex ? referencedIndexPages : 0)) * PAGE_BYTES;
  const readsFrom = (miss: readonly number[]): PageReads => {
    const indexMiss = withIndex ? miss[miss.length - 1]! : 0;
    // Heap reads per second of each kind, summed over the classes (each class's pages miss at its own ratio).
    let convReads = 0;
    let msgReads = 0;
    classes.forEach((c, i) => {
      convReads += w.syncsPerSecondByClass[c] * heap.conversations * miss[i]!;
      msgReads += w.syncsPerSecondByClass[c] * heap.messages * miss[i]!;
    });
    const per = (reads: number, rate: number, leaves: number): number =>
      rate > 0 ? reads / rate + leaves * indexMiss : 0;
    const perStatement = {
      [ENDPOINTS.conversations]: per(convReads, conversationsRate, 1),
      [ENDPOINTS.messages]: per(msgReads, messagesRate, 2),
    };
    const perSync =
      w.syncsPerSecond > 0 ? (convReads + msgReads + indexRefs * indexMiss) / w.syncsPerSecond : 0;
    return { perStatement, perSync, workingSetBytes, loopingUsers };
  };
  const readsOn = (memoryBytes: number): PageReads => readsFrom(missRatios(groups, memoryBytes / PAGE_BYTES));
  const readsOnTiers = (
    sharedBuffersBytes: number,
    pageCacheBytes: number,
    inflowPerMiss: number,
  ): TwoTierReads => {
    const bufferMiss = missRatios(groups, sharedBuffersBytes / PAGE_BYTES);
    // The page cache sees shared_buffers' misses only: each group's references thinned by its miss ratio.
    const seen = groups.map((g, i) => ({
      ...g,
      refsPerPagePerSecond: g.refsPerPagePerSecond * bufferMiss[i]!,
    }));
    const inflow = inflowPerMiss * seen.reduce((s, g) => s + g.pages * g.refsPerPagePerSecond, 0);
    const cacheMiss = missRatios(seen, pageCacheBytes / PAGE_BYTES, inflow);
    return {
      buffers: readsFrom(bufferMiss),
      disk: readsFrom(bufferMiss.map((m, i) => m * cacheMiss[i]!)),
    };
  };
  return { readsOn, readsOnTiers };
}

/** Pages the syncs of `users` read from outside `memoryBytes` of cache: {@link workingSetOf}'s, on one memory. */
export function pageReads(
  profile: Profile,
  policy: Policy,
  users: number,
  input: PageReadInput,
  memoryBytes: number,
): PageReads {
  return workingSetOf(profile, policy, users, input).readsOn(memoryBytes);
}
