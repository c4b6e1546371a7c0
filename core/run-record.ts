import { z } from 'zod';

// The contract between measuring (atlas-cap run) and everything that reads measurements (simulator
// calibration, reports, the CI gate): ../shared/DESIGN.md "The run record". One folder per run:
//   run.json              RunRecord (below)
//   samples/series.json   SeriesSample[]: one entry per second
//   samples/k6.json.gz    k6's raw JSON output (all segments, concatenated)
//   samples/latency/<endpoint>.json   raw request durations in ms (for exact percentiles, bootstrap)

/** Latency and outcome summary of one endpoint over a run (durations in ms, from raw samples). */
export const EndpointSummarySchema = z.object({
  count: z.number().int().min(0),
  /** Share of requests that failed (status >= 400 or network error, 429 included). */
  errorRate: z.number().min(0).max(1),
  /** Request count by HTTP status ("0" for network errors). */
  statuses: z.record(z.string(), z.number().int().min(0)),
  mean: z.number().min(0),
  p50: z.number().min(0),
  p95: z.number().min(0),
  p99: z.number().min(0),
  max: z.number().min(0),
});

/** One second of a run: what the client saw and what the server side did. */
export const SeriesSampleSchema = z.object({
  /** Seconds since the run started. */
  t: z.number().min(0),
  /** Requests completed in this second, all endpoints. */
  requests: z.number().min(0),
  /** Per endpoint: completed requests, p50 and p95 in ms, errors. */
  endpoints: z.record(
    z.string(),
    z.object({
      count: z.number().min(0),
      p50: z.number().min(0),
      p95: z.number().min(0),
      errors: z.number().min(0),
    }),
  ),
  /** The target's pg pool (from /metrics): size, in use, idle, requests waiting for a connection. */
  pool: z.object({ total: z.number(), inUse: z.number(), idle: z.number(), waiting: z.number() }).nullable(),
  /** Connections of the target's database by pg_stat_activity state (active, idle, idle in transaction, ...). */
  dbConnections: z.record(z.string(), z.number()).nullable(),
  /** Upstream (language-model) sockets in use and requests queued for one. */
  upstream: z.object({ inUse: z.number(), queued: z.number() }).nullable(),
  /** 429 responses counted by the target in this second. */
  rateLimited: z.number().min(0).nullable(),
  /**
   * Milliseconds the target spent in garbage-collection pauses in this second (its event loop stopped),
   * from its cumulative nodejs_gc_duration_seconds. Optional: older records and targets without it.
   */
  gcMs: z.number().min(0).nullable().optional(),
  /**
   * How late the target's event loop ran its delay monitor's ticks in this second, ms beyond the timer
   * (mean, p90, p99, max; cpu.targetLoopDelay). Optional: older records and targets without it.
   */
  loopDelayMs: z
    .object({
      mean: z.number().min(0),
      p90: z.number().min(0),
      p99: z.number().min(0),
      max: z.number().min(0),
    })
    .nullable()
    .optional(),
  /**
   * CPU in this second, percent of one core (from /proc; absent in older records and off Linux): the
   * host over all cores (busy = not idle or iowait; cores × 100 at most), and each process group (null
   * when not followed: a remote target or database).
   */
  cpu: z
    .object({
      host: z.number().min(0),
      /** Of `host`, percent of one core stolen by the hypervisor (absent in records before 2026-12-03). */
      steal: z.number().min(0).optional(),
      target: z.number().min(0).nullable(),
      database: z.number().min(0).nullable(),
      loadGenerator: z.number().min(0).nullable(),
      runner: z.number().min(0).nullable(),
    })
    .optional(),
});

/** CPU of one process group over a run: CPU-seconds and percent of one core (mean, max per second). */
export const ProcessCpuSchema = z.object({
  cpuSeconds: z.number().min(0),
  cpuPercentMean: z.number().min(0),
  cpuPercentMax: z.number().min(0),
  /** Which processes: e.g. `target pid 123 and its children`, `PostgreSQL server pid 45 and its children`. */
  processes: z.string(),
});

/**
 * The machine's speed for system calls during a run (scripts/run/syscall-probe.ts): µs of the runner's
 * CPU per one-byte read of /dev/zero, timed once a second. On a shared VM it moves with what the host's
 * neighbours do, without stolen time to show it; the simulator reads a run's CPU demands at it.
 */
export const SyscallProbeSchema = z.object({
  /** µs of CPU per call: the mean of the samples with the dearest tenth left out. */
  usPerCall: z.number().positive(),
  samples: z.number().int().positive(),
  /** How it was measured. */
  method: z.string(),
});
/** The machine's speed for system calls during a run. */
export type SyscallProbe = z.infer<typeof SyscallProbeSchema>;

/**
 * Where a run's CPU went (from /proc/stat and /proc/<pid>/stat, once a second, over the window k6 ran).
 * Optional: older records and runs off Linux have none.
 */
export const RunCpuSchema = z.object({
  /** Seconds the sampler covered (k6's start to its end); per-request figures divide by requests in it. */
  windowSeconds: z.number().min(0),
  /** Host busy CPU over all cores (machine.cores × 100 % at most), everything on the machine included. */
  host: z.object({
    cpuSeconds: z.number().min(0),
    cpuPercentMean: z.number().min(0),
    cpuPercentMax: z.number().min(0),
    /**
     * CPU seconds the hypervisor gave to other guests while this machine's vCPUs had work (/proc/stat
     * steal; counted in cpuSeconds as busy, though none of this machine's processes ran). Optional:
     * older records have none.
     */
    stealSeconds: z.number().min(0).optional(),
  }),
  /** The target process (local target only). */
  target: ProcessCpuSchema.nullable(),
  /** The database server's processes (when it runs on this host and /proc shows them; all its databases). */
  database: ProcessCpuSchema.nullable(),
  /** The k6 processes (the same as loadGenerator.cpuPercentMean, measured the /proc way). */
  loadGenerator: ProcessCpuSchema.nullable(),
  /** The runner (atlas-cap run: collector, sampler). */
  runner: ProcessCpuSchema.nullable(),
  /** The machine's syscall speed over the run (optional: older records have none). */
  syscallProbe: SyscallProbeSchema.optional(),
  /**
   * The target's main thread, its event loop (local target only), from /proc/<pid>/task/<pid>/schedstat
   * over the window: the CPU it ran and the time it was runnable waiting for a core. Their sum over the
   * window is the loop's wall share, what the model's `app.loop` utilisation predicts. Optional: older
   * records, remote targets and kernels without schedstat have none.
   */
  targetThread: z
    .object({
      /** Seconds from its first reading (just after the window's) to the window's end. */
      windowSeconds: z.number().positive(),
      cpuSeconds: z.number().min(0),
      runQueueSeconds: z.number().min(0),
      /** Times the thread was put on a core (wake-ups and preemptions). */
      timeslices: z.number().min(0),
      /**
       * Times it was taken off a core while still runnable (preempted), from its status file's
       * nonvoluntary_ctxt_switches. Optional: records before 2026-12-07 have none.
       */
      involuntarySwitches: z.number().min(0).optional(),
    })
    .optional(),
  /**
   * The target's garbage-collection pauses over the window (local target only), from its
   * nodejs_gc_duration_seconds scraped once a second: each pause stops its event loop. Optional: older
   * records and targets without the metric have none.
   */
  targetGc: z
    .object({
      /** Seconds between the scrapes that bound the window (its start and end, to the second). */
      windowSeconds: z.number().positive(),
      pauses: z.number().min(0),
      /** Their summed wall time. */
      seconds: z.number().min(0),
      /** The same by V8's kind (minor, major, incremental, weakcb). */
      byKind: z.record(z.string(), z.object({ pauses: z.number().min(0), seconds: z.number().min(0) })),
    })
    .optional(),
  /**
   * How late the target's event loop ran the ticks of its delay monitor (prom-client's
   * nodejs_eventloop_lag_*, a 10 ms timer), ms beyond the timer, over the window's once-a-second scrapes
   * (local target only): the wait for the loop a request arriving at a random moment sees. `meanMs` and
   * `p99Ms` are the means over the scrapes of each one's mean and p99, `maxMs` the largest. Optional:
   * older records have none.
   */
  targetLoopDelay: z
    .object({
      scrapes: z.number().int().positive(),
      meanMs: z.number().min(0),
      p99Ms: z.number().min(0),
      maxMs: z.number().min(0),
    })
    .optional(),
});

/**
 * What the run's database did besides answering (pg_stat_database and friends, before vs after the run;
 * every session on that database counted). Optional: older records, and runs whose counters could not
 * be read or were reset mid-run, have none.
 */
export const DatabaseActivitySchema = z.object({
  /** Pages found in shared buffers during the run. */
  blocksHit: z.number().min(0),
  /** Pages read into shared buffers (from the OS page cache or disk) during the run. */
  blocksRead: z.number().min(0),
  /** blocksHit / (blocksHit + blocksRead); null when no page was touched. */
  hitRatio: z.number().min(0).max(1).nullable(),
  /** Checkpoints completed during the run (the whole server's). */
  checkpoints: z.number().min(0),
  /** Autovacuum and autoanalyze passes on the database's tables during the run. */
  autovacuums: z.number().min(0),
  /** The database's size at the end of the run, and the server's shared_buffers, bytes. */
  sizeBytes: z.number().min(0),
  sharedBuffersBytes: z.number().min(0),
});

/** run.json: everything needed to read a run without re-running it. */
export const RunRecordSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  scenario: z.string(),
  users: z.number().int().positive(),
  /** Resolved profile and policy objects (not just names), so the record stands alone. */
  profile: z.record(z.string(), z.unknown()).and(z.object({ name: z.string() })),
  policy: z.record(z.string(), z.unknown()).and(z.object({ name: z.string() })),
  /** Offered arrival rates (per second) by request kind, as the open model computed them. */
  arrivalRates: z.record(z.string(), z.number().min(0)),
  target: z.object({
    kind: z.enum(['local', 'remote']),
    url: z.string(),
    schema: z.enum(['plain', 'partitioned']).optional(),
  }),
  k6: z.object({
    version: z.string(),
    segments: z.number().int().positive(),
    /**
     * Each segment's measured window (ISO times, in the order of the raw outputs): its samples from
     * `from` (its load start + the warm-up) until `until` (`from` + the duration) count; what k6
     * finished in its graceful stop after `until` counts nowhere. Absent in older records.
     */
    windows: z.array(z.object({ from: z.string(), until: z.string() })).optional(),
  }),
  machine: z.object({
    cores: z.number().int().positive(),
    memoryBytes: z.number().positive(),
    cpuModel: z.string(),
    /** Cores the database server was limited to (atlas-cap run --db-cores); absent: not limited. */
    dbCores: z.number().int().positive().optional(),
    /**
     * Spinners at the idle scheduling class that kept this many cores from idling during the run
     * (scripts/run/busy-cores.ts): a measurement of CPU per request on busy cores, never a fit run.
     */
    busyCores: z.number().int().positive().optional(),
  }),
  git: z.object({ commit: z.string().nullable(), dirty: z.boolean() }),
  startedAt: z.string(),
  endedAt: z.string(),
  /**
   * When the measured window began (ISO time): second 0 of every series; the k6 raw output's samples
   * before it are the warm-up's, in no figure. Absent in older records and in merged ones.
   */
  measuredFrom: z.string().optional(),
  durationSeconds: z.number().min(0),
  /**
   * The first W s of the same k6 run (the same load, one k6 process per segment), left out of every
   * figure and threshold: the measured window is the durationSeconds after them (absent: none).
   */
  warmupSeconds: z.number().int().min(1).optional(),
  /** Summary per endpoint name (e.g. `rest.conversations`, `api.message`, `healthz`). */
  endpoints: z.record(z.string(), EndpointSummarySchema),
  iterations: z.object({
    completed: z.number().int().min(0),
    dropped: z.number().int().min(0),
    /** Achieved iterations per second. */
    rate: z.number().min(0),
    /** Iterations per second the open model asked for. */
    targetRate: z.number().min(0),
    /** Completed iterations per k6 scenario (e.g. one per activity class); absent in older records. */
    byScenario: z.record(z.string(), z.number().int().min(0)).optional(),
    /**
     * Mean duration of one iteration's work, ms: k6's iteration_duration less the arrival delay it
     * waited first (scenarios/lib/arrival-spread.ts); absent in older records (which had no delay).
     */
    meanDurationMs: z.number().min(0).optional(),
    /** Mean arrival delay an iteration waited before its first request, ms; absent when none was waited. */
    meanArrivalDelayMs: z.number().min(0).optional(),
  }),
  /**
   * Measured server work per sync (from pg_stat_statements or the target's counters); null if no sync.
   * queriesPerSync and dbTimeMsPerSync are null when neither source was there (a deployment that
   * exposes no statement counters): not measured, never 0.
   */
  sync: z
    .object({
      mode: z.enum(['full', 'delta']),
      queriesPerSync: z.number().min(0).nullable(),
      dbTimeMsPerSync: z.number().min(0).nullable(),
      requestsPerSync: z.number().min(0),
      rowsPerSync: z.number().min(0).optional(),
    })
    .nullable(),
  /** Measured server-side service demand by query kind: calls and mean DB time in ms. */
  queryKinds: z
    .record(z.string(), z.object({ calls: z.number().min(0), meanMs: z.number().min(0) }))
    .default({}),
  loadGenerator: z.object({
    /** k6's CPU use, percent of one core, mean and max over the run. */
    cpuPercentMean: z.number().min(0),
    cpuPercentMax: z.number().min(0),
    /** True when k6 itself was the bottleneck (CPU-bound or out of VUs): results understate capacity. */
    saturated: z.boolean(),
    maxVUs: z.number().int().min(0),
  }),
  thresholds: z.record(z.string(), z.object({ ok: z.boolean() })),
  /** Where the CPU went: host, target, database, k6, runner (optional: absent in older records). */
  cpu: RunCpuSchema.optional(),
  /** Buffer hits and reads, checkpoints, autovacuum, size vs shared_buffers (optional: absent in older records). */
  database: DatabaseActivitySchema.optional(),
  /** Summaries of requests by user class and tier (`abusive/free`, `legit/core`; rate-limit runs). */
  classes: z.record(z.string(), EndpointSummarySchema).optional(),
  /**
   * Summaries of an endpoint's requests by the kind of batch they send (k6's `batch` tag):
   * `rest.push/empty` and `rest.push/rows` (an empty push runs no statement on the reference backend).
   * Absent in records before 2026-12-06.
   */
  batches: z.record(z.string(), EndpointSummarySchema).optional(),
  /** Ramp runs: the highest rate sustained within the latency and error budgets. */
  knee: z
    .object({
      iterationsPerSecond: z.number().min(0),
      requestsPerSecond: z.number().min(0),
      brokeAtSecond: z.number().nullable(),
    })
    .optional(),
  /** Faults injected and what was checked afterwards (fault runs only). */
  faults: z.record(z.string(), z.unknown()).optional(),
  /**
   * Server-side figures this run could not measure because the target did not expose them (a
   * deployment without /metrics, a database the runner cannot see), by name: `pool`, `upstream`,
   * `rateLimited`, `queryKinds`, `queriesPerSync`, `dbConnections`, `database`, `cpu.target`,
   * `cpu.database`. Absent: everything was measured (or an older record).
   */
  notMeasured: z.array(z.string()).optional(),
  /**
   * `interrupted`: the run was stopped (Ctrl-C) before its end; its figures cover the seconds it ran
   * and exitStatus is 130. Absent: the run went to its end (older records too).
   */
  status: z.enum(['completed', 'interrupted']).optional(),
  /** Free-form notes the runner adds (what was skipped, warnings). */
  notes: z.array(z.string()).default([]),
  exitStatus: z.number().int(),
});

/** Per-endpoint summary of a run. */
export type EndpointSummary = z.output<typeof EndpointSummarySchema>;
/** One per-second sample of a run. */
export type SeriesSample = z.output<typeof SeriesSampleSchema>;
/** CPU use of the run's process groups and of the host. */
export type RunCpu = z.output<typeof RunCpuSchema>;
/** The run.json of a run record. */
export type RunRecord = z.output<typeof RunRecordSchema>;

/** A run record as read from its folder (scripts/inputs/run-records.ts): run.json and samples/series.json. */
export interface LoadedRun {
  /** Folder of the run (for links in the report). */
  dir: string;
  record: RunRecord;
  series: SeriesSample[];
}

/** File names inside a run-record folder. */
export const RUN_FILES = {
  record: 'run.json',
  series: 'samples/series.json',
  rawK6: 'samples/k6.json.gz',
  latencyDir: 'samples/latency',
} as const;
