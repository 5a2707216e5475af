/**
 * Views of sums and products used by the simplifier: a product as coefficient × base^exponent,
 * negation that distributes over sums, and the orientation of a sum (a - b versus b - a).
 */
import { add, mul, neg, num, pow, ONE, Q, type Expr, type Rational } from "../ast/index.js";

/** -e with the sign pushed into a sum's terms: -(a - b) is b - a. */
export function negate(e: Expr): Expr {
  return e.kind === "add" ? add(...e.args.map(neg)) : neg(e);
}

/** Base and exponent of a factor: x^3 is (x, 3), x is (x, 1). */
export function baseExp(f: Expr): [Expr, Expr] {
  return f.kind === "pow" ? [f.base, f.exp] : [f, ONE];
}

export const isInt = (e: Expr): e is Expr & { kind: "num" } => e.kind === "num" && Q.isInteger(e.value);

/** A product's factors: coefficient and (base, exponent) pairs in order. */
export interface Factored {
  coef: Rational;
  factors: Array<[Expr, Expr]>;
}

export function factorsOf(t: Expr): Factored {
  const coef = t.kind === "num" ? t.value : Q.ONE;
  const list = t.kind === "mul" ? t.args : t.kind === "num" ? [] : [t];
  const factors: Array<[Expr, Expr]> = [];
  let c = coef;
  for (const f of list) {
    if (f.kind === "num") c = Q.mul(c, f.value);
    else factors.push(baseExp(f));
  }
  return { coef: c, factors };
}

export function fromFactors(coef: Rational, factors: ReadonlyArray<readonly [Expr, Expr]>): Expr {
  return mul(num(coef), ...factors.map(([b, e]) => pow(b, e)));
}

/**
 * Collects like factors: x^a x^b is x^(a+b), and a sum meets its negation with an integer power
 * ((1 - y)^2 (y - 1)^-1 is -(1 - y)... with the sign moved into the coefficient). Exponents are
 * summed with the canonical constructors, so numeric ones fold.
 */
export function collectFactors(f: Factored): Factored {
  const order: Expr[] = [];
  const exps = new Map<Expr, Expr[]>();
  let coef = f.coef;
  for (const [b, e] of f.factors) {
    let base = b;
    if (!exps.has(b) && b.kind === "add" && isInt(e)) {
      const n = negate(b);
      const other = exps.get(n);
      if (other && other.every(isInt)) {
        base = n;
        if (e.value.n % 2n !== 0n) coef = Q.neg(coef);
      }
    }
    const list = exps.get(base);
    if (list) list.push(e);
    else {
      exps.set(base, [e]);
      order.push(base);
    }
  }
  const factors: Array<[Expr, Expr]> = [];
  for (const b of order) {
    const list = exps.get(b)!;
    const e = list.length === 1 ? list[0]! : add(...list);
    if (e.kind === "num" && Q.isZero(e.value)) continue;
    factors.push([b, e]);
  }
  return { coef, factors };
}

export function gcdInt(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Greatest common divisor of rationals (positive): gcd of numerators over lcm of denominators. */
export function gcdRational(values: readonly Rational[]): Rational {
  let n = 0n;
  let d = 1n;
  for (const v of values) {
    n = gcdInt(n, v.n);
    d = (d * v.d) / gcdInt(d, v.d);
  }
  return n === 0n ? Q.ONE : Q.rational(n, d);
}

/**
 * Orients sum factors alike across several products: where one product has (a - b)^k and a later
 * one (b - a)^m with integer m, the later is rewritten as (-1)^m (a - b)^m, so common factors show.
 */
export function alignSigns(fs: readonly Factored[]): Factored[] {
  const seen = new Set<Expr>();
  return fs.map((f) => {
    let coef = f.coef;
    const factors = f.factors.map(([b, e]): [Expr, Expr] => {
      if (b.kind !== "add") return [b, e];
      if (!seen.has(b) && isInt(e)) {
        const n = negate(b);
        if (seen.has(n)) {
          if (e.value.n % 2n !== 0n) coef = Q.neg(coef);
          return [n, e];
        }
      }
      seen.add(b);
      return [b, e];
    });
    return { coef, factors };
  });
}
