import { describe, expect, it } from 'vitest';
import { foldChecksum } from './checksums.ts';
import { createProgress, formatProgressLine } from './progress.ts';

describe('progress', () => {
  it('formats a plain line with rows, share, rate and ETA', () => {
    const line = formatProgressLine('messages', { total: 1000, done: 250, startedAt: 0 }, 5000);
    expect(line).toBe('seed: messages 250/1000 rows (25%) 50 rows/s ETA 15s');
  });

  it('prints the final counts of every started table in lines mode', () => {
    const lines: string[] = [];
    const progress = createProgress('lines', (l) => lines.push(l));
    progress.start({ profiles: 10, messages: 100 });
    progress.add('profiles', 10);
    progress.add('messages', 40);
    progress.stop();
    expect(lines.map((l) => l.split(' rows')[0])).toEqual(['seed: profiles 10/10', 'seed: messages 40/100']);
  });
});

describe('foldChecksum', () => {
  it('folds a numeric sum (possibly negative or past 64 bits) to 16 hex digits', () => {
    expect(foldChecksum('0')).toBe('0000000000000000');
    expect(foldChecksum('-1')).toBe('ffffffffffffffff');
    expect(foldChecksum(String(2n ** 64n + 255n))).toBe('00000000000000ff');
  });
});
