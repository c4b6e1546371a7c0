// `npm run bench:review`: `atlas-cap review --no-live` with sensitivity and a 1,000-draw Monte Carlo
// (goal: under 5 s on this machine; a knee search per draw, the default `--knees exact`), printed
// beside the same review without them (the reference) and with --knees surface (the response surface),
// in-process after one warm-up of each (module loading is not the review's time).
//   npm run bench:review -- --runs reports/runs --draws 1000 --repeats 3
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { REVIEW_DEFAULTS, type ReviewOptions, runReview } from '../commands/review.ts';

const GOAL_SECONDS = 5;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: REVIEW_DEFAULTS.runs[0] },
    out: { type: 'string', default: join(REVIEW_DEFAULTS.out, 'bench') },
    draws: { type: 'string', default: String(REVIEW_DEFAULTS.draws) },
    repeats: { type: 'string', default: '3' },
  },
});
const draws = Number(values.draws);
const repeats = Number(values.repeats);
if (!Number.isInteger(draws) || draws < 1 || !Number.isInteger(repeats) || repeats < 1) {
  process.stderr.write('bench:review: --draws and --repeats must be positive whole numbers\n');
  process.exit(2);
}

const base: ReviewOptions = {
  live: false,
  runs: [values.runs!],
  out: values.out!,
  profile: REVIEW_DEFAULTS.profile,
  policies: [...REVIEW_DEFAULTS.policies],
  users: [...REVIEW_DEFAULTS.users],
  liveSeconds: REVIEW_DEFAULTS.liveSeconds,
};

/** CPU seconds (user + system) of this process per review, beside the wall time: steadier on a shared machine. */
const cpuSeconds: number[][] = [[], [], []];

async function seconds(options: ReviewOptions, slot?: 0 | 1 | 2): Promise<number> {
  const t = performance.now();
  const c = process.cpuUsage();
  await runReview(options);
  const used = process.cpuUsage(c);
  if (slot !== undefined) cpuSeconds[slot]!.push((used.user + used.system) / 1e6);
  return (performance.now() - t) / 1000;
}

const without = { ...base, sensitivity: false };
const withIt = { ...base, sensitivity: true, draws, knees: 'exact' as const };
const surface = { ...withIt, knees: 'surface' as const };
// Warm-up: module loading and JIT, once each.
await seconds(without);
await seconds(withIt);
const a: number[] = [];
const b: number[] = [];
const x: number[] = [];
for (let i = 0; i < repeats; i++) {
  a.push(await seconds(without, 0));
  b.push(await seconds(withIt, 1));
  x.push(await seconds(surface, 2));
}
const ref = median(a);
const ours = median(b);
const load = loadavg()[0]!.toFixed(1);
process.stdout.write(
  [
    `review --no-live (${cpus().length} cores, load average ${load}; median of ${repeats} after a warm-up)`,
    `  without sensitivity:                         ${ref.toFixed(2)} s  [${a.map((x) => x.toFixed(2)).join(', ')}]`,
    `  with sensitivity + ${draws}-draw Monte Carlo (exact knees): ${ours.toFixed(2)} s  [${b.map((x) => x.toFixed(2)).join(', ')}]`,
    `  with --knees surface (no search per draw):   ${median(x).toFixed(2)} s  [${x.map((v) => v.toFixed(2)).join(', ')}]`,
    `  CPU time (this process, median): ${median(cpuSeconds[0]!).toFixed(2)} s without, ${median(cpuSeconds[1]!).toFixed(2)} s with, ${median(cpuSeconds[2]!).toFixed(2)} s surface`,
    `  added: ${(ours - ref).toFixed(2)} s (×${(ours / ref).toFixed(2)}); goal under ${GOAL_SECONDS} s: ${ours < GOAL_SECONDS ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);
