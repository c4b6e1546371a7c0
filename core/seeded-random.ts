import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded uniform source in [0, 1) (pure-rand's xoroshiro128+, 53-bit floats): the same seed gives the
 * same sequence on every run and machine, which Math.random cannot. Used where a small stream is
 * enough (upstream stub delays, bootstrap resampling, garbage-input tests).
 */
export function seededRandom(seed: number): () => number {
  const rng = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(rng);
}
