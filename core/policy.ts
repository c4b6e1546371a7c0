import { z } from 'zod';
import { loadYamlConfig } from './load-yaml-config.ts';

const ms = z.number().int().positive();

/** Client sync interval: one fixed period, or the adaptive periods of fix #3 by activity class. */
export const SyncIntervalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), seconds: z.number().positive() }),
  z.object({
    kind: z.literal('adaptive'),
    activeSeconds: z.number().positive(),
    recentSeconds: z.number().positive(),
    inactiveSeconds: z.number().positive(),
  }),
]);

/** Schema of a policy (fixtures/policies/*.yaml): one configuration of Atlas, for target, k6 and model. */
export const PolicySchema = z.object({
  name: z.string().min(1).optional(),
  description: z.string().default(''),
  /** Where the values come from (a seed document section). */
  source: z.string().default(''),
  upstream: z.object({
    /** HTTP agent maxSockets to the language-model API (report fix #1: 50 today, 200 fixed). */
    maxSockets: z.number().int().positive(),
    maxFreeSockets: z.number().int().positive().nullable().default(null),
    /** Socket timeout; null = none. */
    socketTimeoutMs: ms.nullable().default(null),
    /** Language-model latency, log-normal: median and p95 in ms (report: ~500 ms held per call). */
    latencyMs: z.object({ median: z.number().positive(), p95: z.number().positive() }),
  }),
  database: z.object({
    /** Connections in the server-side pool that serves REST and the backend. */
    poolSize: z.number().int().positive(),
    /** Longest wait for a pooled connection before the request fails with 503. */
    acquireTimeoutMs: ms,
    /** statement_timeout per query; null = none (report fix #4 sets 5 s). */
    statementTimeoutMs: ms.nullable().default(null),
    /** max_connections of the database plan this policy assumes (for charts and headroom). */
    maxConnections: z.number().int().positive(),
  }),
  rateLimit: z.object({
    /** Per-user limit on /api/message (fix #2), keyed by user id else IP; null = tier limits only. */
    perUser: z
      .object({
        windowSeconds: z.number().positive(),
        free: z.number().int().positive(),
        paid: z.number().int().positive(),
      })
      .nullable(),
    /** What to do when the shared counter store (Redis) is unreachable. */
    onStoreError: z.enum(['fail-open', 'fail-closed']).default('fail-open'),
  }),
  /** Monthly message allowance per tier, checked against daily_usage (dailyLimitMiddleware). */
  tierLimits: z.object({
    monthlyMessages: z.object({
      free: z.number().int().positive(),
      core: z.number().int().positive(),
      studio: z.number().int().positive(),
    }),
  }),
  sync: z.object({
    mode: z.enum(['full', 'delta']),
    /** Tiers whose clients sync (analysis: paid only). */
    tiers: z.array(z.enum(['free', 'core', 'studio'])).min(1),
    interval: SyncIntervalSchema,
    /** Page size of the delta query (analysis: .limit(100)). */
    deltaLimit: z.number().int().positive().default(100),
    /** Random offset of each client's timer; false = synchronised timers (thundering herd). */
    jitter: z.boolean().default(true),
  }),
  /** /healthz depth: `basic` (process up) or `full` (database, Redis, memory, uptime). */
  health: z.enum(['basic', 'full']),
});

/** A validated policy. */
export type Policy = z.output<typeof PolicySchema> & { name: string };
/** A sync interval configuration. */
export type SyncInterval = z.output<typeof SyncIntervalSchema>;

/** Loads a policy by fixture name (`current`, `fixed`, `scale`) or YAML path. */
export function loadPolicy(nameOrFile: string, flag = '--policy'): Policy {
  return loadYamlConfig('policies', nameOrFile, PolicySchema, flag) as Policy;
}
