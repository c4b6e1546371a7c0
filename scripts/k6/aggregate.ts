import { percentileSorted } from '../../core/percentile.ts';
import type { EndpointSummary, RunRecord } from '../../core/run-record.ts';
import { ARRIVAL_DELAY_METRIC } from '../../scenarios/lib/arrival-spread.ts';
import { type MetricType, type RawLine, type RawPoint, readRawOutput } from './raw-output.ts';
import { compare, type Threshold, ThresholdSink } from './thresholds.ts';

// Reduces one or more k6 raw outputs (one per execution segment or runner) to what a run record holds:
// per-endpoint summaries and per-second series with exact percentiles over the union of all samples,
// iterations and dropped iterations summed, thresholds judged on the merged data. Given the measured
// window's start, every sample before it (the warm-up of the same k6 run) is left out of all of that;
// each segment may have its own start (its load started a little later), its samples cut there.

/** Per-second client-side view: requests and per-endpoint count, p50, p95 and errors. */
export interface ClientSecond {
  t: number;
  requests: number;
  iterations: number;
  endpoints: Record<string, { count: number; p50: number; p95: number; errors: number }>;
}

/** Everything the merged raw outputs say. */
export interface MergedK6 {
  /** Epoch ms of the first and last sample counted (at or after the window's start when one is given). */
  firstMs: number;
  lastMs: number;
  endpoints: Record<string, EndpointSummary>;
  /** Summaries of requests tagged with a user class (`class` and `tier` tags): `abusive/free`, `legit/core`. */
  classes: Record<string, EndpointSummary>;
  /** Summaries of an endpoint's requests by their `batch` tag (`rest.push/empty`, `rest.push/rows`). */
  batches: Record<string, EndpointSummary>;
  iterations: {
    completed: number;
    dropped: number;
    byScenario: Record<string, number>;
    /**
     * Mean time of an iteration's work (ms): k6's iteration_duration (start to end) less the arrival
     * delay it waited first (scenarios/lib/await-arrival.ts); null when none was reported.
     */
    meanDurationMs: number | null;
    /** Mean arrival delay an iteration waited before its first request (ms); null when none was recorded. */
    meanArrivalDelayMs: number | null;
  };
  /** Sum over sources of each source's highest vus_max (VUs allocated). */
  maxVUs: number;
  /** Sum over sources of each source's highest number of active VUs. */
  peakVUs: number;
  series: ClientSecond[];
  thresholds: Record<string, { ok: boolean; value: number; expression: string }[]>;
  /** Failed requests by kind from the scenarios' `atlas_errors` counter (429, 5xx, network, timeout...). */
  errorsByKind: Record<string, number>;
  /** Ids of messages the target acknowledged with a 2xx (integrity check): warm-up's included. */
  ackedMessageIds: string[];
  /** Raw request durations (ms) per endpoint, in arrival order. */
  latency: Record<string, number[]>;
  metricTypes: Record<string, MetricType>;
  sources: number;
}

interface Bucket {
  requests: number;
  iterations: number;
  endpoints: Map<string, { durations: number[]; errors: number }>;
}

function isError(status: string | undefined): boolean {
  const code = Number(status ?? 0);
  return !(code >= 200 && code < 400);
}

class Summary {
  readonly durations: number[] = [];
  readonly statuses: Record<string, number> = {};
  errors = 0;

  add(duration: number, status: string): void {
    this.durations.push(duration);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (isError(status)) this.errors++;
  }

  result(): EndpointSummary {
    const sorted = Float64Array.from(this.durations).sort();
    const n = sorted.length;
    let sum = 0;
    for (const d of sorted) sum += d;
    return {
      count: n,
      errorRate: n === 0 ? 0 : this.errors / n,
      statuses: { ...this.statuses },
      mean: n === 0 ? 0 : sum / n,
      p50: percentileSorted(sorted, 0.5),
      p95: percentileSorted(sorted, 0.95),
      p99: percentileSorted(sorted, 0.99),
      max: n === 0 ? 0 : sorted[n - 1]!,
    };
  }
}

/** Accumulates raw lines from any number of sources; `result()` gives the merged view. */
export class RawAggregator {
  private readonly endpoints = new Map<string, Summary>();
  private readonly classes = new Map<string, Summary>();
  private readonly batches = new Map<string, Summary>();
  private readonly buckets = new Map<number, Bucket>();
  private readonly byScenario: Record<string, number> = {};
  private readonly vusMax = new Map<number, number>();
  private readonly vusPeak = new Map<number, number>();
  private readonly errorsByKind: Record<string, number> = {};
  private readonly acked = new Set<string>();
  private readonly metricTypes: Record<string, MetricType> = {};
  private readonly sinks: ThresholdSink[];
  private completed = 0;
  private iterationMsSum = 0;
  private iterationCount = 0;
  private arrivalDelayMsSum = 0;
  private arrivalDelayCount = 0;
  private dropped = 0;
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private readonly sources = new Set<number>();

  /**
   * @param thresholds thresholds to judge on the merged samples (from the scenario's options).
   * @param startMs the measured window's start (epoch ms): samples before it (the warm-up) are left
   *   out of every figure and threshold, and per-second buckets count from it; default: the first
   *   sample, nothing left out.
   * @param sourceStartMs the window's start of each source (segment), where it is later than
   *   `startMs`: that source's samples before it are left out too.
   * @param sourceEndMs the window's end of each source (segment): its samples at or after it (what k6
   *   finished in its graceful stop) are left out; absent: none.
   */
  constructor(
    private readonly thresholds: Threshold[] = [],
    private readonly startMs?: number,
    private readonly sourceStartMs: readonly number[] = [],
    private readonly sourceEndMs: readonly number[] = [],
  ) {
    const seen = new Map<string, ThresholdSink>();
    for (const t of thresholds) {
      if (!seen.has(t.key)) seen.set(t.key, new ThresholdSink(t.metric, t.filter, true));
    }
    this.sinks = [...seen.values()];
    this.sinkByKey = seen;
  }

  private readonly sinkByKey: Map<string, ThresholdSink>;

  /** Adds one parsed line of source `source` (the segment or runner index). */
  add(line: RawLine, source = 0): void {
    this.sources.add(source);
    if (line.kind === 'metric') {
      this.metricTypes[line.name] = line.type;
      return;
    }
    this.addPoint(line.point, source);
  }

  private bucket(time: number): Bucket {
    const origin = this.startMs ?? this.firstMs;
    const t = Math.max(0, Math.floor((time - origin) / 1000));
    let b = this.buckets.get(t);
    if (!b) {
      b = { requests: 0, iterations: 0, endpoints: new Map() };
      this.buckets.set(t, b);
    }
    return b;
  }

  private addPoint(p: RawPoint, source: number): void {
    if (p.metric === 'atlas_acked_messages') {
      // Integrity covers every acknowledged message, the warm-up's too: none may be lost.
      const id = p.metadata?.message_id;
      if (id) this.acked.add(id);
    }
    const cut = Math.max(this.startMs ?? Number.NEGATIVE_INFINITY, this.sourceStartMs[source] ?? 0);
    if (p.time < cut || p.time >= (this.sourceEndMs[source] ?? Number.POSITIVE_INFINITY)) return;
    if (p.time < this.firstMs) this.firstMs = p.time;
    if (p.time > this.lastMs) this.lastMs = p.time;
    for (const sink of this.sinks) if (sink.matches(p)) sink.add(p.value);
    switch (p.metric) {
      case 'http_req_duration': {
        const name = p.tags.name ?? 'other';
        const status = p.tags.status ?? '0';
        const s = this.endpoints.get(name) ?? new Summary();
        this.endpoints.set(name, s);
        s.add(p.value, status);
        if (p.tags.class) {
          const key = `${p.tags.class}/${p.tags.tier ?? 'all'}`;
          const c = this.classes.get(key) ?? new Summary();
          this.classes.set(key, c);
          c.add(p.value, status);
        }
        if (p.tags.batch) {
          const key = `${name}/${p.tags.batch}`;
          const c = this.batches.get(key) ?? new Summary();
          this.batches.set(key, c);
          c.add(p.value, status);
        }
        const b = this.bucket(p.time);
        b.requests++;
        const e = b.endpoints.get(name) ?? { durations: [], errors: 0 };
        b.endpoints.set(name, e);
        e.durations.push(p.value);
        if (isError(status)) e.errors++;
        break;
      }
      case 'iterations': {
        this.completed += p.value;
        const scenario = p.tags.scenario ?? 'default';
        this.byScenario[scenario] = (this.byScenario[scenario] ?? 0) + p.value;
        this.bucket(p.time).iterations += p.value;
        break;
      }
      case 'iteration_duration':
        this.iterationMsSum += p.value;
        this.iterationCount++;
        break;
      case ARRIVAL_DELAY_METRIC:
        this.arrivalDelayMsSum += p.value;
        this.arrivalDelayCount++;
        break;
      case 'dropped_iterations':
        this.dropped += p.value;
        break;
      case 'vus_max':
        this.vusMax.set(source, Math.max(this.vusMax.get(source) ?? 0, p.value));
        break;
      case 'vus':
        this.vusPeak.set(source, Math.max(this.vusPeak.get(source) ?? 0, p.value));
        break;
      case 'atlas_errors': {
        const kind = p.tags.kind ?? 'unknown';
        this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + p.value;
        break;
      }
    }
  }

  /** The merged view of everything added so far. */
  result(): MergedK6 {
    const summarize = (m: Map<string, Summary>): Record<string, EndpointSummary> =>
      Object.fromEntries(
        [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => [k, s.result()]),
      );
    const last = this.buckets.size === 0 ? -1 : Math.max(...this.buckets.keys());
    const series: ClientSecond[] = [];
    for (let t = 0; t <= last; t++) {
      const b = this.buckets.get(t);
      const endpoints: ClientSecond['endpoints'] = {};
      for (const [name, e] of b?.endpoints ?? []) {
        const sorted = Float64Array.from(e.durations).sort();
        endpoints[name] = {
          count: sorted.length,
          p50: percentileSorted(sorted, 0.5),
          p95: percentileSorted(sorted, 0.95),
          errors: e.errors,
        };
      }
      series.push({ t, requests: b?.requests ?? 0, iterations: b?.iterations ?? 0, endpoints });
    }
    const thresholds: MergedK6['thresholds'] = {};
    for (const t of this.thresholds) {
      const sink = this.sinkByKey.get(t.key)!;
      const value = sink.aggregate(t.aggregate, this.metricTypes[t.metric] ?? guessType(t.metric));
      const list = thresholds[t.key] ?? [];
      thresholds[t.key] = list;
      list.push({
        ok: compare(value, t.operator, t.limit),
        value,
        expression: t.expression,
      });
    }
    const sum = (m: Map<number, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    const latency: Record<string, number[]> = {};
    for (const [name, s] of this.endpoints) latency[name] = s.durations;
    return {
      firstMs: Number.isFinite(this.firstMs) ? this.firstMs : 0,
      lastMs: Number.isFinite(this.lastMs) ? this.lastMs : 0,
      endpoints: summarize(this.endpoints),
      classes: summarize(this.classes),
      batches: summarize(this.batches),
      iterations: {
        completed: this.completed,
        dropped: this.dropped,
        byScenario: { ...this.byScenario },
        // Each delay belongs to one iteration: the sums, not the means, come off (a scenario without
        // a spread records none).
        meanDurationMs:
          this.iterationCount > 0
            ? Math.max(0, this.iterationMsSum - this.arrivalDelayMsSum) / this.iterationCount
            : null,
        meanArrivalDelayMs:
          this.arrivalDelayCount > 0 ? this.arrivalDelayMsSum / this.arrivalDelayCount : null,
      },
      maxVUs: sum(this.vusMax),
      peakVUs: sum(this.vusPeak),
      series,
      thresholds,
      errorsByKind: { ...this.errorsByKind },
      ackedMessageIds: [...this.acked],
      latency,
      metricTypes: { ...this.metricTypes },
      sources: this.sources.size,
    };
  }
}

/** The run record's `iterations` block of a merged run of `durationSeconds` scheduled at `targetRate`/s. */
export function iterationSummary(
  merged: MergedK6,
  durationSeconds: number,
  targetRate: number,
): RunRecord['iterations'] {
  const i = merged.iterations;
  return {
    completed: i.completed,
    dropped: i.dropped,
    rate: i.completed / durationSeconds,
    targetRate,
    byScenario: { ...i.byScenario },
    ...(i.meanDurationMs === null ? {} : { meanDurationMs: i.meanDurationMs }),
    ...(i.meanArrivalDelayMs === null ? {} : { meanArrivalDelayMs: i.meanArrivalDelayMs }),
  };
}

function guessType(metric: string): MetricType {
  if (metric === 'dropped_iterations' || metric === 'iterations' || metric === 'http_reqs') return 'counter';
  if (metric === 'http_req_failed' || metric === 'checks') return 'rate';
  return 'trend';
}

/**
 * Reads and merges raw outputs (one per segment or runner) into one view; with `startMs` (the measured
 * window's start) only the samples at or after it count, at or after `fileStartMs[i]` in file i and
 * before `fileEndMs[i]` (see {@link RawAggregator}).
 */
export async function mergeRawOutputs(
  files: string[],
  thresholds: Threshold[] = [],
  startMs?: number,
  fileStartMs: readonly number[] = [],
  fileEndMs: readonly number[] = [],
): Promise<MergedK6> {
  const aggregator = new RawAggregator(thresholds, startMs, fileStartMs, fileEndMs);
  for (const [i, file] of files.entries()) {
    for await (const line of readRawOutput(file)) aggregator.add(line, i);
  }
  return aggregator.result();
}
