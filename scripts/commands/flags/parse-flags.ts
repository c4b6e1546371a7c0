import type { z } from 'zod';
import { UsageError } from '../../../core/usage-error.ts';

/** `usersCsv` → `--users-csv`: the flag a schema key stands for (keys already dashed stay as they are). */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Parses a command's flags with its schema: the options object, or a UsageError naming the first flag
 * that is wrong and saying what is allowed (the CLI prints it as one line and exits 2).
 */
export function parseFlags<S extends z.ZodType>(schema: S, args: object): z.output<S> {
  // yargs hands every dashed flag over twice (`abusive-share` and `abusiveShare`); a caller may give one.
  const camel: Record<string, unknown> = { ...args };
  for (const [key, value] of Object.entries(args)) {
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(name in camel)) camel[name] = value;
  }
  const result = schema.safeParse(camel);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path[0];
  throw new UsageError(key === undefined ? 'flags' : flagName(key), issue.message);
}
