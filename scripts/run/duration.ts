import { UsageError } from '../../core/usage-error.ts';

/** Parses `--duration` (`60`, `60s`, `2m`, `1h`) into whole seconds; UsageError otherwise. */
export function parseDurationSeconds(text: string | number, flag = '--duration'): number {
  const m = /^(\d+)\s*(s|m|h)?$/.exec(String(text).trim());
  if (!m) throw new UsageError(flag, `must be seconds or a number with s, m or h, got '${text}'`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's'];
}
