import { UsageError } from '../../core/usage-error.ts';

/** Resolves `now` or an ISO time to a Date truncated to the second (so reruns compare equal). */
export function resolveAsOf(value: string, where = '--as-of', now: Date = new Date()): Date {
  const ms = value === 'now' ? now.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(where, `must be 'now' or an ISO time, got '${value}'`);
  return new Date(Math.floor(ms / 1000) * 1000);
}
