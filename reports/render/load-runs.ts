import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RUN_FILES, RunRecordSchema, type SeriesSample, SeriesSampleSchema } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import type { LoadedRun } from '../review/review-types.ts';

/** True when `dir` is a run-record folder (has run.json). */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.record));
}

/** Reads and validates one run record folder; `flag` names the option it came from in errors. */
export function loadRun(dir: string, flag = '--runs'): LoadedRun {
  const file = join(dir, RUN_FILES.record);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(flag, `cannot read run record ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(flag, `${file}: field ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const seriesFile = join(dir, RUN_FILES.series);
  let series: SeriesSample[] = [];
  if (existsSync(seriesFile)) {
    const s = SeriesSampleSchema.array().safeParse(JSON.parse(readFileSync(seriesFile, 'utf8')));
    if (s.success) series = s.data;
  }
  return { dir: resolve(dir), record: parsed.data, series };
}

/**
 * Every run record under the given folders: a folder that is itself a run, or holds runs one or two
 * levels down (reports/runs/<run>/, reports/runs/check-<time>/<run>/). Missing folders are skipped.
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
  for (const root of roots) visit(root, 2);
  return [...found].sort();
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
