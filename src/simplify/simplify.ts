/**
 * Simplification: an equal expression that is as short as we can cheaply make it, measured by
 * operator count (`operatorCount`, the same measure as `treeOperatorCount`).
 *
 * Each node is simplified once, children first (an explicit post-order walk, memoised per node, so
 * DAGs stay cheap and deep expressions cannot overflow the stack). At a node whose children are
 * simplified, the basic rewrites always apply:
 *   - function calls get their registry entry's identities (`FunctionDef.simplify`);
 *   - products collect like factors (x x^a = x^(1+a)), and a sum meets its negation with integer
 *     powers ((1-y)/(y-1) = -1; see `signNormal`);
 *   - sums collect like terms with exact rational coefficients;
 *   - registry recognisers (`FunctionDef.recognize`) rewrite products, powers and sums into the
 *     function they spell (1/(1+exp(-x)) is sigmoid(x)).
 * Then candidate rewrites are simplified recursively and the shortest result kept (ties keep the
 * plain form, except where noted):
 *   - products: a numeric coefficient into the only sum factor (2 (x - 6) is 2 x - 12, winning
 *     ties); a sign into a sum (-(a - b) is b - a; preferring sums whose orientation is free, and
 *     leaving "1 - t" forms such as 1 - tanh^2 as sheets write them where it can); sum factors
 *     oriented for the shorter form when a coefficient other than ±1 absorbs the sign;
 *     distribution over a sum factor when some term then cancels a factor; exact division of
 *     univariate polynomials; common factors pulled out of sum factors so they can cancel;
 *   - sums: pulling out a common factor, bounded expansion of products of sums (only where it
 *     cancels factors or merges terms), and combining over a common denominator.
 * A node already being simplified further up the recursion is taken as it is (so a rewrite and
 * its inverse cannot loop), and the results that depended on such a cut-off are not memoised, so
 * results do not depend on what was simplified before. Expansion is bounded by LIMITS.
 *
 * Every rewrite is an identity wherever the input is defined; it may extend the domain (x/x = 1).
 */
import { add, children, mul, neg, num, pow, withChildren, Q, type Expr } from "../ast/index.js";
import { FUNCTIONS, getFunction } from "../functions/index.js";
import { operatorCount } from "./size.js";
import { dividePolynomials } from "./polynomial.js";
import { alignSigns, baseExp, collectFactors, collectFactorsNoting, factorsOf, fromFactors, gcdRational, isInt, negate, signNormal, type Factored } from "./terms.js";

/** Bounds that keep simplification cheap: no rewrite may produce more terms than these. */
const LIMITS = {
  /** Nesting of candidate simplifications; deeper ones only get the basic rewrites. */
  nesting: 40,
  /** Terms of an expanded sum. */
  expandTerms: 32,
  /** Largest power of a sum that expansion multiplies out. */
  expandPower: 4,
  /** Terms of a sum factor that a product is distributed over. */
  distributeTerms: 16,
  /** Terms of a sum combined over a common denominator. */
  togetherTerms: 8,
};

const RECOGNIZERS = FUNCTIONS.filter((f) => f.recognize !== undefined);

interface Result {
  readonly expr: Expr;
  /** Lowest nesting level of an in-progress node this result was cut off at (Infinity: none). */
  readonly taint: number;
}

/** Results that depend on nothing but their input. */
const permanent = new Map<Expr, Expr>();
/** Nodes being simplified, with the nesting level at which they started. */
const active = new Map<Expr, number>();
/** Taint accumulators of the open node simplifications, innermost last. */
const taints: number[] = [];

/** An equal, usually shorter expression. */
export function simplify(e: Expr): Expr {
  return run(e).expr;
}

function run(e: Expr): Result {
  const known = permanent.get(e);
  if (known) return { expr: known, taint: Infinity };
  const local = new Map<Expr, Result>();
  const get = (x: Expr): Result | undefined => {
    const p = permanent.get(x);
    return p ? { expr: p, taint: Infinity } : local.get(x);
  };
  const stack: Array<[Expr, boolean]> = [[e, false]];
  while (stack.length > 0) {
    const [x, ready] = stack.pop()!;
    if (get(x)) continue;
    const kids = children(x);
    if (!ready) {
      stack.push([x, true]);
      for (const k of kids) if (!get(k)) stack.push([k, false]);
      continue;
    }
    let taint = Infinity;
    let rebuilt = x;
    if (kids.length > 0) {
      const next = kids.map((k) => {
        const r = get(k)!;
        taint = Math.min(taint, r.taint);
        return r.expr;
      });
      if (next.some((k, i) => k !== kids[i])) rebuilt = withChildren(x, next);
    }
    const level = taints.length;
    let out: Expr;
    const again = permanent.get(rebuilt);
    if (again) out = again;
    else if (active.has(rebuilt)) {
      out = rebuilt;
      taint = Math.min(taint, active.get(rebuilt)!);
    } else {
      active.set(rebuilt, level);
      taints.push(Infinity);
      try {
        out = level > LIMITS.nesting ? basic(rebuilt) ?? rebuilt : simplifyNode(rebuilt);
        if (level > LIMITS.nesting) taints[taints.length - 1] = -1;
      } finally {
        active.delete(rebuilt);
        taint = Math.min(taint, taints.pop()!);
      }
    }
    local.set(x, { expr: out, taint });
    if (taint >= level) {
      permanent.set(x, out);
      permanent.set(rebuilt, out);
      if (!permanent.has(out)) permanent.set(out, out);
    }
  }
  const r = get(e)!;
  if (taints.length > 0) taints[taints.length - 1] = Math.min(taints[taints.length - 1]!, r.taint);
  return r;
}

/** Simplifies an expression built while simplifying (its operands mostly simplified already). */
const sub = (e: Expr): Expr => run(e).expr;

/** The rewrites that always apply (no size comparison): identities, collection, recognisers. */
function basic(e: Expr): Expr | undefined {
  switch (e.kind) {
    case "num":
    case "sym":
      return undefined;
    case "call": {
      const out = getFunction(e.fn).simplify?.(e);
      return out !== undefined && out !== e ? out : undefined;
    }
    case "mul": {
      const collected = collectFactors(factorsOf(e));
      const rebuilt = fromFactors(collected.coef, collected.factors);
      if (rebuilt !== e) return rebuilt;
      break;
    }
    case "add": {
      const collected = collectTerms(e.args);
      if (collected !== e) return collected;
      break;
    }
    case "pow":
      break;
  }
  for (const f of RECOGNIZERS) {
    const out = f.recognize!(e);
    if (out !== undefined && out !== e) return out;
  }
  return undefined;
}

function simplifyNode(e: Expr): Expr {
  const b = basic(e);
  if (b !== undefined) return sub(b);
  if (e.kind === "mul") return shortest(e, productCandidates(e));
  if (e.kind === "add") return shortest(e, sumCandidates(e));
  return e;
}

interface Candidate {
  /** Produces the (unsimplified) rewrite, or undefined when it does not apply. */
  readonly make: () => Expr | undefined;
  /** Whether it wins a tie against the plain form. */
  readonly winsTie?: boolean;
}

function shortest(e: Expr, candidates: readonly Candidate[]): Expr {
  let best = e;
  let bestSize = operatorCount(e);
  for (const c of candidates) {
    const made = c.make();
    if (made === undefined || made === e) continue;
    const s = sub(made);
    const size = operatorCount(s);
    if (size < bestSize || (size === bestSize && c.winsTie && best === e)) {
      best = s;
      bestSize = size;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Sums

/** 2x + 3x = 5x, x - x = 0: terms with the same non-numeric part are added exactly. */
function collectTerms(terms: readonly Expr[]): Expr {
  const order: Expr[] = [];
  const coefs = new Map<Expr, Q.Rational>();
  let constant = Q.ZERO;
  for (const t of terms) {
    if (t.kind === "num") {
      constant = Q.add(constant, t.value);
      continue;
    }
    const [c, body] = splitCoef(t);
    const prev = coefs.get(body);
    if (prev === undefined) order.push(body);
    coefs.set(body, prev === undefined ? c : Q.add(prev, c));
  }
  const out: Expr[] = [];
  for (const body of order) {
    const c = coefs.get(body)!;
    if (!Q.isZero(c)) out.push(mul(num(c), body));
  }
  out.push(num(constant));
  return add(...out);
}

function splitCoef(t: Expr): [Q.Rational, Expr] {
  if (t.kind === "mul" && t.args[0]!.kind === "num") return [t.args[0].value, mul(...t.args.slice(1))];
  return [Q.ONE, t];
}

function sumCandidates(e: Expr & { kind: "add" }): Candidate[] {
  return [
    { make: () => factorSum(e.args) },
    { make: () => expandSum(e.args) },
    { make: () => together(e.args) },
  ];
}

/**
 * Products of sums in the terms multiplied out, if that stays within the bounds and pays: some
 * product cancels factors or some terms merge (checked with the basic rewrites first, so
 * expansions that only grow are never simplified recursively).
 */
function expandSum(terms: readonly Expr[]): Expr | undefined {
  const out: Expr[] = [];
  let changed = false;
  for (const t of terms) {
    const ex = expandTerm(t);
    if (ex) {
      changed = true;
      out.push(...ex);
    } else out.push(t);
    if (out.length > LIMITS.expandTerms) return undefined;
  }
  return changed && pays(out) ? add(...out) : undefined;
}

/** Whether the products cancel factors or the terms merge once like factors and terms are collected. */
function pays(terms: readonly Expr[]): boolean {
  const collected: Expr[] = [];
  let cancelled = false;
  for (const t of terms) {
    const r = collectFactorsNoting(factorsOf(t));
    if (r.cancelled) cancelled = true;
    collected.push(fromFactors(r.collected.coef, r.collected.factors));
  }
  if (cancelled) return true;
  const sum = collectTerms(collected);
  return (sum.kind === "add" ? sum.args.length : 1) < collected.length;
}

function expandTerm(t: Expr): Expr[] | undefined {
  const factors = t.kind === "mul" ? t.args : t.kind === "pow" ? [t] : [];
  let acc: Expr[][] = [[]];
  let changed = false;
  for (const f of factors) {
    const [b, x] = baseExp(f);
    if (b.kind === "add" && isInt(x) && x.value.n >= 1n && x.value.n <= BigInt(LIMITS.expandPower)) {
      changed = true;
      for (let i = 0n; i < x.value.n; i++) {
        acc = acc.flatMap((list) => b.args.map((s) => [...list, s]));
        if (acc.length > LIMITS.expandTerms) return undefined;
      }
    } else for (const list of acc) list.push(f);
  }
  return changed ? acc.map((list) => mul(...list)) : undefined;
}

/** The common factor of the terms pulled out: x y + x z = x (y + z), a/d + b/d = (a + b)/d. */
function factorSum(terms: readonly Expr[]): Expr | undefined {
  const split = commonFactor(terms);
  if (!split) return undefined;
  return mul(fromFactors(split.common.coef, split.common.factors), add(...split.cofactors));
}

/**
 * The largest common factor of the terms: the gcd of their coefficients (negative when every
 * term is) and each base that every term has with numeric exponents of one sign (the one nearest
 * 0) or with one and the same symbolic exponent. Undefined when that is just 1.
 */
function commonFactor(terms: readonly Expr[]): { common: Factored; cofactors: Expr[] } | undefined {
  if (terms.length < 2) return undefined;
  const fs = alignSigns(terms.map((t) => collectFactors(factorsOf(t))));
  let g = gcdRational(fs.map((f) => f.coef));
  if (fs.every((f) => Q.isNegative(f.coef))) g = Q.neg(g);
  const common: Array<[Expr, Expr]> = [];
  for (const [b, x0] of fs[0]!.factors) {
    const exps: Expr[] = [];
    for (const f of fs) {
      const hit = f.factors.find(([bb]) => bb === b);
      if (!hit) break;
      exps.push(hit[1]);
    }
    if (exps.length !== fs.length) continue;
    if (exps.every((x) => x.kind === "num")) {
      const values = exps.map((x) => (x as Expr & { kind: "num" }).value);
      const positive = values.every((v) => Q.compare(v, Q.ZERO) > 0);
      const negative = values.every((v) => Q.isNegative(v));
      if (!positive && !negative) continue;
      let pick = values[0]!;
      for (const v of values) if (Q.compare(Q.abs(v), Q.abs(pick)) < 0) pick = v;
      common.push([b, num(pick)]);
    } else if (exps.every((x) => x === x0)) common.push([b, x0]);
  }
  if (Q.isOne(g) && common.length === 0) return undefined;
  const cofactors = fs.map((f) => {
    const rest: Array<[Expr, Expr]> = [];
    for (const [b, x] of f.factors) {
      const c = common.find(([cb]) => cb === b);
      rest.push(c ? [b, add(x, neg(c[1]))] : [b, x]);
    }
    return fromFactors(Q.div(f.coef, g), rest);
  });
  return { common: { coef: g, factors: common }, cofactors };
}

/** a/b + c/d = (a d + c b)/(b d): the sum over the least common denominator. */
function together(terms: readonly Expr[]): Expr | undefined {
  if (terms.length > LIMITS.togetherTerms) return undefined;
  const fs = alignSigns(terms.map(factorsOf));
  const lcd = new Map<Expr, bigint>();
  for (const f of fs) {
    for (const [b, x] of f.factors) {
      if (!isInt(x) || !Q.isNegative(x.value)) continue;
      const d = -x.value.n;
      if ((lcd.get(b) ?? 0n) < d) lcd.set(b, d);
    }
  }
  if (lcd.size === 0) return undefined;
  const numerators = fs.map((f) => {
    const rest: Array<[Expr, Expr]> = [];
    const own = new Map<Expr, bigint>();
    for (const [b, x] of f.factors) {
      if (isInt(x) && Q.isNegative(x.value)) own.set(b, (own.get(b) ?? 0n) - x.value.n);
      else rest.push([b, x]);
    }
    for (const [k, d] of lcd) {
      const left = d - (own.get(k) ?? 0n);
      if (left > 0n) rest.push([k, num(left)]);
    }
    return fromFactors(f.coef, rest);
  });
  return mul(add(...numerators), ...[...lcd].map(([k, d]) => pow(k, num(-d))));
}

// ---------------------------------------------------------------------------------------------
// Products

function productCandidates(e: Expr & { kind: "mul" }): Candidate[] {
  const f = factorsOf(e);
  const out: Candidate[] = [];
  // sign of each base's numeric exponent in the product, to see what a distributed term cancels
  const signs = new Map<Expr, number>();
  for (const [b, x] of f.factors) if (x.kind === "num") signs.set(b, Math.sign(Number(x.value.n)));
  const cancelsWithRest = (t: Expr, own: Expr): boolean =>
    factorsOf(t).factors.some(([b, x]) => b !== own && x.kind === "num" && signs.get(b) === -Math.sign(Number(x.value.n)));
  const others = (i: number): Array<[Expr, Expr]> => f.factors.filter((_, j) => j !== i);
  // A sign is absorbed into a sum whose two orientations cost the same (f - y, y - f) if there is
  // one, else into a sum other than a positive constant minus terms, and only as a last resort
  // into one of those: (1 - z^2) and (1 - σ) keep the orientation sheets use.
  const rank = (b: Expr & { kind: "add" }): number => {
    if (operatorCount(negate(b)) === operatorCount(b)) return 0;
    const c = b.args.at(-1)!;
    const constantMinus =
      c.kind === "num" && !Q.isNegative(c.value) && b.args.slice(0, -1).every((t) => t.kind === "mul" && t.args[0]!.kind === "num" && Q.isNegative(t.args[0].value));
    return constantMinus ? 2 : 1;
  };
  let bestRank = 3;
  for (const [b, x] of f.factors) if (b.kind === "add" && isInt(x) && x.value.n % 2n !== 0n) bestRank = Math.min(bestRank, rank(b));
  f.factors.forEach(([b, x], i) => {
    if (b.kind !== "add" || !isInt(x)) return;
    const k = x.value.n;
    const absorbs = rank(b) === bestRank;
    if (k === 1n && !Q.isOne(f.coef) && (f.factors.length === 1 || (Q.equals(f.coef, Q.MINUS_ONE) && absorbs))) {
      // 2 (x - 6) = 2 x - 12 (a tie it wins when nothing else multiplies); -(a - b) = b - a.
      // Other coefficients stay in front: 2 σ (1 - σ), as sheets write it, not σ (2 - 2 σ).
      const c = num(f.coef);
      out.push({
        make: () => mul(fromFactors(Q.ONE, others(i)), add(...b.args.map((t) => mul(c, t)))),
        winsTie: f.factors.length === 1,
      });
    } else if (k % 2n !== 0n && Q.isNegative(f.coef) && absorbs) {
      // -1/(a - b) = 1/(b - a)
      out.push({ make: () => mul(fromFactors(Q.neg(f.coef), others(i)), pow(negate(b), x)), winsTie: true });
    }
    if (k === 1n && b.args.length <= LIMITS.distributeTerms) {
      const rest = fromFactors(f.coef, others(i));
      out.push({
        // the sum's terms are collected already, so distributing pays only if something cancels
        make: () => (b.args.some((t) => cancelsWithRest(t, b)) ? add(...b.args.map((t) => mul(rest, t))) : undefined),
      });
    }
  });
  // With a coefficient other than ±1 to absorb the signs, sum factors take the orientation with
  // fewer negated terms: 2 x σ (1 - σ) is -2 x σ (σ - 1). With none, they keep the orientation
  // they have, as sheets write it: σ (1 - σ).
  if (!Q.isOne(Q.abs(f.coef))) {
    out.push({
      make: () => {
        let coef = f.coef;
        let changed = false;
        const factors = f.factors.map(([b, x]): Expr => {
          if (b.kind !== "add" || !isInt(x)) return pow(b, x);
          const [negated, r] = signNormal(b);
          if (!negated || operatorCount(r) >= operatorCount(b)) return pow(b, x);
          changed = true;
          if (x.value.n % 2n !== 0n) coef = Q.neg(coef);
          return pow(r, x);
        });
        return changed ? mul(num(coef), ...factors) : undefined;
      },
    });
  }
  // a polynomial denominator dividing a polynomial numerator: (x^2 - 1)/(x - 1) = x + 1
  f.factors.forEach(([d, xd], j) => {
    if (d.kind !== "add" || !isInt(xd) || !Q.isNegative(xd.value)) return;
    f.factors.forEach(([n, xn], i) => {
      if (n.kind !== "add" || !isInt(xn) || xn.value.n < 1n) return;
      out.push({
        make: () => {
          const q = dividePolynomials(n, d);
          if (!q) return undefined;
          const rest = f.factors.filter((_, k) => k !== i && k !== j).map(([b, x]) => pow(b, x));
          return mul(num(f.coef), ...rest, q, pow(n, num(xn.value.n - 1n)), pow(d, num(xd.value.n + 1n)));
        },
      });
    });
  });
  // common factors of the sum factors, pulled out so they can cancel: (2x + 2)/(x + 1) = 2
  out.push({
    make: () => {
      let changed = false;
      const factors = f.factors.map(([b, x]): Expr => {
        if (b.kind === "add" && isInt(x)) {
          const pulled = factorSum(b.args);
          if (pulled) {
            changed = true;
            return pow(pulled, x);
          }
        }
        return pow(b, x);
      });
      return changed ? mul(num(f.coef), ...factors) : undefined;
    },
  });
  return out;
}

