// The simulator's public API: everything other parts import comes from here.
export * from './analytic.ts';
export * from './cost.ts';
export * from './defaults.ts';
export * from './des/engine.ts';
export * from './des/heap.ts';
export * from './des/histogram.ts';
export * from './des/patterns.ts';
export * from './des/predict.ts';
export * from './des/random.ts';
export * from './distributions.ts';
export * from './erlang-c.ts';
export * from './knee.ts';
export * from './queueing.ts';
export * from './rate-limit.ts';
export * from './simulate.ts';
export * from './types.ts';
export * from './workload.ts';
