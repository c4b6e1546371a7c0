import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { RUN_FILES, type RunRecord, RunRecordSchema } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import { planScenario, type ScenarioName, scenarioFile } from '../run/plan.ts';
import { buildSeries, gitInfo, machineInfo } from '../run/record.ts';
import { iterationSummary, mergeRawOutputs } from './aggregate.ts';
import { K6_VERSION, resolveK6 } from './binary.ts';
import { inspectScenario, scheduledRate } from './run-k6.ts';
import { parseThresholds, type Threshold } from './thresholds.ts';

// `atlas-cap merge`: raw outputs of several runners (k6-operator pods, machines) → one run record, with
// exact percentiles over the union of samples and the scenario's thresholds judged on the merged data.

/** What the merge knows beyond the raw files (optional: without them the record says less). */
export interface MergeOptions {
  files: string[];
  outDir: string;
  scenario?: ScenarioName;
  users?: number;
  policy: Policy;
  profile: Profile;
  /** Length of the load; default: first to last sample. */
  durationSeconds?: number;
  targetUrl?: string;
}

async function appendGzipped(file: string, sink: NodeJS.WritableStream): Promise<void> {
  const source = createReadStream(file);
  if (file.endsWith('.gz')) await pipeline(source, sink, { end: false });
  else await pipeline(source, createGzip(), sink, { end: false });
}

/** Merges raw outputs into a run record folder (run.json, series, raw output, latency files). */
export async function mergeToRunRecord(options: MergeOptions): Promise<{ dir: string; record: RunRecord }> {
  if (options.files.length === 0)
    throw new UsageError('FILES', 'name at least one raw k6 output (--out json=FILE)');
  for (const f of options.files) if (!existsSync(f)) throw new UsageError('FILES', `no file ${f}`);
  const dir = resolve(options.outDir);
  if (existsSync(join(dir, RUN_FILES.record)))
    throw new UsageError('--out', `${dir} already holds a run record`);
  const users = options.users ?? options.profile.users;
  let thresholds: Threshold[] = [];
  let targetRate = 0;
  let arrivalRates: Record<string, number> = {};
  if (options.scenario) {
    const plan = planScenario(
      options.scenario,
      options.profile,
      options.policy,
      users,
      options.durationSeconds ?? 60,
    );
    arrivalRates = plan.arrivalRates;
    // The scenario's thresholds do not depend on the users themselves: an empty export resolves them.
    const csv = join(mkdtempSync(join(tmpdir(), 'atlas-merge-')), 'users.csv');
    writeFileSync(csv, 'id,tier,activity,conversations,last_activity,first_conversation_id\n');
    const inspected = await inspectScenario(resolveK6(), scenarioFile(options.scenario), {
      ...plan.env,
      USERS_CSV: csv,
    });
    thresholds = parseThresholds(inspected.thresholds ?? {});
    targetRate = Object.values(plan.arrivalRates).reduce((a, b) => a + b, 0) || scheduledRate(inspected);
  }
  const merged = await mergeRawOutputs(options.files, thresholds);
  const duration =
    options.durationSeconds ?? Math.max(1, Math.round((merged.lastMs - merged.firstMs) / 1000));
  mkdirSync(join(dir, RUN_FILES.latencyDir), { recursive: true });
  const sink = createWriteStream(join(dir, RUN_FILES.rawK6));
  for (const f of options.files) await appendGzipped(f, sink);
  await new Promise<void>((r) => sink.end(r));
  const thresholdResults = Object.fromEntries(
    Object.entries(merged.thresholds).map(([key, list]) => [key, { ok: list.every((t) => t.ok) }]),
  );
  const record = RunRecordSchema.parse({
    schemaVersion: 1,
    id: basename(dir),
    scenario: options.scenario ?? 'merged',
    users,
    profile: options.profile,
    policy: options.policy,
    arrivalRates,
    target: { kind: 'remote', url: options.targetUrl ?? 'unknown (merged runner outputs)' },
    k6: { version: K6_VERSION, segments: options.files.length },
    machine: machineInfo(),
    git: gitInfo(process.cwd()),
    startedAt: new Date(merged.firstMs).toISOString(),
    endedAt: new Date(merged.lastMs).toISOString(),
    durationSeconds: duration,
    endpoints: merged.endpoints,
    iterations: iterationSummary(merged, duration, targetRate),
    sync: null,
    queryKinds: {},
    loadGenerator: {
      cpuPercentMean: 0,
      cpuPercentMax: 0,
      saturated: merged.iterations.dropped > 0,
      maxVUs: merged.maxVUs,
    },
    thresholds: thresholdResults,
    ...(Object.keys(merged.classes).length > 0 ? { classes: merged.classes } : {}),
    ...(Object.keys(merged.batches).length > 0 ? { batches: merged.batches } : {}),
    notes: [
      `merged from ${options.files.length} raw outputs: ${options.files.map((f) => basename(f)).join(', ')}`,
      'no server-side samples, queries per sync or load-generator CPU: the runners measured only the client side',
      'machine: the host that merged, not the runners',
    ],
    exitStatus: Object.values(thresholdResults).every((t) => t.ok) ? 0 : 99,
  });
  writeFileSync(join(dir, RUN_FILES.series), JSON.stringify(buildSeries(merged.series, [], merged.firstMs)));
  for (const [name, durations] of Object.entries(merged.latency)) {
    writeFileSync(
      join(dir, RUN_FILES.latencyDir, `${name.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`),
      JSON.stringify(durations),
    );
  }
  writeFileSync(join(dir, RUN_FILES.record), JSON.stringify(record, null, 2) + '\n');
  return { dir, record };
}
