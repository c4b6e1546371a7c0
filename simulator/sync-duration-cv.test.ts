import { describe, expect, it } from 'vitest';
import { conversationsCv, syncDurationCv } from './sync-duration-cv.ts';

describe("a sync's duration spread", () => {
  it('is the conversations’ CV times their share of the requests, by hand', () => {
    // σ 0.5: √(e^0.25 − 1) = √0.284025 = 0.53294.
    expect(conversationsCv(0.5)).toBeCloseTo(0.53294, 5);
    // 52 requests (1 + 50 + 1): 0.53294 × 50/52 = 0.51244.
    expect(syncDurationCv(52)).toBeCloseTo(0.51244, 5);
    // No request per conversation: no spread.
    expect(syncDurationCv(2)).toBe(0);
    expect(syncDurationCv(0)).toBe(0);
  });
});
