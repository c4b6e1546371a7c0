// A small counter-seeded PRNG. pure-rand's generators take a 32-bit seed: with one stream per user,
// 100k users would collide in that space (birthday bound ~1 expected collision), which would repeat
// UUIDs. So each stream gets a 128-bit state hashed from (seed, kind, position) instead.

/** murmur3's 32-bit finaliser: a bijective mix, so distinct inputs stay distinct. */
function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds (seed, kind, position, sub) into four 32-bit words; distinct inputs give unrelated states. */
export function streamState(seed: number, kind: number, position: number, sub = 0): Uint32Array {
  const seedLo = seed >>> 0;
  const seedHi = Math.floor(seed / 2 ** 32) >>> 0;
  const state = new Uint32Array(4);
  // splitmix-style: a golden-ratio counter through fmix32, keyed by every input.
  let acc = fmix32(seedLo ^ 0x9e3779b9);
  acc = fmix32(acc ^ seedHi ^ Math.imul(kind + 1, 0x632be5ab));
  acc = fmix32(acc ^ (position >>> 0));
  acc = fmix32(acc ^ Math.floor(position / 2 ** 32) ^ Math.imul(sub + 1, 0x85157af5));
  for (let i = 0; i < 4; i++) {
    acc = (acc + 0x9e3779b9) >>> 0;
    state[i] = fmix32(acc ^ Math.imul(i + 1, 0x27d4eb2f));
  }
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1; // xoshiro's one bad state
  return state;
}

/** Stream kinds: every random stream of the seeder is (seed, kind, position). */
export const STREAM = {
  user: 1,
  profile: 2,
  titles: 3,
  messages: 4,
  dailyUsage: 5,
  usageLogs: 6,
  responseCache: 7,
  textPool: 8,
} as const;

/** xoshiro128** (Blackman & Vigna): fast, 128-bit state, good enough for synthetic data. */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = Number.NaN;

  constructor(state: Uint32Array) {
    this.s0 = state[0]! | 0;
    this.s1 = state[1]! | 0;
    this.s2 = state[2]! | 0;
    this.s3 = state[3]! | 0;
  }

  /** A generator for stream (seed, kind, position, sub). */
  static for(seed: number, kind: number, position: number, sub = 0): Prng {
    return new Prng(streamState(seed, kind, position, sub));
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, the second value of each pair kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = Number.NaN;
      return z;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given mean (not median) and shape sigma. */
  logNormal(mean: number, sigma: number): number {
    const mu = Math.log(mean) - (sigma * sigma) / 2;
    return Math.exp(mu + sigma * this.normal());
  }

  /** Geometric count >= 1 with the given mean (mean 1 or less always gives 1). */
  geometricAtLeastOne(mean: number): number {
    if (mean <= 1) return 1;
    const p = 1 / mean;
    return 1 + Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** Index picked by cumulative weights (`cumulative` ends with the total). */
  pick(cumulative: readonly number[]): number {
    const x = this.next() * cumulative[cumulative.length - 1]!;
    for (let i = 0; i < cumulative.length - 1; i++) if (x < cumulative[i]!) return i;
    return cumulative.length - 1;
  }
}
