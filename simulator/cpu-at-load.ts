import type { CpuFit } from './calibrate-cpu.ts';
import type { Calibration } from './calibration.ts';

// A process's CPU per request as it is at a load, when its wake-ups are amortised (rig; issue 12).
//
// Measured on the 2-core rig (bench:knee, 2026-12-01 20:08, full sync): the target's cores per sync
// fell from 29.9 ms at 5 syncs/s to 16.1 at 28.5, k6's from 22.5 to 13.6, while the database's stayed
// within 22-25. A process that is idle when a request arrives pays a wake-up (epoll/futex return, a
// context switch, a cold cache and clock) that a busy one does not: a request finds the process idle
// with probability 1 − C (C its busy cores, one thread's worth), so its CPU is x + w·(1 − C) and
//   C = F + λ·(x + w·(1 − C))/1000,  i.e.  C = (F + λ(x + w)/1000) / (1 + λw/1000)
// (λ requests/s, x and w ms per request, F the fixed cores). A straight line through the fit levels
// (the model until session 7) carried the low levels' wake-ups to the knee: at 28.5 syncs/s it put
// the target at 0.547 cores and k6 at 0.506 where 0.459 and 0.387 were measured, the host at 1.83 of
// 2 where 1.56 was, and the knee a sixth too low. The same three fit levels through this shape: 0.473
// and 0.426. The database's backends (one process per connection) were kept linear until session 35,
// when launch-mix showed its CPU per statement falling too (0.56 ms at 127 statements/s, 0.44 at 660;
// full sync's stays flat): its λ is the ms of statement time per second, x and w CPU per ms of it
// (calibrate.ts). A fit without `amortised`: linear, as before.

/** Cores a process uses at `requestsPerSecond` under its fit (with its wake-ups amortised when fitted so). */
export function coresAt(fit: CpuFit, requestsPerSecond: number): number {
  const r = Math.max(0, requestsPerSecond);
  const a = fit.amortised;
  if (!a) return fit.fixedCores + (r * fit.perUnit) / 1000;
  return (
    (a.fixedCores + (r * (a.msPerRequest + a.wakeMsPerRequest)) / 1000) /
    (1 + (r * a.wakeMsPerRequest) / 1000)
  );
}

/** Its CPU per request at that load (the fixed part apart), ms: busy CPU + wake × the share it finds the process idle. */
export function msPerRequestAt(fit: CpuFit, requestsPerSecond: number): number {
  const a = fit.amortised;
  if (!a) return fit.perUnit;
  return a.msPerRequest + a.wakeMsPerRequest * Math.max(0, 1 - coresAt(fit, requestsPerSecond));
}

/** A fit as the straight line it is at one load: its CPU per request and fixed part there, nothing amortised left. */
function lineAt(fit: CpuFit, requestsPerSecond: number): CpuFit {
  if (!fit.amortised) return fit;
  const { amortised, ...rest } = fit;
  return { ...rest, perUnit: msPerRequestAt(fit, requestsPerSecond), fixedCores: amortised.fixedCores };
}

/**
 * The calibration with the target's and k6's CPU per request as they are at `requestsPerSecond` (each
 * endpoint's share of the target's kept), and the database's CPU per ms of statement time at
 * `statementMsPerSecond` (its share of statement time): the rig's predictions read it (cpu.ts). The
 * same calibration when no fit is amortised.
 */
export function cpuCalibrationAt(
  cal: Calibration,
  requestsPerSecond: number,
  statementMsPerSecond = 0,
): Calibration {
  const c = cal.cpu;
  if (!c || (!c.app.amortised && !c.loadGenerator.amortised && !c.database.amortised)) return cal;
  const app = lineAt(c.app, requestsPerSecond);
  const scale = c.app.perUnit > 0 ? app.perUnit / c.app.perUnit : 1;
  const appMsPerRequest = { ...c.appMsPerRequest };
  for (const e of Object.keys(appMsPerRequest)) appMsPerRequest[e] = appMsPerRequest[e]! * scale;
  // The database's share moves by its curve's ratio to the line (the share may carry a congestion
  // cost already: db-congestion.ts).
  const line = lineAt(c.database, statementMsPerSecond);
  const ratio = c.database.perUnit > 0 ? line.perUnit / c.database.perUnit : 1;
  return {
    ...cal,
    cpuShareOfDbTime: cal.cpuShareOfDbTime * ratio,
    cpu: {
      ...c,
      app,
      appMsPerRequest,
      database: line,
      loadGenerator: lineAt(c.loadGenerator, requestsPerSecond),
    },
  };
}

/** Solves the square system m·v = b by Gaussian elimination with partial pivoting; null when singular. */
function solve(m: number[][], b: number[]): number[] | null {
  const n = b.length;
  const a = m.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-15) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/**
 * Fits C = F + λ(x + w(1 − C))/1000 to runs' (requests/s, cores) by least squares on the columns 1, λ,
 * λ(1 − C) with F, w >= 0 and C rising with λ (x + w > F·w/1000; x alone may come out below 0 on a few
 * noisy runs: it is the slope the curve tends to, not a measured part); every subset of the three
 * solved, the best feasible taken. Each point counts with its `weight` (1 when absent): the calibration
 * weighs each load level once, however many replicates it ran. Null below 3 runs or without a spread of
 * loads, or when w comes out 0 (a line: the linear fit stands) unless `keepLine`: then the line, w = 0
 * (the calibration keeps it when a knee probe joined the points, which the linear fit does not see).
 */
export function fitAmortisedCpu(
  points: Array<{ requestsPerSecond: number; cores: number; weight?: number }>,
  keepLine = false,
): NonNullable<CpuFit['amortised']> | null {
  if (points.length < 3) return null;
  const loads = points.map((p) => p.requestsPerSecond);
  if (Math.max(...loads) <= Math.min(...loads) * 1.2) return null;
  const columns = [
    (_: (typeof points)[number]) => 1,
    (p: (typeof points)[number]) => p.requestsPerSecond / 1000,
    (p: (typeof points)[number]) => (p.requestsPerSecond * (1 - p.cores)) / 1000,
  ];
  let best: { v: number[]; sse: number } | null = null;
  for (let mask = 1; mask < 8; mask++) {
    const used = [0, 1, 2].filter((i) => mask & (1 << i));
    const m = used.map((i) =>
      used.map((j) => points.reduce((s, p) => s + (p.weight ?? 1) * columns[i]!(p) * columns[j]!(p), 0)),
    );
    const b = used.map((i) => points.reduce((s, p) => s + (p.weight ?? 1) * columns[i]!(p) * p.cores, 0));
    const sol = solve(m, b);
    if (!sol || sol.some((x, k) => x < 0 && used[k] !== 1)) continue;
    const v = [0, 0, 0];
    used.forEach((i, k) => {
      v[i] = sol[k]!;
    });
    if (!(v[1]! + v[2]! > v[0]! * v[2]!)) continue;
    const sse = points.reduce(
      (s, p) => s + (p.weight ?? 1) * (p.cores - columns.reduce((t, c, i) => t + v[i]! * c(p), 0)) ** 2,
      0,
    );
    if (!best || sse < best.sse - 1e-15) best = { v, sse };
  }
  if (!best || (best.v[2]! <= 0 && !keepLine)) return null;
  const [fixedCores, msPerRequest, wakeMsPerRequest] = best.v as [number, number, number];
  return {
    fixedCores,
    msPerRequest,
    wakeMsPerRequest,
    source: `calibrated: cores = F + λ(x + w(1 − cores)) over ${points.length} run(s), least squares with F, w >= 0: F ${fixedCores.toFixed(3)} cores, x ${msPerRequest.toFixed(3)} ms, w ${wakeMsPerRequest.toFixed(3)} ms per request`,
  };
}
