/**
 * Views of sums and products used by the simplifier: a product as coefficient × base^exponent,
 * negation that distributes over sums, and the orientation of a sum (a - b versus b - a).
 */
import { add, compareExpr, mul, neg, num, pow, ONE, Q, type Expr, type Rational } from "../ast/index.js";

/** -e with the sign pushed into a sum's terms: -(a - b) is b - a. */
export function negate(e: Expr): Expr {
  return e.kind === "add" ? add(...e.args.map(neg)) : neg(e);
}

/**
 * The representative of ±e: signNormal(e) is [negated, r] with e = (negated ? -r : r), and
 * signNormal(-e) has the same r. Sums are oriented with as few negated terms as possible
 * (then by canonical order), inside products too: u (1 - t^2) and -u (t^2 - 1) share their r.
 */
const normals = new Map<Expr, readonly [boolean, Expr]>();
export function signNormal(e: Expr): readonly [boolean, Expr] {
  const known = normals.get(e);
  if (known) return known;
  let out: readonly [boolean, Expr];
  if (e.kind === "num") out = [Q.isNegative(e.value), num(Q.abs(e.value))];
  else if (e.kind === "mul") {
    let negated = false;
    const factors = e.args.map((f) => {
      if (f.kind === "num") {
        if (Q.isNegative(f.value)) negated = !negated;
        return num(Q.abs(f.value));
      }
      const [b, x] = baseExp(f);
      if (b.kind !== "add" || !isInt(x)) return f;
      const [n, r] = signNormal(b);
      if (n && x.value.n % 2n !== 0n) negated = !negated;
      return pow(r, x);
    });
    out = [negated, mul(...factors)];
  } else if (e.kind === "add") {
    const signed = e.args.map((t) => {
      const [n, r] = signNormal(t);
      return n ? neg(r) : r;
    });
    const a = add(...signed);
    const b = add(...signed.map(neg));
    const negatedTerms = (s: Expr) => (s.kind === "add" ? s.args : [s]).filter((t) => t.kind !== "num" && signNormal(t)[0]).length;
    const na = negatedTerms(a);
    const nb = negatedTerms(b);
    out = na < nb || (na === nb && compareExpr(a, b) <= 0) ? [false, a] : [true, b];
  } else out = [false, e];
  normals.set(e, out);
  return out;
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
  return collectFactorsNoting(f).collected;
}

/** collectFactors, also telling whether some base met both positive and negative powers (x y / x). */
export function collectFactorsNoting(f: Factored): { collected: Factored; cancelled: boolean } {
  const order: Expr[] = [];
  // sign-normal key → the base as first seen, whether that base is the negated key, exponents
  const groups = new Map<Expr, { base: Expr; negated: boolean; exps: Expr[] }>();
  let coef = f.coef;
  for (const [b, e] of f.factors) {
    let key = b;
    let negated = false;
    if (b.kind === "add") [negated, key] = signNormal(b);
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { base: b, negated, exps: [e] });
      order.push(key);
    } else if (g.negated === negated) g.exps.push(e);
    else if (isInt(e)) {
      // (b)^e with b = -base
      if (e.value.n % 2n !== 0n) coef = Q.neg(coef);
      g.exps.push(e);
    } else {
      // a non-integer power of the opposite sum cannot merge: keep it apart
      const alone = pow(b, e);
      groups.set(alone, { base: b, negated, exps: [e] });
      order.push(alone);
    }
  }
  const factors: Array<[Expr, Expr]> = [];
  let cancelled = false;
  for (const k of order) {
    const { base, exps: list } = groups.get(k)!;
    if (list.length > 1) {
      const signs = list.map((x) => (x.kind === "num" ? Math.sign(Number(x.value.n)) : 0));
      if (signs.includes(1) && signs.includes(-1)) cancelled = true;
    }
    const e = list.length === 1 ? list[0]! : add(...list);
    if (e.kind === "num" && Q.isZero(e.value)) continue;
    factors.push([base, e]);
  }
  return { collected: { coef, factors }, cancelled };
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
  const seen = new Map<Expr, readonly [boolean, Expr]>();
  return fs.map((f) => {
    let coef = f.coef;
    const factors = f.factors.map(([b, e]): [Expr, Expr] => {
      if (b.kind !== "add") return [b, e];
      const [negated, key] = signNormal(b);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, [negated, b]);
        return [b, e];
      }
      if (first[0] === negated || !isInt(e)) return first[0] === negated ? [first[1], e] : [b, e];
      if (e.value.n % 2n !== 0n) coef = Q.neg(coef);
      return [first[1], e];
    });
    return { coef, factors };
  });
}
