// The M/M/c/K queue: c servers and room for K requests in all (in service and waiting); an arrival
// that finds K present is turned away at once. Its states n = 0..K have the birth-death probabilities
//   p_n ∝ a^n / n!                 for n ≤ c      (a = λ·S, the offered load in Erlangs)
//   p_n ∝ a^c / c! · (a / c)^(n−c) for c < n ≤ K
// (Gross, Shortle, Thompson & Harris, "Fundamentals of Queueing Theory", 4th ed., §2.6). Arrivals see
// the states' probabilities (Poisson arrivals), so p_K is the share turned away, and an admitted
// arrival that finds n ≥ c present waits for n − c + 1 departures of c busy servers: an Erlang wait of
// shape n − c + 1 and rate c / S (first come, first served). Stable at any load: past a = c it sheds
// what the servers cannot carry (p_K → 1 − c / a). Pure.

/** An M/M/c/K queue solved: its states and what an arrival meets. */
export interface FiniteQueue {
  servers: number;
  /** Requests it holds at most, in service and waiting (K ≥ servers). */
  capacity: number;
  arrivalPerSecond: number;
  meanServiceS: number;
  /** Share of arrivals turned away (finding `capacity` present). */
  blockedShare: number;
  /** Arrivals admitted per second. */
  admittedPerSecond: number;
  /** Mean busy servers. */
  busyServers: number;
  /** Mean requests present, waiting and in service. */
  meanPresent: number;
  /** Mean wait for a server of an admitted request, s. */
  meanWaitS: number;
  /** Probability that an admitted arrival finds n present, n = 0..capacity − 1. */
  admittedSees: number[];
}

/** Solves the M/M/c/K queue with `servers` servers, room for `capacity` requests, offered λ with mean service S. */
export function finiteQueue(
  arrivalPerSecond: number,
  servers: number,
  meanServiceS: number,
  capacity: number,
): FiniteQueue {
  if (!Number.isInteger(servers) || servers < 1)
    throw new RangeError(`servers must be an integer >= 1, got ${servers}`);
  if (!Number.isInteger(capacity) || capacity < servers)
    throw new RangeError(`capacity must be an integer >= servers (${servers}), got ${capacity}`);
  if (!(arrivalPerSecond >= 0) || !(meanServiceS > 0))
    throw new RangeError(
      `need arrivals >= 0 and a mean service > 0, got ${arrivalPerSecond}, ${meanServiceS}`,
    );
  const a = arrivalPerSecond * meanServiceS;
  // log p_n up to a constant, then normalised from its largest term (no overflow at any load).
  const logP: number[] = [0];
  for (let n = 1; n <= capacity; n++)
    logP.push(logP[n - 1]! + (a > 0 ? Math.log(a / Math.min(n, servers)) : Number.NEGATIVE_INFINITY));
  const top = Math.max(...logP);
  const weights = logP.map((l) => Math.exp(l - top));
  const total = weights.reduce((s, w) => s + w, 0);
  const p = weights.map((w) => w / total);
  const blockedShare = p[capacity]!;
  const admittedPerSecond = arrivalPerSecond * (1 - blockedShare);
  const busyServers = p.reduce((s, pn, n) => s + pn * Math.min(n, servers), 0);
  const meanPresent = p.reduce((s, pn, n) => s + pn * n, 0);
  const meanWaiting = p.reduce((s, pn, n) => s + pn * Math.max(0, n - servers), 0);
  const admittedSees = p.slice(0, capacity).map((pn) => (blockedShare < 1 ? pn / (1 - blockedShare) : 0));
  return {
    servers,
    capacity,
    arrivalPerSecond,
    meanServiceS,
    blockedShare,
    admittedPerSecond,
    busyServers,
    meanPresent,
    // Little's law on the waiting line, over the admitted arrivals.
    meanWaitS: admittedPerSecond > 0 ? meanWaiting / admittedPerSecond : 0,
    admittedSees,
  };
}

/**
 * P(W > t) for an admitted request's wait W (s; 1 for t < 0): Σ over the states it finds n ≥ c of P(Erlang(n − c + 1,
 * c / S) > t) = P(Poisson(c·t / S) ≤ n − c), the Poisson's terms summed once in log space.
 */
export function finiteQueueWaitSurvival(q: FiniteQueue, tS: number): number {
  const { servers, capacity, admittedSees } = q;
  let waits = 0;
  for (let n = servers; n < capacity; n++) waits += admittedSees[n]!;
  if (tS < 0) return 1;
  if (tS === 0) return waits;
  const x = (servers * tS) / q.meanServiceS;
  const logX = Math.log(x);
  let logTerm = -x; // log P(Poisson(x) = 0)
  let cdf = 0;
  let survival = 0;
  for (let j = 0; servers + j < capacity; j++) {
    cdf += Math.exp(logTerm);
    survival += admittedSees[servers + j]! * Math.min(1, cdf);
    logTerm += logX - Math.log(j + 1);
  }
  return survival;
}
