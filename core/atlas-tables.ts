// Columns of the Atlas tables in table order, written once: the seeder's COPY column lists and the
// backend's REST identifier whitelist both come from here, and core/atlas-tables.test.ts checks them
// against the schema (fixtures/schema/plain.sql and partitioned.sql), the SQL the database runs.

/** Every column of each Atlas table, in the schema's order. */
export const ATLAS_COLUMNS = {
  profiles: [
    'id',
    'email',
    'subscription_tier',
    'subscription_status',
    'usage_stats',
    'created_at',
    'updated_at',
  ],
  conversations: ['id', 'user_id', 'title', 'created_at', 'updated_at'],
  messages: ['id', 'conversation_id', 'role', 'content', 'created_at'],
  daily_usage: [
    'id',
    'user_id',
    'date',
    'conversations_count',
    'total_tokens_used',
    'api_cost_estimate',
    'tier',
  ],
  usage_logs: ['id', 'user_id', 'event', 'data', 'timestamp'],
  response_cache: ['id', 'query_hash', 'tier', 'response_text', 'hit_count', 'created_at', 'expires_at'],
} as const satisfies Record<string, readonly string[]>;

/** Name of an Atlas table. */
export type AtlasTable = keyof typeof ATLAS_COLUMNS;
