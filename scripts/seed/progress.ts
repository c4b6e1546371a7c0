import cliProgress from 'cli-progress';
import type { ProgressMode } from './types.ts';

/** Seconds between two plain progress lines. */
const LINE_INTERVAL_MS = 5000;

/** Receives row counts as tables load. */
export interface Progress {
  /** Announces the tables and their expected row totals. */
  start(totals: Record<string, number>): void;
  add(table: string, rows: number): void;
  /** A phase message (schema, indexes, checksums...). */
  note(line: string): void;
  stop(): void;
}

interface Counter {
  total: number;
  done: number;
  startedAt: number;
}

function rate(c: Counter, now: number): number {
  const seconds = (now - c.startedAt) / 1000;
  return seconds > 0 ? c.done / seconds : 0;
}

/** One plain progress line for a table: rows, share, rows/s, ETA. */
export function formatProgressLine(table: string, c: Counter, now: number): string {
  const r = rate(c, now);
  const pct = c.total > 0 ? Math.floor((100 * c.done) / c.total) : 100;
  const eta = r > 0 ? Math.ceil((c.total - c.done) / r) : 0;
  return `seed: ${table} ${c.done}/${c.total} rows (${pct}%) ${Math.round(r)} rows/s ETA ${eta}s`;
}

/** A Progress for `mode`: cli-progress bars, periodic lines on `log`, or nothing. */
export function createProgress(mode: ProgressMode, log: (line: string) => void): Progress {
  const counters = new Map<string, Counter>();
  if (mode === 'none') {
    return { start() {}, add() {}, note() {}, stop() {} };
  }
  if (mode === 'lines') {
    let timer: NodeJS.Timeout | undefined;
    const lastShown = new Map<string, number>();
    const tick = () => {
      const now = Date.now();
      for (const [table, c] of counters) {
        if (c.done === 0 || lastShown.get(table) === c.done) continue;
        lastShown.set(table, c.done);
        log(formatProgressLine(table, c, now));
      }
    };
    return {
      start(totals) {
        for (const [t, total] of Object.entries(totals))
          counters.set(t, { total, done: 0, startedAt: Date.now() });
        timer = setInterval(tick, LINE_INTERVAL_MS);
        timer.unref();
      },
      add(table, rows) {
        const c = counters.get(table);
        if (c) {
          if (c.done === 0) c.startedAt = Date.now();
          c.done += rows;
        }
      },
      note: (line) => log(`seed: ${line}`),
      stop() {
        if (timer) clearInterval(timer);
        timer = undefined;
        tick(); // idempotent: a table whose count did not change is not printed again
      },
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      format: '{table} |{bar}| {percentage}% {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  return {
    start(totals) {
      const width = Math.max(...Object.keys(totals).map((t) => t.length));
      for (const [t, total] of Object.entries(totals)) {
        counters.set(t, { total, done: 0, startedAt: Date.now() });
        bars.set(t, multi.create(total, 0, { table: t.padEnd(width), speed: 0 }));
      }
    },
    add(table, rows) {
      const c = counters.get(table);
      if (!c) return;
      if (c.done === 0) c.startedAt = Date.now();
      c.done += rows;
      bars.get(table)?.update(c.done, { speed: Math.round(rate(c, Date.now())) });
    },
    note: (line) => (stopped ? log(`seed: ${line}`) : multi.log(`seed: ${line}\n`)),
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
