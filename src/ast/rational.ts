/**
 * Exact rational numbers on bigint. Every numeric literal of the language is one of these
 * (`0.1` is 1/10, `1e-3` is 1/1000), so constant folding never rounds: 1/2 + 1/3 is 5/6.
 */
export interface Rational {
  /** Numerator, carries the sign. */
  readonly n: bigint;
  /** Denominator, always positive; gcd(n, d) = 1. */
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError("rational with zero denominator");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO = rational(0n);
export const ONE = rational(1n);
export const MINUS_ONE = rational(-1n);

export const isInteger = (r: Rational): boolean => r.d === 1n;
export const isZero = (r: Rational): boolean => r.n === 0n;
export const isOne = (r: Rational): boolean => r.n === 1n && r.d === 1n;
export const isNegative = (r: Rational): boolean => r.n < 0n;
export const equals = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export const abs = (a: Rational): Rational => (a.n < 0n ? neg(a) : a);
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError("division by zero");
  return rational(a.n * b.d, a.d * b.n);
}
export function compare(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Bits of the larger of numerator and denominator: a cheap size measure to stop runaway folding. */
export function bitLength(a: Rational): number {
  const m = (a.n < 0n ? -a.n : a.n) > a.d ? (a.n < 0n ? -a.n : a.n) : a.d;
  return m.toString(2).length;
}

/** Largest size of an exactly folded power; beyond it `2^100000` stays symbolic. */
export const MAX_EXACT_BITS = 4096;

/** a^k for an integer k, or undefined when the result would be huge or undefined (0^-1). */
export function powInt(a: Rational, k: bigint): Rational | undefined {
  if (k === 0n) return ONE;
  if (k < 0n) {
    if (a.n === 0n) return undefined;
    const inv = rational(a.d, a.n);
    return powInt(inv, -k);
  }
  if (a.n === 0n || (a.n === 1n && a.d === 1n)) return a;
  if (a.n === -1n && a.d === 1n) return k % 2n === 0n ? ONE : a;
  if (BigInt(bitLength(a)) * k > BigInt(MAX_EXACT_BITS)) return undefined;
  return { n: a.n ** k, d: a.d ** k };
}

/** Exact integer k-th root of a non-negative bigint, if there is one. */
function exactRoot(x: bigint, k: bigint): bigint | undefined {
  if (x < 0n) return undefined;
  if (x < 2n) return x;
  const approx = BigInt(Math.round(Math.pow(Number(x), 1 / Number(k))));
  for (const c of [approx - 1n, approx, approx + 1n]) if (c >= 0n && c ** k === x) return c;
  return undefined;
}

/** a^(p/q) when it is rational (4^(1/2) = 2, (8/27)^(2/3) = 4/9), else undefined. */
export function powRational(a: Rational, e: Rational): Rational | undefined {
  if (e.d === 1n) return powInt(a, e.n);
  if (a.n < 0n || e.d > 64n) return undefined;
  const rn = exactRoot(a.n, e.d);
  const rd = exactRoot(a.d, e.d);
  if (rn === undefined || rd === undefined) return undefined;
  return powInt({ n: rn, d: rd }, e.n);
}

/** Nearest double. Correct for huge numerators and denominators too (scales before dividing). */
export function toNumber(a: Rational): number {
  const n = Number(a.n);
  const d = Number(a.d);
  if (Number.isFinite(n) && Number.isFinite(d) && Math.abs(n) < 2 ** 53 && d < 2 ** 53) return n / d;
  const shift = BigInt(Math.max(0, a.d.toString(2).length - 60));
  const nShift = BigInt(Math.max(0, (a.n < 0n ? -a.n : a.n).toString(2).length - 60));
  return (Number(a.n >> nShift) / Number(a.d >> shift)) * 2 ** Number(nShift - shift);
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal literal such as `0.5`, `.5`, `1e-3`, `2.5E+10` exactly. */
export function parseDecimal(text: string): Rational {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new SyntaxError(`not a number: ${text}`);
  const sign = m[1] === "-" ? -1n : 1n;
  const intPart = m[2] ?? "";
  const frac = m[3] ?? "";
  const exp = BigInt(m[4] ?? "0") - BigInt(frac.length);
  const digits = BigInt((intPart + frac).replace(/^0+(?=\d)/, "") || "0") * sign;
  if (exp > 100000n || exp < -100000n) throw new RangeError(`exponent out of range in ${text}`);
  return exp >= 0n ? rational(digits * 10n ** exp) : rational(digits, 10n ** -exp);
}

/** Whether the decimal expansion terminates (denominator 2^a 5^b), and how many places it needs. */
function decimalPlaces(a: Rational): number | undefined {
  let d = a.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  return d === 1n ? Math.max(twos, fives) : undefined;
}

/**
 * Text of a rational: an integer, a short terminating decimal (`0.25`, `1e-15`), or a fraction
 * `p/q`. Every form re-parses to the same value.
 */
export function toText(a: Rational): string {
  if (a.d === 1n) return a.n.toString();
  const places = decimalPlaces(a);
  if (places !== undefined && places <= 20) {
    const scaled = (a.n * 10n ** BigInt(places)) / a.d;
    const sign = scaled < 0n ? "-" : "";
    const digits = (scaled < 0n ? -scaled : scaled).toString();
    const significant = digits.replace(/0+$/, "");
    if (significant.length <= 15) {
      const padded = digits.padStart(places + 1, "0");
      const plain = `${sign}${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
      // 1e-15 reads better than 0.000000000000001
      const leadingZeros = places - digits.length;
      if (leadingZeros >= 4) return `${sign}${significant.length > 1 ? significant[0] + "." + significant.slice(1) : significant}e-${places - (significant.length - 1) - (digits.length - significant.length)}`;
      return plain;
    }
  }
  return `${a.n.toString()}/${a.d.toString()}`;
}
