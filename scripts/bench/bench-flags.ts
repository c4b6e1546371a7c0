import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

// The benches' bad-input rule in one place: one line naming the bench, the flag and what is allowed,
// exit 2, before anything is run or written. bench:knee, bench:repeatability and bench:calibration
// each had their own copy of it.

/** Ends the process as bad input: `<bench>: <message>` on stderr, exit 2. */
export type Refuse = (message: string) => never;

/** The refusal of one bench (`bench:knee`, ...): its name first on the line. */
export function refusalOf(bench: string): Refuse {
  return (message) => {
    process.stderr.write(`${bench}: ${message.split('\n')[0] ?? message}\n`);
    process.exit(2);
  };
}

/** node:util parseArgs over the process's arguments, strict; an unknown or malformed flag is refused. */
export function parseBenchArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  refuse: Refuse,
  options: O,
): ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'] {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return refuse((error as Error).message);
  }
}

/** `--name`'s value as a whole number of at least `min`; anything else (or no value) is refused. */
export function wholeFlag(refuse: Refuse, name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min)
    refuse(`--${name} must be a whole number >= ${min}, got '${value ?? ''}'`);
  return n;
}

/** `--reuse`'s folder resolved, or null when not given; a folder that does not exist is refused. */
export function reuseFolder(refuse: Refuse, value: string | undefined): string | null {
  if (value === undefined) return null;
  const dir = resolve(value);
  if (!existsSync(dir)) refuse(`--reuse: ${dir} does not exist`);
  return dir;
}
