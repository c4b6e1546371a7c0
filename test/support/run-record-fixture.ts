import { type RunRecord, RunRecordSchema } from '../../core/run-record.ts';

/**
 * A synthetic run record for tests: the fields every test leaves alone (machine, git, times, k6,
 * empty thresholds) filled in, `fields` on top, checked against the run-record schema.
 */
export function syntheticRunRecord(
  fields: Pick<RunRecord, 'id' | 'scenario' | 'users' | 'endpoints'> & Partial<RunRecord>,
): RunRecord {
  const seconds = fields.durationSeconds ?? 60;
  return RunRecordSchema.parse({
    schemaVersion: 1,
    profile: { name: 'ci-smoke' },
    policy: { name: 'current' },
    arrivalRates: {},
    target: { kind: 'local', url: 'http://127.0.0.1:0' },
    k6: { version: 'v1.8.1', segments: 1 },
    machine: { cores: 2, memoryBytes: 24e9, cpuModel: 'synthetic' },
    git: { commit: null, dirty: false },
    startedAt: '2026-11-22T00:00:00Z',
    endedAt: new Date(Date.parse('2026-11-22T00:00:00Z') + seconds * 1000).toISOString(),
    durationSeconds: seconds,
    iterations: { completed: 1, dropped: 0, rate: 1, targetRate: 1 },
    sync: null,
    queryKinds: {},
    loadGenerator: { cpuPercentMean: 1, cpuPercentMax: 1, saturated: false, maxVUs: 1 },
    thresholds: {},
    notes: [],
    exitStatus: 0,
    ...fields,
  });
}

/** A synthetic run record's `database` for tests: every page found in shared_buffers, `fields` on top. */
export function syntheticDatabase(
  fields: Partial<NonNullable<RunRecord['database']>> = {},
): NonNullable<RunRecord['database']> {
  return {
    blocksHit: 1,
    blocksRead: 0,
    hitRatio: 1,
    checkpoints: 0,
    autovacuums: 0,
    sizeBytes: 1e8,
    sharedBuffersBytes: 128 * 2 ** 20,
    ...fields,
  };
}
