// Passwords that a character class misses, for the sweeps that prove no secret is ever shown.

/** Every URL-special character raw (`#`, `/`, `?`, space, `@`, `%`, `:`, quotes) plus unicode; all hold `hunter2`. */
export const NASTY_PASSWORDS = [
  'hunter2#zqfrag',
  'hunter2/zqslash',
  'hunter2?zqquery',
  'hunter2 zqsecretpart',
  'hunter2@zqat@zqtwice',
  'hunter2%zz%21zqpct',
  'hünter2€密码',
  'hunter2:zqcolon',
  'hunter2\'"zqquote',
] as const;

/** All of them in one password, for the end-to-end sweeps (one process each). */
export const NASTIEST_PASSWORD = 'hunter2 zqsec/zqret#zqpart@zqxx?zqyy%zqü密码:\'"zqend';

/** The words of a password that must never show (`hunter2` or a `zq` word: nothing a report says itself). */
export function secretParts(password: string): string[] {
  return password.split(/[#/?\s@%:'"]+/).filter((p) => p.length >= 4);
}
