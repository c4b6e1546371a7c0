// A binary min-heap of events in typed arrays, ordered by (time, priority, sequence): no objects or
// closures per event, so millions of events cost only array writes. Sift moves a hole instead of
// swapping, and priority and sequence share one float64 key (priority × 2^44 + sequence) so each
// comparison reads two numbers.

/** Tie-break scale: sequences below 2^44 (1.7e13 events) keep their order within one priority. */
const PRIORITY_SCALE = 2 ** 44;

/** Min-heap of (time, priority, sequence) → (type, payload). */
export class EventHeap {
  private times: Float64Array;
  private ties: Float64Array;
  private types: Uint8Array;
  private payloads: Int32Array;
  private count = 0;
  private sequence = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.ties = new Float64Array(capacity);
    this.types = new Uint8Array(capacity);
    this.payloads = new Int32Array(capacity);
  }

  /** Events waiting. */
  get size(): number {
    return this.count;
  }

  /** Events pushed so far (the next sequence number). */
  get pushed(): number {
    return this.sequence;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const t = new Float64Array(n);
    t.set(this.times);
    this.times = t;
    const k = new Float64Array(n);
    k.set(this.ties);
    this.ties = k;
    const y = new Uint8Array(n);
    y.set(this.types);
    this.types = y;
    const p = new Int32Array(n);
    p.set(this.payloads);
    this.payloads = p;
  }

  /** Adds an event at `time` with `priority` (lower first at equal times; 0..255). */
  push(time: number, priority: number, type: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    const tie = priority * PRIORITY_SCALE + this.sequence++;
    const times = this.times;
    const ties = this.ties;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && ties[parent]! < tie)) break;
      times[i] = pt;
      ties[i] = ties[parent]!;
      this.types[i] = this.types[parent]!;
      this.payloads[i] = this.payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    ties[i] = tie;
    this.types[i] = type;
    this.payloads[i] = payload;
  }

  /** Time of the earliest event (undefined behaviour when empty: check size first). */
  peekTime(): number {
    return this.times[0]!;
  }

  /** Type of the earliest event. */
  peekType(): number {
    return this.types[0]!;
  }

  /** Payload of the earliest event. */
  peekPayload(): number {
    return this.payloads[0]!;
  }

  /** Priority of the earliest event. */
  peekPriority(): number {
    return Math.floor(this.ties[0]! / PRIORITY_SCALE);
  }

  /** Removes the earliest event (read it with the peek methods first). */
  pop(): void {
    const n = --this.count;
    if (n === 0) return;
    const times = this.times;
    const ties = this.ties;
    const types = this.types;
    const payloads = this.payloads;
    const time = times[n]!;
    const tie = ties[n]!;
    const type = types[n]!;
    const payload = payloads[n]!;
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child]!;
      let ck = ties[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = times[right]!;
        const rk = ties[right]!;
        if (rt < ct || (rt === ct && rk < ck)) {
          child = right;
          ct = rt;
          ck = rk;
        }
      }
      if (time < ct || (time === ct && tie < ck)) break;
      times[i] = ct;
      ties[i] = ck;
      types[i] = types[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = time;
    ties[i] = tie;
    types[i] = type;
    payloads[i] = payload;
  }
}
