import type { PoolSeries } from '../prediction.ts';
import { EventHeap } from './heap.ts';
import { LogHistogram } from './histogram.ts';
import { Random } from './random.ts';

// The discrete-event engine: jobs (a sync, a message) arrive by a pattern and walk through steps; each
// step is one request holding one server of one resource (a pool connection, an upstream socket) for
// a sampled time, after waiting FCFS for it. One arrival event per job, one release event per request.
// Times are ms. Everything lives in typed arrays indexed by job id; there is no closure per event.

/** A pool of identical servers with a FCFS queue. */
export interface DesResource {
  name: string;
  servers: number;
  /** Longest wait in the queue before the request fails (acquire timeout); null = wait forever. */
  queueTimeoutMs: number | null;
}

/** Distribution of a hold time. */
export type HoldDistribution =
  | { kind: 'constant'; ms: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'lognormal'; mu: number; sigma: number };

/** One request kind inside a job. */
export interface DesStep {
  resource: number;
  /** Latency bucket of each request of this step. */
  endpoint: string;
  hold: HoldDistribution;
  /** Time outside the resource, added to the request's latency (HTTP, JSON, network). */
  overheadMs: number;
  /** How many requests the step sends in sequence. */
  repeat: number;
  /** Probability that the step runs at all (decided once per job). */
  probability: number;
  /** A hold longer than this is cut there and the request fails (statement timeout); null = none. */
  timeoutMs: number | null;
  /**
   * The request's latency apart from its wait for the resource, when it is not overhead + hold: a
   * measured (calibrated) distribution plus, with `waitProbability`, an exponential wait of mean
   * `waitMeanMs` (for a core: the CPU is not a DES resource). Drawn once per request; the hold still
   * decides when the server is released and the job moves on.
   */
  latency?: { base: HoldDistribution; waitProbability: number; waitMeanMs: number };
}

/** A kind of job: its steps in order and the latency bucket of the whole job. */
export interface DesJob {
  name: string;
  overheadMs: number;
  steps: DesStep[];
}

/** How jobs of one kind arrive. */
export type DesArrivals =
  | {
      kind: 'poisson';
      job: number;
      ratePerSecond: number;
      /** Rate × (1 + amplitude · sin(2π (t + phase) / period)): a daily cycle compressed or not. */
      diurnal?: { amplitude: number; periodSeconds: number; phaseSeconds?: number };
    }
  | {
      kind: 'timers';
      job: number;
      /** Clients, each firing every period (setInterval). */
      users: number;
      periodSeconds: number;
      /** True: each client's first firing is uniform over one period. False: all within `spreadSeconds` of 0 (after a deploy). */
      jitter: boolean;
      spreadSeconds?: number;
    };

/** A DES run. */
export interface DesConfig {
  resources: DesResource[];
  jobs: DesJob[];
  arrivals: DesArrivals[];
  durationSeconds: number;
  /** Statistics ignore what completes before this. */
  warmupSeconds: number;
  seed: number;
  /** Pool usage sample spacing (simulated seconds); 0 = no series. */
  sampleEverySeconds: number;
  /** Record the first `trace` events as [time, type, payload]. */
  trace?: number;
  /** Stop (truncated) when this many jobs are in flight at once. */
  maxJobsInFlight?: number;
}

/** Statistics of one resource over the measured window. */
export interface DesResourceStats {
  name: string;
  servers: number;
  /** Requests arriving per second. */
  arrivalRate: number;
  /** Busy servers on average / servers. */
  utilisation: number;
  meanHoldMs: number;
  meanWaitMs: number;
  p95WaitMs: number;
  probabilityOfWaiting: number;
  /** Requests that gave up waiting (queue timeout). */
  queueTimeouts: number;
  /** Holds cut by the step timeout. */
  holdTimeouts: number;
  maxQueue: number;
}

/** Latency and outcome statistics of an endpoint or job kind. */
export interface DesLatencyStats {
  count: number;
  errors: number;
  ratePerSecond: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** What a run produced. */
export interface DesResult {
  events: number;
  simulatedSeconds: number;
  measuredSeconds: number;
  resources: DesResourceStats[];
  endpoints: Record<string, DesLatencyStats>;
  jobs: Record<string, DesLatencyStats>;
  series: PoolSeries;
  trace: Array<[number, number, number]>;
  /** True when the run stopped early because jobs in flight exceeded the limit (a runaway queue). */
  truncated: boolean;
}

/** Event types (also their priorities: a release at time t frees a server before arrivals at t). */
export const EVENT = { release: 0, timer: 1, poisson: 2, sample: 3 } as const;
const PRIORITY = [0, 1, 1, 2];

const DIST_CONSTANT = 0;
const DIST_EXPONENTIAL = 1;
const DIST_LOGNORMAL = 2;

class IntQueue {
  private buf = new Int32Array(1024);
  private head = 0;
  private tail = 0;
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
      this.buf = next;
      this.head = 0;
      this.tail = this.length;
    }
    this.buf[this.tail] = v;
    this.tail = (this.tail + 1) % this.buf.length;
    this.length++;
  }
  peek(): number {
    return this.buf[this.head]!;
  }
  shift(): number {
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.length--;
    return v;
  }
}

function emptyStats(h: LogHistogram, errors: number, seconds: number): DesLatencyStats {
  return {
    count: h.count,
    errors,
    ratePerSecond: seconds > 0 ? (h.count + errors) / seconds : 0,
    meanMs: h.mean(),
    p50Ms: h.quantile(0.5),
    p95Ms: h.quantile(0.95),
    maxMs: h.max,
  };
}

/** Runs one discrete-event simulation (pure: the seed is the only source of randomness). */
export function runDes(config: DesConfig): DesResult {
  const rnd = new Random(config.seed);
  const heap = new EventHeap(1 << 12);
  const endMs = config.durationSeconds * 1000;
  const warmMs = config.warmupSeconds * 1000;
  const measuredSeconds = Math.max(0, config.durationSeconds - config.warmupSeconds);
  const maxInFlight = config.maxJobsInFlight ?? 5_000_000;

  // Flattened steps.
  const steps = config.jobs.flatMap((j) => j.steps);
  const nSteps = steps.length;
  const stepResource = new Int32Array(nSteps);
  const stepDist = new Uint8Array(nSteps);
  const stepA = new Float64Array(nSteps);
  const stepB = new Float64Array(nSteps);
  const stepOverhead = new Float64Array(nSteps);
  const stepRepeat = new Int32Array(nSteps);
  const stepProb = new Float64Array(nSteps);
  const stepTimeout = new Float64Array(nSteps);
  // Steps with their own latency distribution (stepLat = 1): kind, parameters, CPU wait.
  const stepLat = new Uint8Array(nSteps);
  const stepLatDist = new Uint8Array(nSteps);
  const stepLatA = new Float64Array(nSteps);
  const stepLatB = new Float64Array(nSteps);
  const stepLatWaitP = new Float64Array(nSteps);
  const stepLatWaitMean = new Float64Array(nSteps);
  const endpointNames = [...new Set(steps.map((s) => s.endpoint))];
  const stepEndpoint = new Int32Array(nSteps);
  steps.forEach((s, i) => {
    stepResource[i] = s.resource;
    if (s.hold.kind === 'constant') {
      stepDist[i] = DIST_CONSTANT;
      stepA[i] = s.hold.ms;
    } else if (s.hold.kind === 'exponential') {
      stepDist[i] = DIST_EXPONENTIAL;
      stepA[i] = s.hold.meanMs;
    } else {
      stepDist[i] = DIST_LOGNORMAL;
      stepA[i] = s.hold.mu;
      stepB[i] = s.hold.sigma;
    }
    stepOverhead[i] = s.overheadMs;
    stepRepeat[i] = s.repeat;
    stepProb[i] = s.probability;
    stepTimeout[i] = s.timeoutMs ?? Number.POSITIVE_INFINITY;
    stepEndpoint[i] = endpointNames.indexOf(s.endpoint);
    if (s.latency) {
      const b = s.latency.base;
      stepLat[i] = 1;
      stepLatDist[i] =
        b.kind === 'constant' ? DIST_CONSTANT : b.kind === 'exponential' ? DIST_EXPONENTIAL : DIST_LOGNORMAL;
      stepLatA[i] = b.kind === 'constant' ? b.ms : b.kind === 'exponential' ? b.meanMs : b.mu;
      stepLatB[i] = b.kind === 'lognormal' ? b.sigma : 0;
      stepLatWaitP[i] = s.latency.waitProbability;
      stepLatWaitMean[i] = s.latency.waitMeanMs;
    }
  });
  const jobFirst = new Int32Array(config.jobs.length);
  const jobEnd = new Int32Array(config.jobs.length);
  const jobOverhead = new Float64Array(config.jobs.length);
  {
    let k = 0;
    config.jobs.forEach((j, i) => {
      jobFirst[i] = k;
      k += j.steps.length;
      jobEnd[i] = k;
      jobOverhead[i] = j.overheadMs;
    });
  }

  // Resources.
  const nRes = config.resources.length;
  const servers = Int32Array.from(config.resources.map((r) => r.servers));
  const queueTimeout = Float64Array.from(
    config.resources.map((r) => r.queueTimeoutMs ?? Number.POSITIVE_INFINITY),
  );
  const busy = new Int32Array(nRes);
  const queues = config.resources.map(() => new IntQueue());
  const resArrivals = new Float64Array(nRes);
  const resHoldSum = new Float64Array(nRes);
  const resHoldCount = new Float64Array(nRes);
  const resQueueTimeouts = new Float64Array(nRes);
  const resHoldTimeouts = new Float64Array(nRes);
  const resMaxQueue = new Float64Array(nRes);
  const waitHist = config.resources.map(() => new LogHistogram());
  const endpointHist = endpointNames.map(() => new LogHistogram());
  const endpointErrors = new Float64Array(endpointNames.length);
  const jobHist = config.jobs.map(() => new LogHistogram());
  const jobErrors = new Float64Array(config.jobs.length);

  // Jobs in flight.
  let cap = 1 << 12;
  let jobKind = new Int32Array(cap);
  let jobStep = new Int32Array(cap);
  let jobLeft = new Int32Array(cap);
  let jobReq = new Float64Array(cap);
  let jobServe = new Float64Array(cap);
  let jobLatency = new Float64Array(cap);
  let jobCut = new Uint8Array(cap);
  let free = new Int32Array(cap);
  let freeTop = 0;
  let next = 0;
  let inFlight = 0;
  const grow = (): void => {
    const n = cap * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    jobKind = g(jobKind, (m) => new Int32Array(m));
    jobStep = g(jobStep, (m) => new Int32Array(m));
    jobLeft = g(jobLeft, (m) => new Int32Array(m));
    jobReq = g(jobReq, (m) => new Float64Array(m));
    jobServe = g(jobServe, (m) => new Float64Array(m));
    jobLatency = g(jobLatency, (m) => new Float64Array(m));
    jobCut = g(jobCut, (m) => new Uint8Array(m));
    free = g(free, (m) => new Int32Array(m));
    cap = n;
  };

  const sample = (s: number): number => {
    const d = stepDist[s]!;
    if (d === DIST_EXPONENTIAL) return rnd.exponential(stepA[s]!);
    if (d === DIST_LOGNORMAL) return rnd.logNormal(stepA[s]!, stepB[s]!);
    return stepA[s]!;
  };

  // A step's own latency outside the resource's queue: its distribution plus the CPU wait.
  const sampleLatency = (s: number): number => {
    const d = stepLatDist[s]!;
    let x = stepLatA[s]!;
    if (d === DIST_EXPONENTIAL) x = rnd.exponential(x);
    else if (d === DIST_LOGNORMAL) x = rnd.logNormal(x, stepLatB[s]!);
    const p = stepLatWaitP[s]!;
    if (p > 0 && rnd.uniform() < p) x += rnd.exponential(stepLatWaitMean[s]!);
    return x;
  };

  const serve = (id: number, now: number, r: number): void => {
    const s = jobStep[id]!;
    let hold = sample(s);
    jobServe[id] = now;
    jobCut[id] = 0;
    if (hold > stepTimeout[s]!) {
      hold = stepTimeout[s]!;
      jobCut[id] = 1;
    }
    if (now >= warmMs) {
      waitHist[r]!.record(now - jobReq[id]!);
      resHoldSum[r]! += hold;
      resHoldCount[r]!++;
    }
    heap.push(now + hold, PRIORITY[EVENT.release]!, EVENT.release, id);
  };

  const request = (id: number, now: number): void => {
    const r = stepResource[jobStep[id]!]!;
    jobReq[id] = now;
    if (now >= warmMs) resArrivals[r]!++;
    if (busy[r]! < servers[r]!) {
      busy[r]!++;
      serve(id, now, r);
    } else {
      const q = queues[r]!;
      renege(r, now);
      q.push(id);
      if (q.length > resMaxQueue[r]!) resMaxQueue[r] = q.length;
    }
  };

  const finish = (id: number, now: number, failed: boolean): void => {
    const k = jobKind[id]!;
    if (now >= warmMs) {
      if (failed) jobErrors[k]!++;
      else jobHist[k]!.record(jobLatency[id]! + jobOverhead[k]!);
    }
    free[freeTop++] = id;
    inFlight--;
  };

  // Reneging: a request leaves the queue once it has waited the resource's queue timeout (pg's
  // connectionTimeoutMillis; the target then answers 503) and fails its job. The patience is the same
  // for every request of a resource and the queue is FIFO, so the expired requests are always a prefix
  // of the queue: removing them from the head whenever the queue is touched or sampled is exact. Each
  // one is counted at its own deadline (arrival + timeout), not when it is found.
  const renege = (r: number, now: number): void => {
    const limit = queueTimeout[r]!;
    if (limit === Number.POSITIVE_INFINITY) return;
    const q = queues[r]!;
    while (q.length > 0) {
      const w = q.peek();
      const deadline = jobReq[w]! + limit;
      if (deadline > now) break;
      q.shift();
      if (deadline >= warmMs) {
        resQueueTimeouts[r]!++;
        endpointErrors[stepEndpoint[jobStep[w]!]!]!++;
      }
      finish(w, deadline, true);
    }
  };

  // Moves a job to its next request, or finishes it.
  const advance = (id: number, now: number): void => {
    const k = jobKind[id]!;
    while (true) {
      if (jobLeft[id]! > 0) {
        jobLeft[id]!--;
        request(id, now);
        return;
      }
      const s = jobStep[id]! + 1;
      if (s >= jobEnd[k]!) {
        finish(id, now, false);
        return;
      }
      jobStep[id] = s;
      const p = stepProb[s]!;
      jobLeft[id] = p >= 1 || rnd.uniform() < p ? stepRepeat[s]! : 0;
    }
  };

  let truncated = false;
  const startJob = (k: number, now: number): void => {
    if (inFlight >= maxInFlight) {
      truncated = true;
      return;
    }
    let id: number;
    if (freeTop > 0) id = free[--freeTop]!;
    else {
      if (next === cap) grow();
      id = next++;
    }
    inFlight++;
    jobKind[id] = k;
    jobStep[id] = jobFirst[k]! - 1;
    jobLeft[id] = 0;
    jobLatency[id] = 0;
    advance(id, now);
  };

  // Arrival streams.
  const poisson = config.arrivals.filter(
    (a): a is Extract<DesArrivals, { kind: 'poisson' }> => a.kind === 'poisson',
  );
  const timers = config.arrivals.filter(
    (a): a is Extract<DesArrivals, { kind: 'timers' }> => a.kind === 'timers',
  );
  // Timers as one calendar per stream: each client's phase, sorted once; the stream keeps a single
  // event in the heap (its next firing), so the heap stays small however many clients there are.
  const nStreams = timers.length;
  const streamJob = new Int32Array(nStreams);
  const streamPeriod = new Float64Array(nStreams);
  const streamStart = new Int32Array(nStreams);
  const streamLen = new Int32Array(nStreams);
  const streamIdx = new Int32Array(nStreams);
  const streamCycle = new Float64Array(nStreams);
  const nTimers = timers.reduce((s, t) => s + Math.round(t.users), 0);
  const timerPhase = new Float64Array(nTimers);
  const timerUser = new Int32Array(nTimers);
  {
    let u = 0;
    timers.forEach((t, si) => {
      const period = t.periodSeconds * 1000;
      const spread = (t.spreadSeconds ?? 0) * 1000;
      const n = Math.round(t.users);
      const phases = new Float64Array(n);
      for (let i = 0; i < n; i++)
        phases[i] = t.jitter ? rnd.uniform() * period : spread > 0 ? rnd.uniform() * spread : 0;
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => phases[a]! - phases[b]! || a - b);
      streamJob[si] = t.job;
      streamPeriod[si] = period;
      streamStart[si] = u;
      streamLen[si] = n;
      for (const i of order) {
        timerPhase[u] = phases[i]!;
        timerUser[u] = streamStart[si]! + i;
        u++;
      }
      if (n > 0) heap.push(timerPhase[streamStart[si]!]!, PRIORITY[EVENT.timer]!, EVENT.timer, si);
    });
  }
  const poissonPeak = poisson.map((p) => p.ratePerSecond * (1 + Math.abs(p.diurnal?.amplitude ?? 0)));
  poissonPeak.forEach((peak, i) => {
    if (peak > 0)
      heap.push(rnd.exponential(1000 / poissonPeak[i]!), PRIORITY[EVENT.poisson]!, EVENT.poisson, i);
  });
  const sampleMs = config.sampleEverySeconds * 1000;
  const series: PoolSeries = { stepSeconds: config.sampleEverySeconds, t: [], busy: {}, queued: {} };
  for (const r of config.resources) {
    series.busy[r.name] = [];
    series.queued[r.name] = [];
  }
  if (sampleMs > 0) heap.push(sampleMs, PRIORITY[EVENT.sample]!, EVENT.sample, 0);

  const trace: Array<[number, number, number]> = [];
  const traceLimit = config.trace ?? 0;
  let events = 0;
  while (heap.size > 0) {
    const now = heap.peekTime();
    if (now > endMs) break;
    const type = heap.peekType();
    const payload = heap.peekPayload();
    heap.pop();
    events++;
    if (events <= traceLimit) {
      // Timer events are traced by client, not by stream.
      trace.push([
        now,
        type,
        type === EVENT.timer ? timerUser[streamStart[payload]! + streamIdx[payload]!]! : payload,
      ]);
    }
    if (type === EVENT.release) {
      const id = payload;
      const s = jobStep[id]!;
      const r = stepResource[s]!;
      const latency =
        stepLat[s] === 1
          ? jobServe[id]! - jobReq[id]! + sampleLatency(s) + stepOverhead[s]!
          : now - jobReq[id]! + stepOverhead[s]!;
      jobLatency[id]! += latency;
      const cut = jobCut[id] === 1;
      if (now >= warmMs) {
        if (cut) {
          endpointErrors[stepEndpoint[s]!]!++;
          resHoldTimeouts[r]!++;
        } else endpointHist[stepEndpoint[s]!]!.record(latency);
      }
      // Hand the server to the first waiting request that has not given up.
      renege(r, now);
      const q = queues[r]!;
      if (q.length > 0) serve(q.shift(), now, r);
      else busy[r]!--;
      if (cut) finish(id, now, true);
      else advance(id, now);
    } else if (type === EVENT.timer) {
      const si = payload;
      startJob(streamJob[si]!, now);
      let idx = streamIdx[si]! + 1;
      if (idx === streamLen[si]!) {
        idx = 0;
        streamCycle[si]!++;
      }
      streamIdx[si] = idx;
      heap.push(
        timerPhase[streamStart[si]! + idx]! + streamCycle[si]! * streamPeriod[si]!,
        PRIORITY[EVENT.timer]!,
        EVENT.timer,
        si,
      );
    } else if (type === EVENT.poisson) {
      const p = poisson[payload]!;
      const d = p.diurnal;
      if (
        !d ||
        rnd.uniform() * poissonPeak[payload]! <
          p.ratePerSecond *
            (1 +
              d.amplitude * Math.sin((2 * Math.PI * (now / 1000 + (d.phaseSeconds ?? 0))) / d.periodSeconds))
      ) {
        startJob(p.job, now);
      }
      heap.push(
        now + rnd.exponential(1000 / poissonPeak[payload]!),
        PRIORITY[EVENT.poisson]!,
        EVENT.poisson,
        payload,
      );
    } else {
      series.t.push(now / 1000);
      config.resources.forEach((r, i) => {
        renege(i, now);
        series.busy[r.name]!.push(busy[i]!);
        series.queued[r.name]!.push(queues[i]!.length);
      });
      heap.push(now + sampleMs, PRIORITY[EVENT.sample]!, EVENT.sample, 0);
    }
    if (truncated) break;
  }

  const windowMs = measuredSeconds * 1000;
  const resources: DesResourceStats[] = config.resources.map((r, i) => ({
    name: r.name,
    servers: r.servers,
    arrivalRate: measuredSeconds > 0 ? resArrivals[i]! / measuredSeconds : 0,
    utilisation: windowMs > 0 ? resHoldSum[i]! / (r.servers * windowMs) : 0,
    meanHoldMs: resHoldCount[i]! > 0 ? resHoldSum[i]! / resHoldCount[i]! : 0,
    meanWaitMs: waitHist[i]!.mean(),
    p95WaitMs: waitHist[i]!.quantile(0.95),
    probabilityOfWaiting: 1 - waitHist[i]!.zeroShare(),
    queueTimeouts: resQueueTimeouts[i]!,
    holdTimeouts: resHoldTimeouts[i]!,
    maxQueue: resMaxQueue[i]!,
  }));
  const endpoints: Record<string, DesLatencyStats> = {};
  endpointNames.forEach((e, i) => {
    endpoints[e] = emptyStats(endpointHist[i]!, endpointErrors[i]!, measuredSeconds);
  });
  const jobs: Record<string, DesLatencyStats> = {};
  config.jobs.forEach((j, i) => {
    jobs[j.name] = emptyStats(jobHist[i]!, jobErrors[i]!, measuredSeconds);
  });
  return {
    events,
    simulatedSeconds: config.durationSeconds,
    measuredSeconds,
    resources,
    endpoints,
    jobs,
    series,
    trace,
    truncated,
  };
}
