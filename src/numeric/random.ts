/**
 * A small seeded random number generator, so training runs (random restarts) are reproducible:
 * the same seed gives the same numbers on every machine and every run.
 *
 * - Seeding: splitmix32 turns the integer seed into four 32-bit state words (never all zero).
 * - Uniforms: xoshiro128** (Blackman and Vigna), 32-bit outputs; two outputs make one double with
 *   53 random bits, uniform on [0, 1).
 * - Normals: the Box–Muller transform. From u1 in (0, 1] and u2 in [0, 1),
 *       r = sqrt(-2 ln u1),  z0 = r cos(2π u2),  z1 = r sin(2π u2)
 *   are independent standard normals; z1 is kept for the next call.
 */
export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Normal with the given mean and standard deviation (default N(0, 1)). */
  normal(mean?: number, sd?: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  // seeds beyond 32 bits fold their high part in, so 1 and 2^32 + 1 differ
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 2 ** 32));
  let a = mix(), b = mix(), c = mix(), d = mix();
  if ((a | b | c | d) === 0) a = 1;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  let spare: number | undefined;
  return {
    uniform,
    normal(mean = 0, sd = 1) {
      let z: number;
      if (spare !== undefined) {
        z = spare;
        spare = undefined;
      } else {
        const u1 = 1 - uniform();
        const u2 = uniform();
        const r = Math.sqrt(-2 * Math.log(u1));
        z = r * Math.cos(2 * Math.PI * u2);
        spare = r * Math.sin(2 * Math.PI * u2);
      }
      return mean + sd * z;
    },
  };
}
