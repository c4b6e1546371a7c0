// Which pages a cache of M pages keeps when groups of pages are each referenced at their own rate
// (issue 12, item 3: the buffer hit ratio). Che's approximation for an LRU cache (Che, Tung and Wang,
// "Hierarchical Web caching systems: modeling, design and experimental results", IEEE JSAC 20(7), 2002;
// Fricker, Robert and Roberts, "A versatile and accurate approximation for LRU cache performance",
// ITC 24, 2012): a page referenced λ times a second is in the cache when it was referenced within the
// cache's characteristic time T, with probability 1 − e^(−λT), and T fills the cache:
//   Σ_g pages_g × (1 − e^(−λ_g T)) = M.
// One group referenced uniformly gives the miss ratio 1 − M / pages, the uniform model; groups of
// different rates keep the frequent pages (a sync every 30 s) and miss the rare ones (every 30 min).
// PostgreSQL's shared_buffers (clock sweep) approximates LRU, and so did the OS page cache behind it
// when a user's rows lay apart (measured on the rig, docs/simulator.md "Data size"): a loop of heap
// pages larger than it missed nearly all, one that fitted nearly none. Pages that pass through the
// cache and are never referenced again (the kernel's readahead, the WAL) take room for T each: with an
// inflow of J pages a second the cache keeps a loop only when it fits beside J T of them.
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

/** Pages of `groups` in a cache after a characteristic time of `t` seconds, and `inflow` pages a second that stay `t`. */
function occupancy(groups: readonly PageGroup[], t: number, inflow: number): number {
  return groups.reduce((s, g) => s + g.pages * referencedWithin(g, t), inflow * t);
}

/**
 * The cache's characteristic time, seconds: the T at which the groups' expected pages in the cache,
 * and the `inflowPagesPerSecond` pages never referenced again that pass through it (each staying T),
 * fill `memoryPages`; Infinity when every referenced page fits and nothing else comes in.
 */
export function characteristicTime(
  groups: readonly PageGroup[],
  memoryPages: number,
  inflowPagesPerSecond = 0,
): number {
  const live = groups.filter((g) => g.pages > 0 && g.refsPerPagePerSecond > 0);
  const total = live.reduce((s, g) => s + g.pages, 0);
  const inflow = Math.max(0, inflowPagesPerSecond);
  if (total <= memoryPages && inflow === 0) return Number.POSITIVE_INFINITY;
  if (memoryPages <= 0) return 0;
  let hi = 1;
  while (occupancy(live, hi, inflow) < memoryPages) hi *= 2;
  let lo = 0;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (occupancy(live, mid, inflow) < memoryPages) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Each group's miss ratio (share of its references that find the page out of the cache) in
 * `memoryPages`, with `inflowPagesPerSecond` pages never referenced again passing through it:
 * e^(−λT) for a Poisson group; 0 or 1 for a periodic one, as its period is within T or not.
 */
export function missRatios(
  groups: readonly PageGroup[],
  memoryPages: number,
  inflowPagesPerSecond = 0,
): number[] {
  const t = characteristicTime(groups, memoryPages, inflowPagesPerSecond);
  return groups.map((g) => {
    if (t === Number.POSITIVE_INFINITY || g.refsPerPagePerSecond <= 0) return 0;
    if (g.periodic) return g.refsPerPagePerSecond * t >= 1 ? 0 : 1;
    return Math.exp(-g.refsPerPagePerSecond * t);
  });
}
