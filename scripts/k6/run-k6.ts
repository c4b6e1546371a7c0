import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';
import { loadStartOf } from './load-start.ts';
import type { ThresholdSpec } from './thresholds.ts';

const execFileAsync = promisify(execFile);

// Spawning k6: `k6 inspect` (validates a scenario and resolves its options with the same environment)
// and `k6 run` with raw JSON output. No usage report is ever sent (loopback only).

/** The resolved options `k6 inspect` prints (the parts the runner reads). */
export interface InspectedOptions {
  scenarios?: Record<
    string,
    {
      executor: string;
      rate?: number;
      timeUnit?: string;
      startRate?: number;
      stages?: { target: number; duration: string }[];
      duration?: string;
      preAllocatedVUs?: number;
      maxVUs?: number;
      env?: Record<string, string>;
    }
  >;
  thresholds?: Record<string, ThresholdSpec[]>;
}

/** `-e NAME=value` arguments for `env`. */
export function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

/** Go duration text (`1m30s`, `2h46m40s`, `500ms`) → seconds. */
export function parseGoDuration(text: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
  let matched = '';
  for (const m of text.matchAll(re)) {
    matched += m[0];
    const n = Number(m[1]);
    total += n * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 }[m[2] as 'h'];
  }
  if (matched !== text) throw new Error(`not a Go duration: ${text}`);
  return total;
}

/** Iterations per second the scenarios schedule (arrival-rate executors; ramps at their mean). */
export function scheduledRate(options: InspectedOptions): number {
  let rate = 0;
  for (const s of Object.values(options.scenarios ?? {})) {
    const unit = parseGoDuration(s.timeUnit ?? '1s');
    if (s.executor === 'constant-arrival-rate') rate += (s.rate ?? 0) / unit;
    if (s.executor === 'ramping-arrival-rate') {
      const targets = [s.startRate ?? 0, ...(s.stages ?? []).map((st) => st.target)];
      rate += targets.reduce((a, b) => a + b, 0) / targets.length / unit;
    }
  }
  return rate;
}

/** Runs `k6 inspect` on a scenario with the given environment; throws with k6's message when invalid. */
export async function inspectScenario(
  k6: string,
  file: string,
  env: Record<string, string>,
  processEnv: NodeJS.ProcessEnv = process.env,
): Promise<InspectedOptions> {
  try {
    const { stdout } = await execFileAsync(k6, ['inspect', ...envArgs(env), file], {
      env: processEnv,
      maxBuffer: 16 << 20,
    });
    return JSON.parse(stdout) as InspectedOptions;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `k6 inspect ${file} failed: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}

/** A running `k6 run`. */
export interface K6Process {
  child: ChildProcess;
  pid: number;
  /** Resolves with k6's exit code when it ends. */
  done: Promise<number>;
  /** Epoch ms k6 started its scenarios (the load's second 0); null when it ended before (load-start.ts). */
  loadStarted: Promise<number | null>;
}

/** Options of {@link startK6}. */
export interface StartK6Options {
  k6: string;
  file: string;
  env: Record<string, string>;
  /** Raw output file (`.json.gz` compresses). */
  rawOut: string;
  /** k6's console output goes here. */
  logFile: string;
  /** Process environment (carries JWT_SECRET, never the command line). */
  processEnv: NodeJS.ProcessEnv;
  /** This process's execution segment of K; its samples carry the tag `segment` = `index` (0..K-1). */
  segment?: { segment: string; sequence: string; index: number };
  /**
   * Also stream the raw output to k6's stdout (`--out json=-`) for the live line; stdout then carries
   * only that (k6's own messages go to stderr and the log). k6 serialises its samples twice then.
   */
  liveOutput?: boolean;
}

/** Spawns `k6 run` with raw JSON output, no summary, no REST API and no usage report. */
export function startK6(options: StartK6Options): K6Process {
  const args = [
    'run',
    '--no-usage-report',
    '--no-color',
    '--summary-mode=disabled',
    // No REST API server: several k6 processes of one run would fight over its port 6565.
    '--address',
    '',
    '--quiet',
    '--out',
    `json=${options.rawOut}`,
    ...(options.liveOutput ? ['--out', 'json=-'] : []),
    ...envArgs(options.env),
  ];
  if (options.segment) {
    args.push('--execution-segment', options.segment.segment);
    args.push('--execution-segment-sequence', options.segment.sequence);
    // Which segment each sample came from, in the merged raw output too (its window is its own).
    args.push('--tag', `segment=${options.segment.index}`);
  }
  args.push(options.file);
  const log = createWriteStream(options.logFile);
  const child = spawn(options.k6, args, { env: options.processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  if (!options.liveOutput) child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const loadStarted = loadStartOf(child.stderr!);
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      log.end();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  return { child, pid: child.pid ?? -1, done, loadStarted };
}
