import type { Calibration } from './calibration.ts';
import type { Targets } from './targets.ts';
import { ENDPOINTS } from './workload.ts';

// What the model assumes until run records calibrate it. Each value names its source; none is measured.

const ASSUMED = 'assumption (uncalibrated): ';

/** Service demands and overheads used when no run record calibrates them. */
export function defaultCalibration(): Calibration {
  return {
    demands: {
      // An index range scan returning ~50 rows from shared buffers: sub-millisecond on PostgreSQL
      // (PostgreSQL docs, "Using EXPLAIN": index scans cost a few buffer reads per row).
      [ENDPOINTS.conversations]: {
        meanMs: 0.5,
        scv: 1,
        source: `${ASSUMED}indexed scan of ~50 conversation rows, ~0.5 ms`,
      },
      [ENDPOINTS.messages]: {
        meanMs: 0.5,
        scv: 1,
        source: `${ASSUMED}indexed scan of one conversation's messages, ~0.5 ms`,
      },
      // A write commits and flushes WAL: ~1 ms on SSD-backed cloud disks (synchronous_commit on).
      [ENDPOINTS.push]: { meanMs: 1, scv: 1, source: `${ASSUMED}one upsert with WAL flush, ~1 ms` },
      [ENDPOINTS.message]: {
        meanMs: 0.8,
        scv: 1,
        source: `${ASSUMED}mean of 5 statements (2 reads, 3 writes) per /api/message`,
      },
      default: { meanMs: 0.6, scv: 1, source: `${ASSUMED}generic indexed statement, ~0.6 ms` },
    },
    connectionOverheadMs: 0.2,
    requestOverheadMs: { default: 2 },
    cpuShareOfDbTime: 1,
    queriesPerSync: {},
    usl: null,
    measuredRange: null,
    runs: [],
    calibrated: false,
    notes: [
      `${ASSUMED}statement times above; 0.2 ms connection hold per statement beyond it (driver round trip on loopback); 2 ms per request outside the database (HTTP, JWT check, JSON)`,
      `${ASSUMED}database time is all CPU (a dataset in shared buffers), so cores bound throughput`,
    ],
  };
}

/**
 * Latency and error budgets until a budgets file says otherwise. The seeds state no latency budget;
 * the 20% headroom is launch-readiness-report.md fix #1 ("Leaves 20% headroom for spikes").
 */
export function defaultTargets(): Targets {
  return {
    p95Ms: { default: 500, sync: 5000, [ENDPOINTS.message]: 3000 },
    errorShare: 0.01,
    maxUtilisation: 0.8,
    source:
      'assumption: p95 500 ms per REST request, 5 s per whole sync, 3 s per /api/message (2× the upstream p95 of 1.5 s), errors <= 1%; max utilisation 0.8 from launch-readiness-report.md fix #1 ("20% headroom")',
  };
}
