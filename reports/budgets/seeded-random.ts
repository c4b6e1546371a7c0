/**
 * mulberry32: a tiny, fast 32-bit PRNG with a fixed seed, so a bootstrap gives the same interval on
 * every run and machine (Math.random cannot be seeded). Returns uniform numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
