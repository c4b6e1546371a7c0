import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Policy } from '../core/policy.ts';
import { TIERS, type Tier } from '../core/profile.ts';
import { authenticateUser } from './auth.ts';
import type { DbPool } from './db-pool.ts';
import type { TargetMetrics } from './metrics.ts';
import type { MessageRateLimiter } from './rate-limit.ts';
import { parseJsonText } from './rest/json-body.ts';
import { PostgrestError } from './rest/postgrest-error.ts';
import { type UpstreamClient, UpstreamError } from './upstream-agent.ts';

/** What /api/message needs. */
export interface MessageDeps {
  policy: Policy;
  db: DbPool;
  upstream: UpstreamClient;
  rateLimiter: MessageRateLimiter;
  metrics: TargetMetrics;
  jwtSecret: string;
  /** Memory bound: calls allowed to wait for an upstream socket before new ones get 503. */
  maxQueuedUpstream: number;
}

/** Longest message accepted, in characters (a generous bound on a chat message). */
export const MAX_CONTENT_CHARS = 32_000;
/** Assumed price per token for daily_usage.api_cost_estimate (an assumption; pricing lives in fixtures/pricing). */
const COST_PER_TOKEN_USD = 0.000003;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  headers = {},
): never {
  throw new PostgrestError(status, code, message, details, null, headers);
}

function parseBody(raw: unknown): { conversationId: string; content: string } {
  if (typeof raw !== 'string' || raw.trim() === '')
    fail(400, 'invalid_body', 'Body must be JSON {conversation_id, content}');
  let body: unknown;
  try {
    body = parseJsonText(raw);
  } catch (error) {
    fail(400, 'invalid_body', 'Body is not valid JSON', (error as Error).message);
  }
  const b = body as { conversation_id?: unknown; content?: unknown };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail(400, 'invalid_body', 'Body must be a JSON object {conversation_id, content}');
  }
  if (typeof b.conversation_id !== 'string' || !UUID.test(b.conversation_id)) {
    fail(400, 'invalid_body', 'conversation_id must be a UUID');
  }
  if (typeof b.content !== 'string' || b.content.trim() === '')
    fail(400, 'invalid_body', 'content must be a non-empty string');
  if (b.content.length > MAX_CONTENT_CHARS) {
    fail(400, 'invalid_body', `content is longer than ${MAX_CONTENT_CHARS} characters`);
  }
  return { conversationId: b.conversation_id, content: b.content };
}

/**
 * POST /api/message, as Atlas's backend does it: verify the JWT, read the tier, apply the per-user
 * rate limit (429) and the monthly tier limit (402), store the user's message, call the language
 * model through the pooled agent (no database connection is held while waiting), then store the
 * reply, touch the conversation and count the usage in one atomic statement. A 200 means both
 * messages are committed.
 */
async function handleMessage(deps: MessageDeps, request: FastifyRequest, reply: FastifyReply) {
  const user = await authenticateUser(request.headers, deps.jwtSecret);
  const { conversationId, content } = parseBody(request.body);
  const { db, metrics, policy } = deps;

  const profile = await db.query<{ subscription_tier: string }>(
    'message.tier',
    'select subscription_tier from public.profiles where id = $1::uuid',
    [user.sub],
  );
  const rawTier = profile.rows[0]?.subscription_tier;
  if (rawTier === undefined) fail(403, 'no_profile', 'No profile for this user');
  const tier: Tier = (TIERS as readonly string[]).includes(rawTier) ? (rawTier as Tier) : 'free';

  const decision = await deps.rateLimiter.consume(user.sub ?? request.ip, tier);
  if (!decision.allowed) {
    metrics.rateLimited.inc({ tier });
    fail(
      decision.storeError ? 503 : 429,
      decision.storeError ? 'rate_limit_unavailable' : 'rate_limited',
      decision.storeError
        ? 'Rate-limit store unreachable (policy fail-closed)'
        : 'Too many requests, please slow down',
      `limit ${decision.limit} per ${policy.rateLimit.perUser?.windowSeconds ?? 0} s for tier ${tier}`,
      { 'retry-after': String(decision.retryAfterSeconds) },
    );
  }
  if (decision.limit !== null && decision.remaining !== null) {
    reply.header('x-ratelimit-limit', String(decision.limit));
    reply.header('x-ratelimit-remaining', String(decision.remaining));
  }

  const monthly = policy.tierLimits.monthlyMessages[tier];
  const usage = await db.query<{ used: number }>(
    'message.usage',
    `select coalesce(sum(conversations_count), 0)::int as used from public.daily_usage
      where user_id = $1::uuid and date >= date_trunc('month', current_date)::date`,
    [user.sub],
  );
  const used = usage.rows[0]?.used ?? 0;
  if (used >= monthly) {
    metrics.tierLimited.inc({ tier });
    fail(
      402,
      'monthly_limit_exceeded',
      `Monthly message limit of the ${tier} tier reached`,
      `${used} of ${monthly} used this month`,
    );
  }

  const userMessageId = randomUUID();
  const inserted = await db.query(
    'insert.messages',
    `insert into public.messages (id, conversation_id, role, content, created_at)
     select $1::uuid, c.id, 'user', $3, now() from public.conversations c where c.id = $2::uuid and c.user_id = $4::uuid`,
    [userMessageId, conversationId, content, user.sub],
  );
  if (inserted.rowCount === 0) fail(404, 'conversation_not_found', 'No such conversation for this user');

  if (deps.upstream.stats().queued >= deps.maxQueuedUpstream) {
    fail(
      503,
      'overloaded',
      'Too many language-model calls waiting',
      `${deps.maxQueuedUpstream} already queued`,
      {
        'retry-after': '1',
      },
    );
  }
  let answer: Awaited<ReturnType<UpstreamClient['call']>>;
  try {
    answer = await deps.upstream.call(content);
  } catch (error) {
    if (error instanceof UpstreamError && error.kind === 'timeout')
      fail(504, 'upstream_timeout', error.message);
    fail(502, 'upstream_error', 'The language model did not answer', (error as Error).message);
  }

  const assistantMessageId = randomUUID();
  const tokens = answer.inputTokens + answer.outputTokens;
  await db.query(
    'message.reply',
    `with reply as (
       insert into public.messages (id, conversation_id, role, content, created_at)
       values ($1::uuid, $2::uuid, 'assistant', $3, now()) returning id),
     touched as (update public.conversations set updated_at = now() where id = $2::uuid returning id)
     insert into public.daily_usage (user_id, date, conversations_count, total_tokens_used, api_cost_estimate, tier)
     values ($4::uuid, current_date, 1, $5, $6, $7)
     on conflict (user_id, date) do update set
       conversations_count = daily_usage.conversations_count + 1,
       total_tokens_used = daily_usage.total_tokens_used + excluded.total_tokens_used,
       api_cost_estimate = daily_usage.api_cost_estimate + excluded.api_cost_estimate`,
    [assistantMessageId, conversationId, answer.text, user.sub, tokens, tokens * COST_PER_TOKEN_USD, tier],
  );
  return reply.send({
    user_message_id: userMessageId,
    assistant_message_id: assistantMessageId,
    reply: answer.text,
  });
}

/** Registers POST /api/message. */
export function registerMessageRoute(app: FastifyInstance, deps: MessageDeps): void {
  app.post('/api/message', (request, reply) => handleMessage(deps, request, reply));
}
