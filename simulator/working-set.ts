// Which pages a cache of M pages keeps when groups of pages are each referenced at their own rate
// (issue 12, item 3: the buffer hit ratio). Che's approximation for an LRU cache (Che, Tung and Wang,
// "Hierarchical Web caching systems: modeling, design and experimental results", IEEE JSAC 20(7), 2002;
// Fricker, Robert and Roberts, "A versatile and accurate approximation for LRU cache performance",
// ITC 24, 2012): a page referenced λ times a second is in the cache when it was referenced within the
// cache's characteristic time T, with probability 1 − e^(−λT), and T fills the cache:
//   Σ_g pages_g × (1 − e^(−λ_g T)) = M.
// One group referenced uniformly gives the miss ratio 1 − M / pages, the uniform model; groups of
// different rates keep the frequent pages (a sync every 30 s) and miss the rare ones (every 30 min).
// PostgreSQL's shared_buffers (clock sweep) approximates LRU. The OS page cache, measured on the rig,
// does not: behind shared_buffers it kept part of a loop larger than itself and lost part of one that
// fitted, as a cache that evicts at random with an inflow of pages never used again does
// (randomEvictionMissRatios).
// A page's references may come as a Poisson stream (many clients' statements on a shared index page)
// or periodically (a user's own pages, read once a sync, every interval): then the page was referenced
// within T with probability min(1, λT) and is in the cache only when its period is within T (Fricker
// et al.'s renewal form), so a loop larger than the cache misses every page of it, as LRU does on a
// loop. Measured on the rig (docs/simulator.md "Data size"): a full sync's heap pages, each user's once
// a cycle, went from 0.44 reads a sync at 108 MB of them on 128 MB of shared_buffers to 16.1 of about
// 22 at 152 MB. Pure.

/** Pages referenced alike: how many, how often each one is referenced per second, and how. */
export interface PageGroup {
  pages: number;
  refsPerPagePerSecond: number;
  /** True: each page is referenced once every 1 / refsPerPagePerSecond seconds; else as a Poisson stream. */
  periodic?: boolean;
}

/** Bisection steps for the characteristic time (each halves the bracket: 2^-80 of it). */
const BISECTION_STEPS = 80;

/** Probability that a page of `g` was referenced within the last `t` seconds. */
function referencedWithin(g: PageGroup, t: number): number {
  return g.periodic ? Math.min(1, g.refsPerPagePerSecond * t) : -Math.expm1(-g.refsPerPagePerSecond * t);
}

/** Pages of `groups` in a cache after a characteristic time of `t` seconds. */
function occupancy(groups: readonly PageGroup[], t: number): number {
  return groups.reduce((s, g) => s + g.pages * referencedWithin(g, t), 0);
}

/**
 * The cache's characteristic time, seconds: the T at which the groups' expected pages in the cache
 * fill `memoryPages`; Infinity when every referenced page fits (nothing is evicted).
 */
export function characteristicTime(groups: readonly PageGroup[], memoryPages: number): number {
  const live = groups.filter((g) => g.pages > 0 && g.refsPerPagePerSecond > 0);
  const total = live.reduce((s, g) => s + g.pages, 0);
  if (total <= memoryPages) return Number.POSITIVE_INFINITY;
  if (memoryPages <= 0) return 0;
  let hi = 1;
  while (occupancy(live, hi) < memoryPages) hi *= 2;
  let lo = 0;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (occupancy(live, mid) < memoryPages) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Each group's miss ratio (share of its references that find the page out of the cache) in
 * `memoryPages`: e^(−λT) for a Poisson group; 0 or 1 for a periodic one, as its period is within T or not.
 */
export function missRatios(groups: readonly PageGroup[], memoryPages: number): number[] {
  const t = characteristicTime(groups, memoryPages);
  return groups.map((g) => {
    if (t === Number.POSITIVE_INFINITY || g.refsPerPagePerSecond <= 0) return 0;
    if (g.periodic) return g.refsPerPagePerSecond * t >= 1 ? 0 : 1;
    return Math.exp(-g.refsPerPagePerSecond * t);
  });
}

/** Steps of the downward scan for the largest eviction rate that balances (each ×1/SCAN_FACTOR). */
const SCAN_FACTOR = 1.25;

/**
 * Each group's miss ratio in a cache of `memoryPages` that evicts a page chosen at random, taking in
 * each missed page and `inflowPagesPerSecond` more pages that are never referenced again (the OS page
 * cache: its lists keep no loop's order, and readahead's neighbours and the WAL pass through it). A
 * page stays an exponential time of mean C / E, E the evictions a second, which balance what comes in:
 *   E = inflow + Σ_g pages_g λ_g miss_g(E),
 * miss_g = 1 − e^(−E / (C λ_g)) for a periodic group (it must stay one period), 1 / (1 + λ_g C / E) for
 * a Poisson one (in the cache a share λτ / (1 + λτ) of the time, τ = C / E). The largest balancing E is
 * the steady state: with no inflow and every page fitting, none (E = 0, nothing misses); a loop of L
 * pages larger than C alone gives m = 1 − e^(−(L/C) m), not LRU's 1; an inflow makes a loop that fits
 * miss too, as ~inflow / (C λ) when the cache is large. Pure.
 */
export function randomEvictionMissRatios(
  groups: readonly PageGroup[],
  memoryPages: number,
  inflowPagesPerSecond: number,
): number[] {
  if (memoryPages <= 0) return groups.map(() => 1);
  const live = groups.filter((g) => g.pages > 0 && g.refsPerPagePerSecond > 0);
  const missAt = (g: PageGroup, e: number): number => {
    if (g.pages <= 0 || g.refsPerPagePerSecond <= 0 || e <= 0) return 0;
    const x = e / (memoryPages * g.refsPerPagePerSecond);
    return g.periodic ? -Math.expm1(-x) : x / (1 + x);
  };
  const excess = (e: number): number =>
    inflowPagesPerSecond + live.reduce((s, g) => s + g.pages * g.refsPerPagePerSecond * missAt(g, e), 0) - e;
  const top = inflowPagesPerSecond + live.reduce((s, g) => s + g.pages * g.refsPerPagePerSecond, 0);
  if (top <= 0) return groups.map(() => 0);
  // excess(top) ≤ 0; scan down for where it turns positive, then bisect: the largest balancing E.
  let hi = top;
  let lo = top / SCAN_FACTOR;
  while (excess(lo) <= 0) {
    hi = lo;
    lo /= SCAN_FACTOR;
    if (lo < top * 1e-12) return groups.map(() => 0);
  }
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  const e = (lo + hi) / 2;
  return groups.map((g) => missAt(g, e));
}
