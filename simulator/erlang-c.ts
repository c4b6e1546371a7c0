// Erlang B and C in the numerically stable recursive form: no factorials or powers, so it works for
// thousands of servers without overflow (Iversen, "Teletraffic Engineering and Network Planning",
// DTU 2015, section 4.4: E(x, A) = A·E(x−1, A) / (x + A·E(x−1, A)), E(0, A) = 1; section 9.2:
// C = n·E / (n − A·(1 − E))).

/** Erlang B: probability that an arrival finds all `servers` busy in a loss system offered `offeredLoad` Erlangs. */
export function erlangB(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 0)
    throw new RangeError(`servers must be an integer >= 0, got ${servers}`);
  if (!(offeredLoad >= 0)) throw new RangeError(`offeredLoad must be >= 0, got ${offeredLoad}`);
  let b = 1;
  for (let x = 1; x <= servers; x++) b = (offeredLoad * b) / (x + offeredLoad * b);
  return b;
}

/**
 * Erlang C: probability that an arrival has to wait in an M/M/c queue with `servers` servers offered
 * `offeredLoad` Erlangs (λ·S). 1 when offeredLoad >= servers (the queue is unstable).
 */
export function erlangC(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 1)
    throw new RangeError(`servers must be an integer >= 1, got ${servers}`);
  if (!(offeredLoad >= 0)) throw new RangeError(`offeredLoad must be >= 0, got ${offeredLoad}`);
  if (offeredLoad >= servers) return 1;
  if (offeredLoad === 0) return 0;
  const b = erlangB(servers, offeredLoad);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}
