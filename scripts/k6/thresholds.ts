import { percentileSorted } from '../../core/percentile.ts';
import type { MetricType, RawPoint } from './raw-output.ts';

// k6 thresholds judged on merged raw samples: `metric{tag:value,...}` with expressions such as
// `p(95)<500`, `rate<0.01`, `count==0`, `avg<200`, `max<=1000`, `med<100`, `value>0`.

/** A threshold expression of a k6 options object (string or `{threshold, abortOnFail}`). */
export type ThresholdSpec = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** One parsed threshold: which samples it looks at and the condition they must meet. */
export interface Threshold {
  /** The key as written in options, e.g. `http_req_duration{name:api.message}`. */
  key: string;
  metric: string;
  filter: Record<string, string>;
  expression: string;
  aggregate: string;
  operator: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  limit: number;
}

const EXPRESSION =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*[\d.]+\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?[\d.eE+-]+)\s*$/;

/** Parses `metric{a:b}` and its expressions; throws on a form k6 would reject. */
export function parseThresholds(options: Record<string, ThresholdSpec[]>): Threshold[] {
  const out: Threshold[] = [];
  for (const [key, specs] of Object.entries(options)) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key.trim());
    if (!m) throw new Error(`threshold key '${key}' is not metric{tag:value}`);
    const filter: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',').filter((p) => p.trim().length > 0)) {
      const at = pair.indexOf(':');
      filter[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    for (const spec of specs) {
      const expression = typeof spec === 'string' ? spec : spec.threshold;
      const e = EXPRESSION.exec(expression);
      if (!e)
        throw new Error(`threshold '${key}: ${expression}' is not an aggregate, an operator and a number`);
      out.push({
        key,
        metric: m[1]!.trim(),
        filter,
        expression,
        aggregate: e[1]!.replace(/\s+/g, ''),
        operator: e[2] as Threshold['operator'],
        limit: Number(e[3]),
      });
    }
  }
  return out;
}

/** Accumulates the samples one threshold key needs (all values for trends; sums otherwise). */
export class ThresholdSink {
  readonly values: number[] = [];
  sum = 0;
  count = 0;
  nonZero = 0;
  last = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(
    readonly metric: string,
    readonly filter: Record<string, string>,
    readonly keepValues: boolean,
  ) {}

  /** True when the point belongs to this key (same metric, every filter tag equal). */
  matches(point: RawPoint): boolean {
    if (point.metric !== this.metric) return false;
    for (const [tag, value] of Object.entries(this.filter)) if (point.tags[tag] !== value) return false;
    return true;
  }

  add(value: number): void {
    if (this.keepValues) this.values.push(value);
    this.sum += value;
    this.count++;
    if (value !== 0) this.nonZero++;
    this.last = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** The aggregate a threshold names, over everything added (k6's semantics per metric type). */
  aggregate(name: string, type: MetricType | undefined): number {
    if (name === 'count') return type === 'counter' ? this.sum : this.count;
    if (name === 'rate')
      return type === 'counter' ? this.sum : this.count === 0 ? 0 : this.nonZero / this.count;
    if (name === 'value') return this.last;
    if (name === 'avg') return this.count === 0 ? 0 : this.sum / this.count;
    if (name === 'min') return this.count === 0 ? 0 : this.min;
    if (name === 'max') return this.count === 0 ? 0 : this.max;
    const sorted = Float64Array.from(this.values).sort();
    if (name === 'med') return percentileSorted(sorted, 0.5);
    const p = /^p\(([\d.]+)\)$/.exec(name);
    if (p) return percentileSorted(sorted, Number(p[1]) / 100);
    throw new Error(`unknown threshold aggregate ${name}`);
  }
}

/** Whether `value operator limit` holds. */
export function compare(value: number, operator: Threshold['operator'], limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '!=':
      return value !== limit;
    default:
      return value === limit;
  }
}
