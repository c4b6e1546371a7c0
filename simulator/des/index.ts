// The discrete-event simulation's public face: arrival patterns and the prediction for the simulator,
// the engine itself for its benchmark (scripts/bench/sim-bench.ts). Everything else here is internal.
export { desConfigFor } from './des-config.ts';
export type { DesConfig, DesResult } from './engine.ts';
export { runDes } from './engine.ts';
export type { DesPattern } from './patterns.ts';
export { DIURNAL_RAMP, JITTERED_TIMERS, POISSON, THUNDERING_HERD } from './patterns.ts';
export { predictDes } from './predict.ts';
export { Random } from './random.ts';
