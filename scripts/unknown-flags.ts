// yargs names an unknown dashed flag twice, as typed and as its camelCase copy ("Unknown arguments:
// bogus-flag, bogusFlag"); the CLI's one line names each flag once, as it was typed, with its dashes.

const UNKNOWN = /^Unknown arguments?: (.*)$/;

const camelCase = (s: string): string => s.replace(/-([a-z0-9])/gi, (_, c: string) => c.toUpperCase());

/** The flags typed in `argv`: each name (no dashes, no `=value`) → the flag as typed, with its dashes. */
export function typedFlags(argv: readonly string[]): Map<string, string> {
  const typed = new Map<string, string>();
  for (const a of argv) {
    const flag = /^(-{1,2})([^=]+)/.exec(a);
    if (flag) typed.set(flag[2]!, `${flag[1]}${flag[2]}`);
  }
  return typed;
}

/** yargs's message for unknown flags rewritten to name each once, as typed in `argv`; other messages unchanged. */
export function unknownFlagsMessage(message: string, argv: readonly string[]): string {
  const m = UNKNOWN.exec(message);
  if (!m) return message;
  const typed = typedFlags(argv);
  const copies = new Set([...typed.keys()].map(camelCase).filter((c) => !typed.has(c)));
  const names = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((n) => n !== '' && !copies.has(n));
  // An unknown word that is not a flag (an extra positional argument) is named as it is.
  const shown = [...new Set(names)].map((n) => typed.get(n) ?? n);
  return `unknown ${shown.length === 1 ? 'argument' : 'arguments'} ${shown.join(', ')} (see --help for what this command takes)`;
}
