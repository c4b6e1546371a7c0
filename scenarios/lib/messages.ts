import http from 'k6/http';
import { BASE_URL, envNumber, REQUEST_TIMEOUT_S } from './env.ts';
import { acknowledge, authHeaders, NAMES, type Tags, track } from './rest.ts';
import { messageText } from './sync.ts';
import type { ActingUser } from './users.ts';

/** Characters of a chat message sent to /api/message (profile content.meanChars, capped). */
const PROMPT_CHARS = Math.max(1, Math.min(envNumber('MESSAGE_CHARS', 500), 8000));
const PROMPT = messageText(PROMPT_CHARS);

/** Ids of the messages a 2xx /api/message response says it stored (the user's message and the reply). */
export function storedMessageIds(body: unknown): string[] {
  const ids: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string' && /(^id$|Id$|_id$)/.test(key) && /^[0-9a-f-]{36}$/i.test(value)) {
      if (!/conversation|user_id|userId/i.test(key)) ids.push(value);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k);
    }
  };
  visit(body, '');
  return ids;
}

/** POST /api/message as `user` in their first conversation; acknowledged ids feed the integrity check. */
export function sendMessage(user: ActingUser, tags: Tags = {}): number {
  const res = http.post(
    `${BASE_URL}/api/message`,
    JSON.stringify({ conversation_id: user.firstConversationId, content: PROMPT }),
    {
      headers: authHeaders(user, { 'Content-Type': 'application/json' }),
      tags: { name: NAMES.message, ...tags },
      timeout: `${REQUEST_TIMEOUT_S}s`,
    },
  );
  track(res, NAMES.message);
  if (res.status >= 200 && res.status < 300 && typeof res.body === 'string') {
    try {
      acknowledge(storedMessageIds(JSON.parse(res.body)), NAMES.message);
    } catch {
      // a 2xx without a JSON body stores nothing the check could look up
    }
  }
  return res.status;
}
