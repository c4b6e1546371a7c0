// Per-user last-sync state of the delta sync. A client remembers when it last synced; in an open model
// any VU may run any user's next sync, so a VU that has not seen the user yet assumes the user's
// previous timer fired one interval ago, which is what a client on that interval would have stored.

const lastSync: Record<string, number> = {};

/** When `userId` last synced (ms since epoch): this VU's record when recent, else one interval ago. */
export function lastSyncOf(userId: string, intervalSeconds: number, now = Date.now()): number {
  const seen = lastSync[userId];
  const assumed = now - intervalSeconds * 1000;
  return seen !== undefined && seen > now - 2 * intervalSeconds * 1000 ? seen : assumed;
}

/** Remembers that `userId` synced at `at` (ms since epoch). */
export function recordSync(userId: string, at: number): void {
  lastSync[userId] = at;
}
