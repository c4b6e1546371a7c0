import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

// k6's `--out json=FILE` format: one JSON object per line, `Metric` (a declaration) or `Point` (a
// sample with time, value, tags and optional metadata). Files may be gzipped (`.gz`).

/** k6 metric types. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** One sample of k6's raw output. */
export interface RawPoint {
  metric: string;
  /** Milliseconds since the epoch (fractional). */
  time: number;
  value: number;
  tags: Record<string, string>;
  metadata?: Record<string, string>;
}

/** A line of the raw output, parsed. */
export type RawLine = { kind: 'metric'; name: string; type: MetricType } | { kind: 'point'; point: RawPoint };

/** RFC 3339 time with nanoseconds (k6's format) → fractional epoch milliseconds. */
export function parseK6Time(text: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return Date.parse(text);
  const fraction = m[2] ? Number(`0${m[2]}`) : 0;
  return Date.parse(`${m[1]}${m[3]}`) + fraction * 1000;
}

/** Parses one line of the raw output; undefined for blank or unknown lines. */
export function parseRawLine(line: string): RawLine | undefined {
  if (line.length === 0) return undefined;
  const obj = JSON.parse(line) as {
    type?: string;
    metric?: string;
    data?: {
      name?: string;
      type?: MetricType;
      time?: string;
      value?: number;
      tags?: Record<string, string> | null;
      metadata?: Record<string, string>;
    };
  };
  if (obj.type === 'Metric' && obj.data?.type)
    return { kind: 'metric', name: obj.metric ?? obj.data.name ?? '', type: obj.data.type };
  if (obj.type === 'Point' && obj.metric && obj.data?.time !== undefined) {
    const point: RawPoint = {
      metric: obj.metric,
      time: parseK6Time(obj.data.time),
      value: obj.data.value ?? 0,
      tags: obj.data.tags ?? {},
    };
    if (obj.data.metadata) point.metadata = obj.data.metadata;
    return { kind: 'point', point };
  }
  return undefined;
}

/** Streams the parsed lines of a raw output file (plain or `.gz`), in file order. */
export async function* readRawOutput(file: string): AsyncGenerator<RawLine> {
  const source = createReadStream(file);
  const input = file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    let parsed: RawLine | undefined;
    try {
      parsed = parseRawLine(line);
    } catch (error) {
      throw new Error(`${file}:${n}: not k6 JSON output (${(error as Error).message})`);
    }
    if (parsed) yield parsed;
  }
}
