// Arrival patterns the DES can run: what averages hide.

/** How sync arrivals are generated in the DES. */
export interface DesPattern {
  /**
   * `poisson`: independent arrivals at the workload's rate (many clients with random timers).
   * `timers`: one periodic timer per syncing client, as the app runs setInterval.
   */
  arrivals: 'poisson' | 'timers';
  /** Timers only: random first firing per client (true), or all synchronised (a deploy or reconnect). Default: the policy's sync.jitter. */
  jitter?: boolean;
  /** Timers without jitter: first firings spread uniformly over this many seconds (0 = the same instant). */
  spreadSeconds?: number;
  /** Daily cycle on Poisson arrivals: rate × (1 + amplitude · sin(2π t / period)). */
  diurnal?: { amplitude: number; periodSeconds: number; phaseSeconds?: number };
  /** `request`: one event per REST request (matches the analytical model); `sync`: one hold per sync (fast). */
  granularity?: 'request' | 'sync';
}

/** Steady-state Poisson arrivals, one event per request: the setting the analytical model describes. */
export const POISSON: DesPattern = { arrivals: 'poisson', granularity: 'request' };

/** Every client's 30 s timer firing at the same instant after a deploy: the thundering herd. */
export const THUNDERING_HERD: DesPattern = {
  arrivals: 'timers',
  jitter: false,
  spreadSeconds: 0,
  granularity: 'request',
};

/** Timers with random phases (the policy's jitter on). */
export const JITTERED_TIMERS: DesPattern = { arrivals: 'timers', jitter: true, granularity: 'request' };

/** A day compressed into one hour, peak 1.5× and trough 0.5× the mean rate. */
export const DIURNAL_RAMP: DesPattern = {
  arrivals: 'poisson',
  diurnal: { amplitude: 0.5, periodSeconds: 3600, phaseSeconds: -900 },
  granularity: 'request',
};
