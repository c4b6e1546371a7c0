// Every command's flags in one place: a zod schema per command yields its options object, or
// parseFlags throws a UsageError naming the flag and what is allowed.
export { K8S_FLAGS } from './k8s-flags.ts';
export { MERGE_FLAGS } from './merge-flags.ts';
export { flagName, parseFlags } from './parse-flags.ts';
export { REVIEW_FLAGS } from './review-flags.ts';
export { RUN_FLAGS, RUN_NUMBERS } from './run-flags.ts';
export { SEED_FLAGS, type SeedFlags } from './seed-flags.ts';
export { PATTERN_NAMES, SIMULATE_FLAGS, type SimulateFlags } from './simulate-flags.ts';
export {
  instant,
  nameList,
  oneOf,
  seconds,
  share,
  urlRefusal,
  userCount,
  userCounts,
  wholeNumber,
} from './values.ts';
