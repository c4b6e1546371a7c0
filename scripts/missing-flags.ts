import { distance } from 'fastest-levenshtein';
import { typedFlags } from './unknown-flags.ts';

// yargs checks a command's required flags before its unknown ones, so a typo in a required flag
// ("--fitt") is reported as the flag missing ("Missing required arguments: fit, held-out") and the
// typed one is never named. The CLI's one line then names the typed flag that is a near miss of a
// missing one, so the typo shows where it was made.

const MISSING = /^Missing required arguments?: (.*)$/;

/** Edits (Levenshtein) within which a typed flag is taken for a missing one: a slip, not another word. */
const NEAR = 2;

/** yargs's message for missing required flags, with each typed flag that is a near miss of one of them; other messages unchanged. */
export function missingFlagsMessage(message: string, argv: readonly string[]): string {
  const m = MISSING.exec(message);
  if (!m) return message;
  const missing = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const hints: string[] = [];
  for (const [t, asTyped] of typedFlags(argv)) {
    if (missing.includes(t)) continue;
    const best = missing
      .map((name) => ({ name, edits: distance(t, name) }))
      .filter((c) => c.edits <= Math.min(NEAR, Math.floor(c.name.length / 2)))
      .sort((a, b) => a.edits - b.edits)[0];
    if (best) hints.push(`${asTyped}: did you mean --${best.name}?`);
  }
  return hints.length === 0 ? message : `${message} (${hints.join('; ')})`;
}
