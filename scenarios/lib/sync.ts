import { envNumber } from './env.ts';
import { acknowledge, jsonRows, NAMES, NO_TAGS, restGet, restInsert, type Tags } from './rest.ts';
import { lastSyncOf, recordSync } from './sync-state.ts';
import type { ActingUser } from './users.ts';
import { uuidv4 } from './uuid.ts';

// The two sync strategies of storage-architecture-analysis.md, request for request as the client
// sends them over supabase-js: fullSync (section 1) and deltaSync (1.1).

/** Page size of the delta query (analysis 1.1: `.limit(100)`; the policy's sync.deltaLimit). */
const DELTA_LIMIT = envNumber('DELTA_LIMIT', 100);

/** Probability that a sync has a locally written message to push (the runner passes the profile's change share). */
const PUSH_SHARE = envNumber('PUSH_SHARE', 0.05);

/** Characters of a pushed message (profile content.meanChars). */
const MESSAGE_CHARS = Math.max(1, Math.min(envNumber('MESSAGE_CHARS', 500), 8000));

const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ';

/** Message text of about `chars` characters. */
export function messageText(chars: number): string {
  let text = '';
  while (text.length < chars) text += FILLER;
  return text.slice(0, chars);
}

const BODY = messageText(MESSAGE_CHARS);

interface ConversationRow {
  id: string;
}

/**
 * pushLocalChangesToRemote: one upsert batch per sync (simulator PUSH_REQUESTS_PER_SYNC), holding a
 * new local message with probability PUSH_SHARE; acknowledged ids feed the integrity check. Each push
 * is tagged `batch: empty | rows`: the two take different paths (an empty batch runs no statement on
 * the reference backend), so the run record keeps their latencies apart (`batches`).
 */
export function pushLocalChanges(user: ActingUser, tags: Tags = NO_TAGS): void {
  if (!(Math.random() < PUSH_SHARE && user.firstConversationId)) {
    // The empty batch: nothing to acknowledge.
    restInsert('messages', '[]', user, NAMES.push, { ...tags, batch: 'empty' });
    return;
  }
  const row = {
    id: uuidv4(),
    conversation_id: user.firstConversationId,
    role: 'user',
    content: BODY,
    created_at: new Date().toISOString(),
  };
  const res = restInsert('messages', [row], user, NAMES.push, { ...tags, batch: 'rows' });
  if (res.status >= 200 && res.status < 300) acknowledge([row.id], NAMES.push);
}

/** fullSync: all conversations, then all messages of every conversation, then the push. */
export function fullSync(user: ActingUser, tags: Tags = NO_TAGS): void {
  const conversations = jsonRows<ConversationRow>(
    restGet(`conversations?select=*&user_id=eq.${user.id}`, user, NAMES.conversations, tags),
  );
  for (const conversation of conversations) {
    restGet(
      `messages?select=*&conversation_id=eq.${conversation.id}&order=created_at.asc`,
      user,
      NAMES.messages,
      tags,
      'none', // the client stores them; the harness only needs the status
    );
  }
  pushLocalChanges(user, tags);
}

/** deltaSync: conversations updated since the last sync (limit), their new messages, then the push. */
export function deltaSync(user: ActingUser, intervalSeconds: number, tags: Tags = NO_TAGS): void {
  const started = Date.now();
  // An ISO timestamp (digits, '-', ':', '.', 'T', 'Z') is valid in a query string as it is: no encoding.
  const since = new Date(lastSyncOf(user.id, intervalSeconds, started)).toISOString();
  const changed = jsonRows<ConversationRow>(
    restGet(
      `conversations?select=*&user_id=eq.${user.id}&updated_at=gt.${since}&limit=${DELTA_LIMIT}`,
      user,
      NAMES.conversations,
      tags,
    ),
  );
  if (changed.length > 0) {
    const ids = changed.map((c) => c.id).join(',');
    restGet(
      `messages?select=*&conversation_id=in.(${ids})&created_at=gt.${since}`,
      user,
      NAMES.messages,
      tags,
      'none',
    );
  }
  pushLocalChanges(user, tags);
  recordSync(user.id, started);
}
