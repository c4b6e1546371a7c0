// Passwords that a character class misses, for the sweeps that prove no secret is ever shown.

/** Every URL-special character raw (`#`, `/`, `?`, space, `@`, `%`, `:`, quotes) plus unicode; all hold `hunter2`. */
export const NASTY_PASSWORDS = [
  'hunter2#frag',
  'hunter2/slash',
  'hunter2?query',
  'hunter2 secretpart',
  'hunter2@at@twice',
  'hunter2%zz%21',
  'hünter2€密码',
  'hunter2:colon',
  'hunter2\'"quote',
] as const;

/** The words of a password that must never show (`hunter2` is one of each). */
export function secretParts(password: string): string[] {
  return password.split(/[#/?\s@%:'"]+/).filter((p) => p.length >= 4);
}
