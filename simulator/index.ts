// The simulator's public API: everything other parts import comes from here.
export * from './types.ts';
export * from './workload.ts';
