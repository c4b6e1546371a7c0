import { describe, expect, it } from 'vitest';
import { erlangB, erlangC } from './erlang-c.ts';

// Independent reference: the defining formula in exact rational arithmetic (BigInt), for rational A.
//   C(c, A) = (A^c/c! · c/(c−A)) / (Σ_{k<c} A^k/k! + A^c/c! · c/(c−A))
// With A = p/q every term is a fraction; the result is exact before the final division.
function erlangCExact(c: number, p: bigint, q: bigint): number {
  // Multiply every term by q^c · c! · (c·q − p) to clear denominators.
  const C = BigInt(c);
  let fact = 1n;
  for (let k = 2n; k <= C; k++) fact *= k;
  let sum = 0n;
  let kFact = 1n;
  for (let k = 0n; k < C; k++) {
    if (k > 0n) kFact *= k;
    // A^k/k! → p^k q^(c−k) · (c!/k!) · (c·q − p)
    sum += p ** k * q ** (C - k) * (fact / kFact) * (C * q - p);
  }
  // A^c/c! · c/(c−A) → p^c · c · q
  const top = p ** C * C * q;
  const total = sum + top;
  // top/total to 1e-15 by scaled integer division.
  const scale = 10n ** 18n;
  return Number((top * scale) / total) / 1e18;
}

describe('erlangC against published reference values', () => {
  it('Wolfram Language documentation, ErlangC[3, 2] (basic example: c = 3, a = 2) = 4/9', () => {
    // reference.wolfram.com/language/ref/ErlangC.html: "Compute a nonzero waiting time probability", 4/9.
    expect(Math.abs(erlangC(3, 2) - 4 / 9)).toBeLessThan(1e-12);
  });

  it('M/M/1: P(wait) = ρ; M/M/2: P(wait) = 2ρ²/(1 + ρ) (Gross & Harris, Fundamentals of Queueing Theory, 2.3)', () => {
    for (const rho of [0.1, 0.5, 0.8, 0.95, 0.999]) {
      expect(Math.abs(erlangC(1, rho) - rho)).toBeLessThan(1e-12);
      expect(Math.abs(erlangC(2, 2 * rho) - (2 * rho * rho) / (1 + rho))).toBeLessThan(1e-12);
    }
  });

  it('published 4-digit values: C(132, 123) = 0.3211, C(12421, 12345) = 0.3812, C(10, 6) ≈ 0.10; exact to 1e-6', () => {
    // Contact-centre Erlang C tables as quoted by the tests of the Python `erlang` package
    // (traffic 123 on 132 agents → 0.3211; 12345 on 12421 → 0.3812) and the textbook example of
    // 120 customers/h × 3 min on 10 servers ("the probability of waiting is about 0.10").
    expect(erlangC(132, 123)).toBeCloseTo(0.3211, 4);
    expect(erlangC(12421, 12345)).toBeCloseTo(0.3812, 4);
    expect(erlangC(10, 6)).toBeCloseTo(0.1, 2);
    // The sixth digit against the exact rational value of the defining formula.
    expect(Math.abs(erlangC(132, 123) - erlangCExact(132, 123n, 1n))).toBeLessThan(1e-6);
    expect(Math.abs(erlangC(10, 6) - erlangCExact(10, 6n, 1n))).toBeLessThan(1e-6);
  });

  it('matches the exact formula to 1e-9 across servers 1..500 and loads up to 0.99c', () => {
    for (const c of [1, 2, 5, 10, 50, 200, 500]) {
      for (const num of [1n, 50n, 90n, 99n]) {
        // A = c · num/100
        const p = BigInt(c) * num;
        const q = 100n;
        const a = Number(p) / 100;
        expect(Math.abs(erlangC(c, a) - erlangCExact(c, p, q))).toBeLessThan(1e-9);
      }
    }
  });

  it('stays finite for thousands of servers (no factorial overflow) and is 1 at or past saturation', () => {
    const v = erlangC(5000, 4900);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThan(1);
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(10, 12)).toBe(1);
    expect(erlangC(10, 0)).toBe(0);
    expect(() => erlangC(0, 1)).toThrow(RangeError);
    expect(() => erlangC(2.5, 1)).toThrow(RangeError);
  });

  it('Erlang B recursion: B(1, A) = A/(1 + A), B(2, 1) = 1/5', () => {
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 14);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 14);
  });
});
