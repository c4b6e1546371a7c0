import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

// Seeded random streams for the DES: pure-rand's xoroshiro128+ (32-bit outputs), two outputs per
// 53-bit float as pure-rand's uniformFloat64 does, inlined for speed. Same seed, same sequence.

type Generator = ReturnType<typeof xoroshiro128plus>;

const SCALE26 = 2 ** -26;
const SCALE53 = 2 ** -53;

/** A seeded source of uniform, exponential, log-normal and Bernoulli variates. */
export class Random {
  private readonly rng: Generator;
  private spare = Number.NaN;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1), 53 bits. */
  uniform(): number {
    const a = this.rng.next() & 0x3ffffff;
    const b = this.rng.next() & 0x7ffffff;
    return a * SCALE26 + b * SCALE53;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Standard normal (Box–Muller; the second value is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal by the mean and sigma of its logarithm. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }
}
