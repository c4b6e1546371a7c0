import type { Prng } from './prng.ts';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return HEX[(x >>> 24) & 255]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

/**
 * A version-4-shaped UUID from four draws of `prng`: random-looking like gen_random_uuid() (so index
 * locality matches production), yet fully determined by the stream's seed and position.
 */
export function uuidFrom(prng: Prng): string {
  const a = prng.nextU32();
  const b = (prng.nextU32() & 0xffff0fff) | 0x00004000; // version 4
  const c = (prng.nextU32() & 0x3fffffff) | 0x80000000; // RFC 4122 variant
  const d = prng.nextU32();
  const hb = hex32(b);
  const hc = hex32(c);
  return `${hex32(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`;
}

/** Lower-case hex of `words` 32-bit draws (e.g. 8 words = a sha256-sized query hash). */
export function hexFrom(prng: Prng, words: number): string {
  let out = '';
  for (let i = 0; i < words; i++) out += hex32(prng.nextU32());
  return out;
}
