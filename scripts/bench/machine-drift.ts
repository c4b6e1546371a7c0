// Whether the machine a bench's levels ran on was the machine its fit ran on. On a shared VM the
// hypervisor's stolen time moves by a third of the cores within an hour (bench:knee 2026-12-02: fit runs
// 0.11-0.69 cores stolen, the knee levels 0.00-0.11 half an hour later), and every REST p95 moves with
// it: a level judged on another machine than the fit's says more about the machine than the model.
// Printed beside the verdict, never part of it. Pure.

/** Stolen cores between fit and level beyond which the bench says the machine moved: 5 % of 2 cores. */
export const DRIFT_CORES = 0.1;

/** One level's stolen cores against the fit's, in one line; `drifted` when they differ by more than DRIFT_CORES. */
export function machineLine(
  levelStolen: readonly (number | null)[],
  fitStolen: number | null,
): { line: string; drifted: boolean } {
  const known = levelStolen.filter((x): x is number => x !== null);
  if (known.length === 0 || fitStolen === null)
    return { line: '  machine: stolen time not recorded (no drift check)', drifted: false };
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const drifted = Math.abs(mean - fitStolen) > DRIFT_CORES;
  const each = known.map((x) => x.toFixed(2)).join(', ');
  return {
    line: `  machine: ${each} cores stolen by the hypervisor (the fit runs kept: ${fitStolen.toFixed(2)})${drifted ? `: the machine moved by more than ${DRIFT_CORES} cores since the fit, the p95s read another machine than the model's` : ''}`,
    drifted,
  };
}

/**
 * One level's syscall probes against the fit's (machine-speed.ts), in one line: what a system call cost
 * each replicate, as read and taken back to an idle host, beside the fit runs' (idle-host) figure, and
 * the ratio each replicate is predicted at.
 */
export function speedLine(
  levelProbes: readonly { probe: number | null; idle: number | null }[],
  fitProbe: number | null,
): string {
  const known = levelProbes.filter(
    (x): x is { probe: number; idle: number } => x.probe !== null && x.idle !== null,
  );
  if (known.length === 0 || fitProbe === null)
    return '  machine speed: syscall probe not recorded (predicted at the fit runs’ speed)';
  const each = known
    .map((x) => `${x.probe.toFixed(3)} µs (${x.idle.toFixed(3)} idle, ×${(x.idle / fitProbe).toFixed(2)})`)
    .join(', ');
  return `  machine speed: a system call cost ${each} against the fit runs' ${fitProbe.toFixed(3)} µs idle; each replicate is predicted at its own`;
}
