import { describe, expect, it } from 'vitest';
import { unknownFlagsMessage } from './unknown-flags.ts';

describe('the one line for unknown flags', () => {
  it('names a dashed flag once, as typed (yargs adds its camelCase copy)', () => {
    expect(
      unknownFlagsMessage('Unknown arguments: bogus-flag, bogusFlag', ['run', 'full-sync', '--bogus-flag']),
    ).toBe('unknown argument --bogus-flag (see --help for what this command takes)');
  });

  it('keeps two different flags, a one-letter one and a value given with =', () => {
    expect(
      unknownFlagsMessage('Unknown arguments: x, dry-run, dryRun', ['review', '-x', '--dry-run=1']),
    ).toBe('unknown arguments -x, --dry-run (see --help for what this command takes)');
  });

  it('keeps a typed camelCase flag and an extra positional word', () => {
    expect(unknownFlagsMessage('Unknown arguments: fooBar, extra', ['seed', '--fooBar', 'extra'])).toBe(
      'unknown arguments --fooBar, extra (see --help for what this command takes)',
    );
  });

  it('leaves other messages alone', () => {
    expect(unknownFlagsMessage('Missing required argument: users', ['run'])).toBe(
      'Missing required argument: users',
    );
  });
});
