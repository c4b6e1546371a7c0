import { parseK6Time } from '../k6/raw-output.ts';

// Counts what k6's streamed JSON output (`--out json=-`, one object per line) says so far, for the live
// line of a run. Only the few metrics the line shows are parsed; every other line is skipped by a
// substring test, so the runner's CPU stays small beside k6's.

/** Relative width of a latency bucket: p95 "so far" is exact to within 1% (a display, not the record). */
const BUCKET_GROWTH = 1.01;
const LOG_GROWTH = Math.log(BUCKET_GROWTH);

/** A mergeable log-bucket histogram of durations in ms (fixed memory whatever the run's length). */
export class LatencyBuckets {
  private readonly counts = new Map<number, number>();
  /** Samples added. */
  count = 0;

  /** Adds one duration (ms). */
  add(ms: number): void {
    const i = ms <= 1 ? 0 : Math.ceil(Math.log(ms) / LOG_GROWTH);
    this.counts.set(i, (this.counts.get(i) ?? 0) + 1);
    this.count++;
  }

  /** The q-quantile (0..1): the upper edge of the bucket holding it, ms; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (const i of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(i)!;
      if (seen >= rank) return i === 0 ? 1 : BUCKET_GROWTH ** i;
    }
    return null;
  }
}

/** What the client side did so far: cumulative counts (rates are differences of two tallies). */
export interface ClientTotals {
  iterations: number;
  requests: number;
  /** Requests that failed (status >= 400 or no response), 429s included. */
  errors: number;
  status429: number;
  droppedIterations: number;
  /** Active VUs now, all k6 processes. */
  vus: number;
  /** p95 so far per endpoint (the `name` tag), ms. */
  p95ByEndpoint: Record<string, number>;
}

const WANTED = /"metric":"(http_req_duration|iterations|dropped_iterations|vus)","type":"Point"/;

/**
 * The running tally of one run's k6 processes (each feeds its own lines; VUs add up across them),
 * from `fromMs` on: samples of the warm-up before it are not counted.
 */
export class LiveTally {
  constructor(private readonly fromMs = Number.NEGATIVE_INFINITY) {}

  private iterations = 0;
  private requests = 0;
  private errors = 0;
  private status429 = 0;
  private dropped = 0;
  private readonly vusBySource = new Map<number, number>();
  private readonly latency = new Map<string, LatencyBuckets>();

  /** Reads one line of k6's JSON output from process `source` (0..K-1); other lines are ignored. */
  addLine(line: string, source = 0): void {
    const m = WANTED.exec(line);
    if (!m) return;
    let point: { data?: { time?: string; value?: number; tags?: Record<string, string> | null } };
    try {
      point = JSON.parse(line);
    } catch {
      return; // a line cut by a stop: the record reads the complete file, not this stream
    }
    if (point.data?.time !== undefined && parseK6Time(point.data.time) < this.fromMs) return;
    const value = point.data?.value ?? 0;
    const tags = point.data?.tags ?? {};
    switch (m[1]) {
      case 'http_req_duration': {
        this.requests++;
        const status = Number(tags.status ?? 0);
        if (status === 0 || status >= 400) this.errors++;
        if (status === 429) this.status429++;
        const name = tags.name ?? tags.url ?? 'other';
        let buckets = this.latency.get(name);
        if (!buckets) {
          buckets = new LatencyBuckets();
          this.latency.set(name, buckets);
        }
        buckets.add(value);
        break;
      }
      case 'iterations':
        this.iterations += value;
        break;
      case 'dropped_iterations':
        this.dropped += value;
        break;
      case 'vus':
        this.vusBySource.set(source, value);
        break;
    }
  }

  /** The totals now. */
  totals(): ClientTotals {
    const p95ByEndpoint: Record<string, number> = {};
    for (const [name, b] of [...this.latency].sort(([a], [b]) => a.localeCompare(b))) {
      const p95 = b.quantile(0.95);
      if (p95 !== null) p95ByEndpoint[name] = p95;
    }
    return {
      iterations: this.iterations,
      requests: this.requests,
      errors: this.errors,
      status429: this.status429,
      droppedIterations: this.dropped,
      vus: [...this.vusBySource.values()].reduce((a, b) => a + b, 0),
      p95ByEndpoint,
    };
  }
}
