import type { MetastableLoad, PoolRecovery } from '../../simulator/index.ts';

// `npm run bench:metastable` (bench:knee --burst): does a burst that fills the pool leave it full
// where the model says its collapse is metastable, and drain below that? (issue 12). Pure.

/** What the model expects of the pool after a burst at a level: back to calm, or full for good. */
export type BurstExpectation = 'drains' | 'holds';

/** A level of the burst bench: its users, its fraction of K, and what the model expects. */
export interface BurstLevel {
  users: number;
  /** Users over the saturation knee K. */
  ofKnee: number;
  expect: BurstExpectation;
}

/** Below the metastable load M, the burst level at this fraction of M (a full pool should drain there). */
export const BELOW_METASTABLE = 0.85;
/** Where M is not below K (no collapse holds itself up to K), the two levels as fractions of K. */
export const DRAIN_ONLY_LEVELS = [0.8, 0.95] as const;
/** A drained pool is calm again within this many seconds of the burst's end. */
export const DRAIN_WITHIN_SECONDS = 15;
/** ...and full with requests waiting in less than this share of the seconds after it. */
export const DRAINED_CONGESTED_SHARE = 0.25;
/** A pool that holds stays full with requests waiting in at least this share of the seconds after the burst. */
export const HELD_CONGESTED_SHARE = 0.5;

/**
 * The two burst levels: 0.85 M (expected to drain) and midway from M to K (expected to hold), or where
 * no collapse holds itself up to K, 0.8 K and 0.95 K (both expected to drain).
 */
export function burstLevels(m: MetastableLoad): BurstLevel[] {
  const k = m.kneeUsers;
  const at = (users: number, expect: BurstExpectation): BurstLevel => {
    const u = Math.max(1, Math.round(users));
    return { users: u, ofKnee: u / k, expect };
  };
  if (m.users === null || m.users >= k) return DRAIN_ONLY_LEVELS.map((f) => at(f * k, 'drains'));
  return [at(BELOW_METASTABLE * m.users, 'drains'), at((m.users + k) / 2, 'holds')];
}

/** What one replicate's pool did after the burst. */
export function burstOutcome(r: PoolRecovery | null): BurstExpectation | 'between' | 'unread' {
  if (!r) return 'unread';
  if (r.congestedShare >= HELD_CONGESTED_SHARE) return 'holds';
  if (
    r.calmAfterSeconds !== null &&
    r.calmAfterSeconds <= DRAIN_WITHIN_SECONDS &&
    r.congestedShare < DRAINED_CONGESTED_SHARE
  )
    return 'drains';
  return 'between';
}

/** A burst level's verdict: PASS when every replicate's pool did what the model expects. */
export function judgeBurstLevel(
  level: BurstLevel,
  replicates: ReadonlyArray<{ run: string; recovery: PoolRecovery | null }>,
): { pass: boolean; lines: string[] } {
  const outcomes = replicates.map((r) => ({ ...r, outcome: burstOutcome(r.recovery) }));
  const pass = outcomes.length > 0 && outcomes.every((o) => o.outcome === level.expect);
  const lines = outcomes.map(({ run, recovery, outcome }) => {
    if (!recovery) return `  ${run}: no pool samples after the burst`;
    const calm =
      recovery.calmAfterSeconds === null
        ? `not calm again within the window's ${recovery.seconds} s after it`
        : `calm again ${recovery.calmAfterSeconds} s after it`;
    return `  ${run}: ${calm}; pool full with requests waiting ${(recovery.congestedShare * 100).toFixed(0)} % of the ${recovery.seconds} s after it: ${outcome}`;
  });
  return {
    pass,
    lines: [
      `${level.ofKnee.toFixed(2)}K = ${level.users} users, a ${level.expect === 'holds' ? 'full pool expected to stay full' : 'full pool expected to drain'}: ${pass ? 'PASS' : 'FAIL'}`,
      ...lines,
    ],
  };
}
