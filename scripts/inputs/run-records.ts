import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadedRun, SeriesSample } from '../../core/run-record.ts';
import { RUN_FILES, RunRecordSchema, SeriesSampleSchema } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';

// The one reader of run records (core/run-record.ts) for every command: review, check, simulate
// --calibration and the benches. One depth rule, one validation rule; `flag` names the option the
// folders came from in every error.

/** Run folders are found at most this many levels below a named folder: reports/runs/check-<time>/<run>/. */
const SEARCH_DEPTH = 2;

/** True when `dir` is a run-record folder (has run.json). */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.record));
}

function readJson(file: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(flag, `cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Reads and validates one run folder (run.json and, when present, samples/series.json); a bad file is a UsageError. */
export function loadRun(dir: string, flag: string): LoadedRun {
  const recordFile = join(dir, RUN_FILES.record);
  const parsed = RunRecordSchema.safeParse(readJson(recordFile, flag));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      flag,
      `${recordFile}: field ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
  }
  const seriesFile = join(dir, RUN_FILES.series);
  let series: SeriesSample[] = [];
  if (existsSync(seriesFile)) {
    const s = SeriesSampleSchema.array().safeParse(readJson(seriesFile, flag));
    if (!s.success) {
      const issue = s.error.issues[0]!;
      throw new UsageError(
        flag,
        `${seriesFile}: field ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      );
    }
    series = s.data;
  }
  return { dir: resolve(dir), record: parsed.data, series };
}

/**
 * Every run folder under the given folders, sorted: a folder that is itself a run, or holds runs one
 * or two levels down (reports/runs/<run>/, reports/runs/check-<time>/<run>/). Missing folders give none.
 */
export function findRunDirs(roots: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (dir: string, depth: number) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
    if (isRunDir(dir)) {
      found.add(resolve(dir));
      return;
    }
    if (depth === 0) return;
    for (const name of readdirSync(dir).sort()) visit(join(dir, name), depth - 1);
  };
  for (const root of roots) visit(root, SEARCH_DEPTH);
  return [...found].sort();
}

/**
 * The run records the user named (`--calibration`): every path must exist and hold at least one run
 * (found as {@link findRunDirs} does); each is validated before any is used.
 */
export function readRunRecords(paths: readonly string[], flag: string): LoadedRun[] {
  const dirs = paths.flatMap((p) => {
    const dir = resolve(p);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(flag, `no such folder: ${dir}`);
    const found = findRunDirs([dir]);
    if (found.length === 0) throw new UsageError(flag, `no run record (${RUN_FILES.record}) in ${dir}`);
    return found;
  });
  return [...new Set(dirs)].map((d) => loadRun(d, flag));
}

/** Raw request durations in ms per endpoint from samples/latency/<endpoint>.json (number arrays). */
export function loadLatencies(dir: string): Record<string, number[]> {
  const folder = join(dir, RUN_FILES.latencyDir);
  if (!existsSync(folder)) return {};
  const out: Record<string, number[]> = {};
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.json')) continue;
    const raw = JSON.parse(readFileSync(join(folder, name), 'utf8')) as unknown;
    const values = Array.isArray(raw)
      ? raw
      : raw && typeof raw === 'object' && Array.isArray((raw as { durations?: unknown }).durations)
        ? (raw as { durations: unknown[] }).durations
        : [];
    out[name.slice(0, -'.json'.length)] = values.filter((v): v is number => typeof v === 'number');
  }
  return out;
}
