import { describe, expect, it } from 'vitest';
import type { ModelContext } from './analytic.ts';
import { defaultCalibration } from './defaults.ts';
import { atRunCpuSpeed, hostMsPerIteration, RUN_CPU_SCALE_RANGE } from './run-cpu-speed.ts';

// A stand-in model, numbers chosen: 10 iterations a second whose host CPU is 0.1 core per ms of the
// calibration's connection overhead (a duration the speed scales) plus 0.05 cores that do not scale,
// so host ms per iteration = 10·k·overhead + 5 at a scale k, solved by hand.
function context(): ModelContext {
  const calibration = defaultCalibration();
  calibration.connectionOverheadMs = 1;
  return { calibration } as ModelContext;
}
const model = (ctx: ModelContext) => ({
  throughput: 10,
  busy: { 'host.cpu': 0.1 * ctx.calibration.connectionOverheadMs + 0.05 },
});

describe('atRunCpuSpeed', () => {
  it('scales the durations until the predicted host CPU per iteration is the measured', () => {
    // 10k + 5 = 20 ms: k = 1.5.
    const at = atRunCpuSpeed(context(), 20, model);
    expect(at.unscaledMs).toBeCloseTo(15, 9);
    expect(hostMsPerIteration(at.prediction)! / 20 - 1).toBeLessThan(0.005);
    expect(at.scale).toBeCloseTo(1.5, 3);
    // 10k + 5 = 11 ms: k = 0.6, from above.
    expect(atRunCpuSpeed(context(), 11, model).scale).toBeCloseTo(0.6, 3);
  });

  it('predicts as the context is within the tolerance, without a measurement, and holds the scale to its range', () => {
    expect(atRunCpuSpeed(context(), 15.05, model).scale).toBe(1);
    const none = atRunCpuSpeed(context(), null, model);
    expect(none.scale).toBe(1);
    expect(none.prediction.busy['host.cpu']).toBeCloseTo(0.15, 12);
    expect(atRunCpuSpeed(context(), 500, model).scale).toBe(RUN_CPU_SCALE_RANGE.high);
  });

  it('reads host CPU per iteration as busy host cores over throughput', () => {
    expect(hostMsPerIteration({ throughput: 40, busy: { 'host.cpu': 1.2 } })).toBeCloseTo(30, 12);
    expect(hostMsPerIteration({ throughput: 0, busy: { 'host.cpu': 1.2 } })).toBeNull();
    expect(hostMsPerIteration({ throughput: 40, busy: {} })).toBeNull();
  });
});
