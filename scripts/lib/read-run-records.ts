import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunRecord, SeriesSample } from '../../core/run-record.ts';
import { RUN_FILES, RunRecordSchema, SeriesSampleSchema } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';

/** One run folder read and validated: its run.json and per-second series. */
export interface LoadedRun {
  dir: string;
  record: RunRecord;
  series: SeriesSample[];
}

function readJson(file: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(flag, `${file} is not valid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

function readOne(dir: string, flag: string): LoadedRun {
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
    const raw = readJson(seriesFile, flag);
    const s = SeriesSampleSchema.array().safeParse(raw);
    if (!s.success) {
      const issue = s.error.issues[0]!;
      throw new UsageError(flag, `${seriesFile}: field ${issue.path.join('.')}: ${issue.message}`);
    }
    series = s.data;
  }
  return { dir, record: parsed.data, series };
}

/**
 * Reads run records for calibration: each path is a run folder (with run.json) or a folder of run
 * folders. Every file is validated before anything is used; a bad one is a UsageError naming it.
 */
export function readRunRecords(paths: string[], flag = '--calibration'): LoadedRun[] {
  const runs: LoadedRun[] = [];
  for (const p of paths) {
    const dir = resolve(p);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(flag, `no run folder ${dir}`);
    if (existsSync(join(dir, RUN_FILES.record))) {
      runs.push(readOne(dir, flag));
      continue;
    }
    const children = readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((c) => statSync(c).isDirectory() && existsSync(join(c, RUN_FILES.record)))
      .sort();
    if (children.length === 0)
      throw new UsageError(flag, `${dir} holds no ${RUN_FILES.record} and no run folders`);
    for (const c of children) runs.push(readOne(c, flag));
  }
  return runs;
}
