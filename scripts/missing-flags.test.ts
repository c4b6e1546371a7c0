import { describe, expect, it } from 'vitest';
import { missingFlagsMessage } from './missing-flags.ts';

describe('the one line for missing required flags', () => {
  it('names a typed flag one slip away from a missing one', () => {
    expect(
      missingFlagsMessage('Missing required arguments: fit, held-out', ['validate', '--fitt', 'x']),
    ).toBe('Missing required arguments: fit, held-out (--fitt: did you mean --fit?)');
    expect(
      missingFlagsMessage('Missing required argument: held-out', ['validate', '--fit', 'a', '--held-ot=b']),
    ).toBe('Missing required argument: held-out (--held-ot: did you mean --held-out?)');
  });

  it('leaves the message alone when no typed flag is near a missing one, or for other messages', () => {
    expect(missingFlagsMessage('Missing required argument: profile', ['seed', '--users', '5'])).toBe(
      'Missing required argument: profile',
    );
    // "fit" is 3 letters: one edit at most, so "--f" (two) is not taken for it.
    expect(missingFlagsMessage('Missing required argument: fit', ['validate', '--f', 'x'])).toBe(
      'Missing required argument: fit',
    );
    expect(missingFlagsMessage('Unknown argument: fitt', ['validate', '--fitt'])).toBe(
      'Unknown argument: fitt',
    );
  });
});
