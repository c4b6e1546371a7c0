import { describe, expect, it } from 'vitest';
import type { LiveSnapshot } from './live-line.ts';
import { createLiveView, liveModeFor } from './live-view.ts';

const snap = (elapsedSeconds: number): LiveSnapshot => ({
  elapsedSeconds,
  totalSeconds: 20,
  offeredPerSecond: 10,
  client: {
    iterations: elapsedSeconds * 10,
    requests: elapsedSeconds * 30,
    errors: 0,
    status429: 0,
    droppedIterations: 0,
    vus: 3,
    p95ByEndpoint: {},
  },
  pool: null,
  upstream: null,
});

function sink(columns?: number) {
  const chunks: string[] = [];
  return { chunks, out: { write: (t: string) => chunks.push(t), columns } };
}

describe('live view', () => {
  it('picks the mode: --json shows nothing, a terminal redraws, anything else gets plain lines', () => {
    expect(liveModeFor(true, { isTTY: true })).toBe('off');
    expect(liveModeFor(false, { isTTY: true })).toBe('tty');
    expect(liveModeFor(false, {})).toBe('plain');
  });

  it('plain: one line every 5 s of a 20 s run (4 lines for 20 snapshots), each ending in a newline', () => {
    const { chunks, out } = sink();
    const view = createLiveView('plain', out);
    for (let t = 1; t <= 20; t++) view.onSnapshot(snap(t));
    expect(chunks.map((c) => c.slice(0, 10))).toEqual([
      '0:01/0:20 ',
      '0:06/0:20 ',
      '0:11/0:20 ',
      '0:16/0:20 ',
    ]);
    expect(chunks[1]).toContain('it/s 10.0 of 10.0 · req/s 30.0');
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
  });

  it('tty: redraws in place every second, cut to the width; a log line clears it and redraws it', () => {
    const { chunks, out } = sink(40);
    const view = createLiveView('tty', out);
    view.onSnapshot(snap(1));
    view.onSnapshot(snap(2));
    view.log('fault: cut 3 database connections');
    view.end();
    expect(chunks).toEqual([
      '0:01/0:20 · it/s 10.0 of 10.0 · req/s 3',
      '\r\x1b[2K',
      '0:02/0:20 · it/s 10.0 of 10.0 · req/s 3',
      '\r\x1b[2K',
      'fault: cut 3 database connections\n',
      '0:02/0:20 · it/s 10.0 of 10.0 · req/s 3',
      '\n',
    ]);
  });

  it('off: writes nothing at all', () => {
    const { chunks, out } = sink();
    const view = createLiveView('off', out);
    view.onSnapshot(snap(1));
    view.log('x');
    view.end();
    expect(chunks).toEqual([]);
  });
});
