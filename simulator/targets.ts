/** Latency and error budgets a configuration must meet. */
export interface Targets {
  /** p95 budget per endpoint in ms; `default` applies to endpoints not named. */
  p95Ms: Record<string, number> & { default: number };
  /** Largest acceptable error share (legitimate requests; abusive 429s do not count). */
  errorShare: number;
  /** Highest acceptable utilisation of any resource in steady state (headroom for spikes). */
  maxUtilisation: number;
  /**
   * Above maxUtilisation a resource still has headroom when an arrival waits with at most this
   * probability (Erlang C; large pools). Default DEFAULT_MAX_WAIT_PROBABILITY (decision-rule.ts).
   */
  maxWaitProbability?: number;
  /** Where the budgets come from. */
  source: string;
}
