import { z } from 'zod';
import { remoteRefusal } from '../../../core/loopback.ts';
import { maskUrl } from '../../../core/redact.ts';
import { parseAssignment } from '../../../simulator/index.ts';
import { parseDurationSeconds } from '../../run/duration.ts';

// Flag values as zod schemas: each takes what the user typed (yargs hands strings through, so `1.5`,
// `ten` or `` reach these rules instead of becoming NaN) and fails with what is allowed and what was typed.

/** Text of a flag value as typed (numbers from programmatic callers are printed as they are). */
const typed = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

/** Digits with optional `_` separators (`10_000`): a whole number, or null. */
function whole(text: string): number | null {
  if (!/^\d+(_\d+)*$/.test(text)) return null;
  const n = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

/** A whole number from `min` (and up to `max`): `must be a whole number from 1 to 16, got '1.5'`. */
export function wholeNumber(min: number, max?: number) {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  return typed.transform((text, ctx) => {
    const n = whole(text);
    if (n === null || n < min || (max !== undefined && n > max)) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number ${range}, got '${text}'` });
      return z.NEVER;
    }
    return n;
  });
}

/** One number of users: `must be a positive integer, got 'ten'`. */
export const userCount = typed.transform((text, ctx) => {
  const n = whole(text);
  if (n === null || n < 1) {
    ctx.addIssue({ code: 'custom', message: `must be a positive integer, got '${text}'` });
    return z.NEVER;
  }
  return n;
});

/** Numbers of users, comma-separated (`1000,10_000`): `must be positive integers, got 'ten'`. */
export const userCounts = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .transform((value, ctx) => {
    const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
    if (items.length === 0) items.push(''); // an empty list is refused like an empty value
    const users: number[] = [];
    for (const item of items.map((s) => s.trim())) {
      const n = whole(item);
      if (n === null || n < 1) {
        ctx.addIssue({ code: 'custom', message: `must be positive integers, got '${item}'` });
        return z.NEVER;
      }
      users.push(n);
    }
    return users;
  });

/** A share from 0 to 1 (`0.05`): `must be a share between 0 and 1, got '2'`. */
export const share = typed.transform((text, ctx) => {
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(n >= 0 && n <= 1)) {
    ctx.addIssue({ code: 'custom', message: `must be a share between 0 and 1, got '${text}'` });
    return z.NEVER;
  }
  return n;
});

/** A length of time (`60`, `60s`, `2m`, `1h`) in whole seconds, from `min` (up to `max` when given). */
export function seconds(min: number, max?: number) {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  return typed.transform((text, ctx) => {
    const n = /^\d+\s*(s|m|h)?$/.test(text) ? parseDurationSeconds(text) : Number.NaN;
    if (!(n >= min && (max === undefined || n <= max))) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a whole number of seconds ${range} (60, 60s, 2m, 1h), got '${text}'`,
      });
      return z.NEVER;
    }
    return n;
  });
}

/** One of `values`: `must be one of analytic, des, got 'x'`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => `must be one of ${values.join(', ')}, got '${String(issue.input)}'`,
  });
}

/** `now` or an ISO time, truncated to the second (so reruns compare equal); `now` is `clock()`. */
export function instant(clock: () => Date = () => new Date()) {
  return typed.transform((text, ctx) => {
    const ms = text === 'now' ? clock().getTime() : Date.parse(text);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `must be 'now' or an ISO time, got '${text}'` });
      return z.NEVER;
    }
    return new Date(Math.floor(ms / 1000) * 1000);
  });
}

/** Names, comma-separated (`current,fixed`): at least one `what` (`name at least one policy`). */
export function nameList(what: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((names) => names.length > 0, { error: `name at least one ${what}` });
}

/**
 * Why `url` may not be loaded, seeded or listened on (core/loopback.ts), or undefined when it may:
 * loopback, or the host `--allow-remote` names. A value that is not a URL is refused as such.
 */
export function urlRefusal(url: string, allowRemote: string | undefined): string | undefined {
  try {
    return remoteRefusal(url, allowRemote);
  } catch {
    return `is not a valid URL: ${maskUrl(url)}`;
  }
}

/**
 * Repeated `--set name=value` (simulator/assumptions.ts names and domains): the assignments as typed,
 * each checked, e.g. `peakConcurrentShare must be a number from 0 to 1, got 1.5`.
 */
export const assignments = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value, ctx) => {
    const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
    for (const item of items) {
      try {
        parseAssignment(item);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }
    return items;
  });
