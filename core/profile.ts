import { z } from 'zod';
import { loadYamlConfig } from './load-yaml-config.ts';

const share = z.number().min(0).max(1);
const positive = z.number().positive();
const count = z.number().int().min(0);

/** User tiers of Atlas (storage-architecture-analysis.md, profiles.subscription_tier). */
/**
 * Shape (σ) of the seeded conversations per user, log-normal around the profile's mean: an assumption
 * (the seeds give only the mean; range 0.3-1.0). The seeder draws with it and the simulator reads a
 * sync's spread from it (simulator/sync-duration-cv.ts).
 */
export const CONVERSATIONS_PER_USER_SIGMA = 0.5;

export const TIERS = ['free', 'core', 'studio'] as const;
/** One of Atlas's subscription tiers. */
export type Tier = (typeof TIERS)[number];

/** Activity classes of the adaptive sync fix (launch-readiness-report.md, fix #3). */
export const ACTIVITY_CLASSES = ['active', 'recent', 'inactive'] as const;
/** How recently a user was active: < 1 h, < 24 h, or longer. */
export type ActivityClass = (typeof ACTIVITY_CLASSES)[number];

/** The as-of instant of a profile that names none (fixed: seeds are reproducible by default). */
export const DEFAULT_AS_OF = '2025-06-01T00:00:00Z';

/** Schema of a workload profile (fixtures/profiles/*.yaml): what is seeded, sent and simulated. */
export const ProfileSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().default(''),
    /** Registered users seeded and simulated (overridable with --users). */
    users: z.number().int().positive(),
    /** Seed of every random stream (faker, PRNG, UUIDs). */
    seed: z.number().int().min(0).default(1),
    /**
     * Instant the dataset is a snapshot of: an ISO time, or `now` (resolved when seeding, so every seed
     * differs). Default a fixed instant, so the same profile and seed always give the same tables.
     */
    asOf: z.string().default(DEFAULT_AS_OF),
    tierMix: z.object({ free: share, core: share, studio: share }),
    conversationsPerUser: z.object({ mean: positive, max: z.number().int().positive() }),
    messagesPerConversation: z.object({
      mean: positive,
      max: z.number().int().positive(),
      /** What the analysis assumes (~100: 5k messages per user / 50 conversations); mean may scale it down. */
      reference: positive.default(100),
    }),
    content: z.object({
      /** Mean message length in characters (analysis: ~500). */
      meanChars: positive,
      /** Shape of the log-normal length distribution. */
      sigma: z.number().min(0).max(3).default(0.8),
      maxChars: z.number().int().positive().default(8000),
    }),
    /** How far back the seeded history goes, in days. */
    historyDays: z.number().int().positive(),
    activity: z.object({
      active: z.object({ share, withinHours: positive.default(1) }),
      recent: z.object({ share, withinHours: positive.default(24) }),
      inactive: z.object({ share }),
    }),
    /** Share of registered users online at the moment considered (1 = "100k concurrent users"). */
    onlineShare: share.default(1),
    /** /api/message sends per online user per minute (launch report: 2 requests/min). */
    messagesPerUserPerMinute: z.number().min(0).default(2),
    /**
     * Per tier, in place of messagesPerUserPerMinute: the peak rate each tier's monthly cap allows
     * (simulator/load.ts derives it from the load assumptions). Absent: every tier sends the same.
     */
    messagesPerMinuteByTier: z
      .object({ free: z.number().min(0), core: z.number().min(0), studio: z.number().min(0) })
      .optional(),
    /**
     * Values of the model's assumptions (simulator/assumptions.ts names and checks them), e.g.
     * `{ peakConcurrentShare: 0.1 }`; `--set name=value` overrides them.
     */
    assumptions: z.record(z.string(), z.number()).default({}),
    /** Share of a user's conversations changed within one 30 s interval (analysis: 5%). */
    changeSharePer30s: share.default(0.05),
    dailyUsage: z.object({ days: count }),
    usageLogs: z.object({ eventsPerUserPerDay: z.number().min(0), days: count }),
    responseCache: z.object({ rows: count }),
  })
  .superRefine((p, ctx) => {
    const tierSum = p.tierMix.free + p.tierMix.core + p.tierMix.studio;
    if (Math.abs(tierSum - 1) > 1e-6) {
      ctx.addIssue({
        code: 'custom',
        path: ['tierMix'],
        message: `shares must add up to 1 (they add up to ${tierSum})`,
      });
    }
    const activitySum = p.activity.active.share + p.activity.recent.share + p.activity.inactive.share;
    if (Math.abs(activitySum - 1) > 1e-6) {
      ctx.addIssue({
        code: 'custom',
        path: ['activity'],
        message: `shares must add up to 1 (they add up to ${activitySum})`,
      });
    }
    if (p.asOf !== 'now' && Number.isNaN(Date.parse(p.asOf))) {
      ctx.addIssue({
        code: 'custom',
        path: ['asOf'],
        message: `must be 'now' or an ISO time, got '${p.asOf}'`,
      });
    }
  });

/** A validated workload profile. */
export type Profile = z.output<typeof ProfileSchema> & { name: string };

/** Loads a profile by fixture name (`ci-smoke`) or YAML path; errors name the file and field. */
export function loadProfile(nameOrFile: string, flag = '--profile'): Profile {
  return loadYamlConfig('profiles', nameOrFile, ProfileSchema, flag) as Profile;
}
