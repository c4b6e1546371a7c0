import type { BaseLatency } from './base-latency.ts';
import type { CpuCalibration } from './calibrate-cpu.ts';
import type { UslFit } from './usl.ts';

/** Service demand of one request or query kind. */
export interface ServiceDemand {
  /** Mean database time per statement, ms. */
  meanMs: number;
  /** Of meanMs, the time waiting for the disk (not CPU; the connection is held through it), ms; absent: none. */
  ioMs?: number;
  /** Squared coefficient of variation of the service time (1 = exponential). */
  scv: number;
  source: string;
}

/** Page reads from the disk a calibration carries: per statement kind, per sync, and how they were worked out. */
export interface DiskReads {
  readsPerStatement: Record<string, number>;
  readsPerSync: number;
  /** Write operations per statement by kind (the WAL's flushes of the commits that write); absent: none. */
  writesPerStatement?: Record<string, number>;
  source: string;
}

/** Service demands and scalability fitted from run records (or defaults with named sources). */
export interface Calibration {
  /** Database time per statement by endpoint / query kind; `default` when a kind is not measured. */
  demands: Record<string, ServiceDemand> & { default: ServiceDemand };
  /** Extra time a statement holds a pool connection beyond its database time (driver, network), ms. */
  connectionOverheadMs: number;
  /** Time a request spends outside the database (HTTP, auth, JSON, network), ms, by endpoint. */
  requestOverheadMs: Record<string, number> & { default: number };
  /**
   * Latency of one request of an endpoint when nothing waits for a connection or a core (client side:
   * HTTP, JSON, the statement and its round trip), log-normal from the median and p95 measured in
   * uncontended runs; queue waits are added to it (read it with baseLatencyAt). Absent: overhead +
   * statement demand stand in.
   */
  baseLatency?: Record<string, BaseLatency>;
  /**
   * Share of an endpoint's requests that run a statement on the measured target, where below 1: the
   * reference backend answers an empty push batch without the database (backend/rest/rest-route.ts), so
   * most pushes never take a connection; its demand is per request. The rig's pool reads it (model-queues.ts).
   */
  statementShare?: Record<string, { share: number; source: string }>;
  /**
   * Share of an endpoint's requests on each of its paths, measured from the records' `batches`
   * (`rest.push/rows`: pushes with a row to write; the rest are empty). With the base latencies of both
   * paths (`rest.push/empty`, `rest.push/rows`) the rig's model predicts the endpoint as their mixture,
   * weighted by the scenario's probability of a row (the profile's change share); this count divides
   * the push's measured statements among the pushes that ran them.
   */
  batchShare?: Record<string, { share: number; source: string }>;
  /** Share of database time that is CPU (the rest waits on I/O and does not occupy a core). */
  cpuShareOfDbTime: number;
  /** Where it comes from (an assumption, or the runs' database CPU against their statement time). */
  cpuShareSource?: string;
  /** CPU per request of the app tier, the database and the load generator, measured from run records' `cpu`. */
  cpu?: CpuCalibration;
  /** Measured queries per sync by sync mode, when runs had syncs. */
  queriesPerSync: Partial<Record<'full' | 'delta', number>>;
  /** USL fit of throughput (queries/s) against concurrency (busy connections); null when too few points. */
  usl: UslFit | null;
  /** Measured range of load the calibration covers, in database queries per second. */
  measuredRange: { minQueriesPerSecond: number; maxQueriesPerSecond: number } | null;
  /** Run ids used. */
  runs: string[];
  /** False when every demand is a default. */
  calibrated: boolean;
  /** Pages a statement of each kind reads from the disk at the prediction's data size (data-size-demand.ts); absent: not carried. */
  disk?: DiskReads;
  /**
   * Pages a statement of each kind read from outside shared_buffers in the calibration runs' own data,
   * by the rig's working-set model (rig-data-size.ts ownPageReadsOf): already in the measured demands,
   * so a carry to other data adds only the difference. Absent: none (every run's data fitted).
   */
  ownPageReads?: OwnPageReads;
  notes: string[];
}

/** The page reads a calibration's runs measured inside their demands, per statement kind, and how they were worked out. */
export interface OwnPageReads {
  perStatement: Record<string, number>;
  source: string;
}
