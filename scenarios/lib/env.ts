// Configuration precedence inside k6: `-e NAME=value` (or the process environment), then the defaults
// written here. The runner (scripts/run) always passes every value explicitly.

/** A string from the k6 environment, or `fallback`. */
export function envString(name: string, fallback: string): string {
  const value = __ENV[name];
  return value === undefined || value === '' ? fallback : value;
}

/** A finite number from the k6 environment, or `fallback`; a malformed value fails the init stage. */
export function envNumber(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got '${raw}'`);
  return value;
}

/** Base URL of the target (the local target or a Supabase project), without a trailing slash. */
export const BASE_URL = envString('BASE_URL', 'http://127.0.0.1:8080').replace(/\/+$/, '');

/**
 * Length of every scenario's load, seconds: the warm-up and the measured window together (each at
 * most 1 h; bounded: every run stops by itself).
 */
export const DURATION_S = Math.min(envNumber('DURATION_S', 30), 7200);

/** The first seconds of DURATION_S the runner leaves out of every figure (its `--warmup`); 0: none. */
export const WARMUP_S = Math.min(Math.max(envNumber('WARMUP_S', 0), 0), DURATION_S);

/** Upper bound on VUs of any one scenario: the load generator's memory and CPU budget. */
export const MAX_VUS = envNumber('MAX_VUS', 300);

/** Per-request timeout, seconds: a hung request ends, and counts as an error. */
export const REQUEST_TIMEOUT_S = envNumber('REQUEST_TIMEOUT_S', 15);
