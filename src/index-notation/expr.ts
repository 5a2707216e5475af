/**
 * Index expressions: single entries of vectors and matrices with symbolic indices (z_i, w_ik),
 * Kronecker deltas, sums over an index (Σ_k), elementwise functions and scalar arithmetic.
 * Hash-consed like src/ast (structurally equal expressions are the same object), so a memo keyed
 * by node is a memo by structure.
 *
 * The constructors keep a few simplifications that the exercise sheets do by hand:
 *   δ_ii = 1, δ_12 = 0 (concrete indices), δ² = δ;
 *   Σ_k … δ_kt … = (…)[k := t]: a sum over an index that a delta ties to another index collapses;
 *   numeric coefficients folded, like terms of a sum collected, zero terms and unit factors dropped.
 * Factors keep the order they were made in (deltas first): a derivative reads in chain-rule order,
 * ∂y_i/∂x_j = φ1'(a_i) Σ_k w_ik φ2'(h_k) v_kj, as the sheets write it.
 */
import * as Q from "../ast/rational.js";
import type { Rational } from "../ast/rational.js";
import type { Dim } from "../matrix/shape.js";

/** A symbolic index (a name such as "i") or a concrete, 1-based one. */
export type Index = string | number;

interface Base {
  readonly id: number;
  /** The symbolic indices free in the expression, sorted. */
  readonly free: readonly string[];
}

export interface INum extends Base {
  readonly kind: "num";
  readonly value: Rational;
}

/**
 * An entry of a program's vector or matrix (`name` is the program's name), or a scalar (no
 * indices). `label` is the base as printed: `w` for the entries of W in the sheets' style.
 */
export interface IEntry extends Base {
  readonly kind: "entry";
  readonly name: string;
  readonly label: string;
  readonly indices: readonly Index[];
}

export interface IDelta extends Base {
  readonly kind: "delta";
  readonly a: Index;
  readonly b: Index;
}

/** Σ over `index` from 1 to the size `range` (a size of the program's shapes). */
export interface ISum extends Base {
  readonly kind: "sum";
  readonly index: string;
  readonly range: Dim;
  readonly body: IExpr;
}

export interface IAdd extends Base {
  readonly kind: "add";
  readonly terms: readonly IExpr[];
}

export interface IMul extends Base {
  readonly kind: "mul";
  readonly factors: readonly IExpr[];
}

export interface IPow extends Base {
  readonly kind: "pow";
  readonly base: IExpr;
  readonly exp: Rational;
}

/** A scalar function, or its `order`-th derivative (φ'(z_i) has order 1). */
export interface IApply extends Base {
  readonly kind: "apply";
  readonly fn: string;
  readonly order: number;
  readonly arg: IExpr;
}

/**
 * ∂of/∂entry, unevaluated: an entry of the gradient of an unspecified scalar (C1's ∂L/∂Y_ik), or
 * a derivative a step names before working it out (∂Y_kl/∂W_ij).
 */
export interface IGrad extends Base {
  readonly kind: "grad";
  readonly of: IEntry;
  readonly entry: IEntry;
}

export type IExpr = INum | IEntry | IDelta | ISum | IAdd | IMul | IPow | IApply | IGrad;

// ---------------------------------------------------------------------------------------------
// Interning

let nextId = 1;
const table = new Map<string, IExpr>();

function intern<T extends IExpr>(key: string, make: (id: number) => T): T {
  const found = table.get(key);
  if (found) return found as T;
  const node = Object.freeze(make(nextId++)) as T;
  table.set(key, node);
  return node;
}

const ids = (xs: readonly IExpr[]): string => xs.map((x) => x.id).join(",");
const indexKey = (i: Index): string => (typeof i === "number" ? String(i) : JSON.stringify(i));
const symbolic = (xs: readonly Index[]): string[] => xs.filter((x): x is string => typeof x === "string");

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

export const isSymbolic = (i: Index): i is string => typeof i === "string";

// ---------------------------------------------------------------------------------------------
// Leaves

export function num(value: Rational | number): INum {
  const r = typeof value === "number" ? Q.rational(BigInt(value)) : value;
  return intern(`n${r.n}/${r.d}`, (id) => ({ kind: "num", id, free: [], value: r }));
}

export const ZERO = num(0);
export const ONE = num(1);

export function entry(name: string, label: string, indices: readonly Index[]): IEntry {
  const frozen = Object.freeze([...indices]);
  return intern(`e${JSON.stringify(name)}${JSON.stringify(label)}[${frozen.map(indexKey).join(",")}]`, (id) => ({
    kind: "entry",
    id,
    free: union([symbolic(frozen)]),
    name,
    label,
    indices: frozen,
  }));
}

/** δ_ab: 1 for equal indices, 0 for two different concrete ones, else the delta itself. */
export function delta(a: Index, b: Index): IExpr {
  if (a === b) return ONE;
  if (!isSymbolic(a) && !isSymbolic(b)) return ZERO;
  return intern(`d${indexKey(a)},${indexKey(b)}`, (id) => ({ kind: "delta", id, free: union([symbolic([a, b])]), a, b }));
}

export function grad(of: IEntry, e: IEntry): IGrad {
  return intern(`g${of.id},${e.id}`, (id) => ({ kind: "grad", id, free: union([of.free, e.free]), of, entry: e }));
}

export function apply(fn: string, arg: IExpr, order = 0): IApply {
  return intern(`@${JSON.stringify(fn)}'${order}(${arg.id})`, (id) => ({ kind: "apply", id, free: arg.free, fn, order, arg }));
}

// ---------------------------------------------------------------------------------------------
// Products

/** The numeric coefficient of a term and the rest (2 x_k → [2, x_k]). */
export function splitCoefficient(e: IExpr): [Rational, IExpr] {
  if (e.kind === "num") return [e.value, ONE];
  if (e.kind === "mul" && e.factors[0]!.kind === "num") {
    const rest = e.factors.slice(1);
    return [e.factors[0].value, rest.length === 1 ? rest[0]! : mulRaw(rest)];
  }
  return [Q.ONE, e];
}

function mulRaw(factors: readonly IExpr[]): IExpr {
  const frozen = Object.freeze([...factors]);
  return intern(`*${ids(frozen)}`, (id) => ({ kind: "mul", id, free: union(frozen.map((f) => f.free)), factors: frozen }));
}

/** δ_ij and δ_ji are the same factor. */
const deltaKey = (d: IDelta): string => [indexKey(d.a), indexKey(d.b)].sort().join("|");

/** Base and exponent of a factor, so that x_k x_k^2 becomes x_k^3. */
const powerParts = (e: IExpr): [IExpr, Rational] => (e.kind === "pow" ? [e.base, e.exp] : [e, Q.ONE]);

/**
 * The product of the factors: flattened, numbers folded, equal deltas once (δ² = δ), equal bases
 * gathered into powers; deltas first, the rest in the order given.
 */
export function mul(...factors: IExpr[]): IExpr {
  let coefficient = Q.ONE;
  const deltas = new Map<string, IDelta>();
  const bases: IExpr[] = [];
  const exponents = new Map<IExpr, Rational>();
  const visit = (f: IExpr): void => {
    if (f.kind === "mul") for (const g of f.factors) visit(g);
    else if (f.kind === "num") coefficient = Q.mul(coefficient, f.value);
    else if (f.kind === "delta") deltas.set(deltaKey(f), deltas.get(deltaKey(f)) ?? f);
    else {
      const [b, e] = powerParts(f);
      const seen = exponents.get(b);
      if (seen === undefined) bases.push(b);
      exponents.set(b, seen === undefined ? e : Q.add(seen, e));
    }
  };
  for (const f of factors) visit(f);
  if (Q.isZero(coefficient)) return ZERO;
  const rest = bases.map((b) => pow(b, exponents.get(b)!)).filter((f) => f !== ONE);
  if (rest.some((f) => f === ZERO)) return ZERO;
  const args: IExpr[] = [...deltas.values(), ...rest];
  if (args.length === 0) return num(coefficient);
  if (Q.isOne(coefficient) && args.length === 1) return args[0]!;
  if (!Q.isOne(coefficient)) args.unshift(num(coefficient));
  return mulRaw(args);
}

export const neg = (e: IExpr): IExpr => mul(num(-1), e);

export function pow(base: IExpr, exp: Rational | number): IExpr {
  const e = typeof exp === "number" ? Q.rational(BigInt(exp)) : exp;
  if (Q.isZero(e)) return ONE;
  if (Q.isOne(e)) return base;
  if (base.kind === "num") {
    const folded = Q.powRational(base.value, e);
    if (folded) return num(folded);
  }
  // (x^a)^n = x^(a n) for whole n; (x^(1/2))^2 = x holds where x^(1/2) is defined
  if (base.kind === "pow" && Q.isInteger(e)) return pow(base.base, Q.mul(base.exp, e));
  // 1/(2 σ²) is ½ σ⁻²: a denominator's factors meet the numerator's (2/(2 σ²) = 1/σ²)
  if (base.kind === "mul" && Q.isInteger(e) && Q.isNegative(e)) return mul(...base.factors.map((f) => pow(f, e)));
  // a delta is 0 or 1: any positive power of it is itself
  if (base.kind === "delta" && !Q.isNegative(e)) return base;
  return intern(`^${base.id},${e.n}/${e.d}`, (id) => ({ kind: "pow", id, free: base.free, base, exp: e }));
}

// ---------------------------------------------------------------------------------------------
// Sums

/** A canonical key of a term without its coefficient: equal up to the order of factors. */
function likeKey(rest: IExpr): string {
  if (rest.kind !== "mul") return String(rest.id);
  return rest.factors
    .map((f) => (f.kind === "delta" ? `d${deltaKey(f)}` : String(f.id)))
    .sort()
    .join(",");
}

/** The sum of the terms: flattened, like terms collected (in order of first appearance). */
export function add(...terms: IExpr[]): IExpr {
  const order: string[] = [];
  const collected = new Map<string, { rest: IExpr; c: Rational }>();
  const visit = (t: IExpr): void => {
    if (t.kind === "add") {
      for (const u of t.terms) visit(u);
      return;
    }
    const [c, rest] = splitCoefficient(t);
    if (Q.isZero(c)) return;
    const key = likeKey(rest);
    const seen = collected.get(key);
    if (seen) seen.c = Q.add(seen.c, c);
    else {
      order.push(key);
      collected.set(key, { rest, c });
    }
  };
  for (const t of terms) visit(t);
  const args = order
    .map((k) => collected.get(k)!)
    .filter(({ c }) => !Q.isZero(c))
    .map(({ rest, c }) => mul(num(c), rest));
  // the number goes last: Σ_k w_ik x_k + b_i - 1
  args.sort((a, b) => Number(a.kind === "num") - Number(b.kind === "num"));
  if (args.length === 0) return ZERO;
  if (args.length === 1) return args[0]!;
  const frozen = Object.freeze(args);
  return intern(`+${ids(frozen)}`, (id) => ({ kind: "add", id, free: union(frozen.map((t) => t.free)), terms: frozen }));
}

export const sub = (a: IExpr, b: IExpr): IExpr => add(a, neg(b));

/**
 * The partner of `k` in a delta on the multiplicative spine of `body` (through products and
 * nested sums, not into sums of terms or function arguments), when that partner is free in the
 * whole body and bound nowhere inside it: then Σ_k body = body[k := partner], and substituting
 * never captures an index.
 */
function contractionPartner(body: IExpr, k: string): Index | undefined {
  const free = new Set(body.free);
  let bound: ReadonlySet<string> | undefined;
  // substituting k := t must not put t under a sum that binds t (only possible with shadowing)
  const usable = (t: Index): boolean => !isSymbolic(t) || (free.has(t) && !(bound ??= binders(body)).has(t));
  const search = (e: IExpr): Index | undefined => {
    if (e.kind === "delta") {
      const other = e.a === k ? e.b : e.b === k ? e.a : undefined;
      return other !== undefined && usable(other) ? other : undefined;
    }
    if (e.kind === "mul") {
      for (const f of e.factors) {
        const found = search(f);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (e.kind === "sum" && e.index !== k) return search(e.body);
    return undefined;
  };
  return search(body);
}

/** The indices bound by sums anywhere in e. */
function binders(e: IExpr): Set<string> {
  const out = new Set<string>();
  const seen = new Set<IExpr>();
  const visit = (n: IExpr): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.kind === "sum") out.add(n.index);
    if (n.kind === "sum") visit(n.body);
    else if (n.kind === "add") n.terms.forEach(visit);
    else if (n.kind === "mul") n.factors.forEach(visit);
    else if (n.kind === "pow") visit(n.base);
    else if (n.kind === "apply") visit(n.arg);
  };
  visit(e);
  return out;
}

/** Terms of `body` with products multiplied out over sums of terms that hold a delta on k. */
function distribute(body: IExpr, k: string): IExpr[] {
  if (body.kind === "add") return body.terms.flatMap((t) => distribute(t, k));
  if (body.kind !== "mul") return [body];
  const at = body.factors.findIndex((f) => f.kind === "add" && f.terms.some((t) => contractionPartner(t, k) !== undefined));
  if (at < 0) return [body];
  const before = body.factors.slice(0, at);
  const after = body.factors.slice(at + 1);
  return (body.factors[at] as IAdd).terms.flatMap((t) => distribute(mul(...before, t, ...after), k));
}

/**
 * Σ_k body over 1..range. Deltas on k contract the sum (Σ_k δ_kj a_k = a_j); a sum of terms is
 * split only when that lets some term contract, so Σ_k (a_k + b_k) otherwise stays as written.
 * Other factors stay inside, in chain-rule order, even when they do not depend on k.
 */
export function sumOver(k: string, range: Dim, body: IExpr): IExpr {
  if (body === ZERO) return ZERO;
  // numbers come out (Σ_k 2 r_k w_kj = 2 Σ_k r_k w_kj), so that ½ · 2 can cancel
  const [c, rest] = splitCoefficient(body);
  if (!Q.isOne(c)) return mul(num(c), sumOver(k, range, rest));
  // a delta on other indices comes out too (2 δ_ik Σ_m X_jm X_lm), as it is written on paper
  if (rest.kind === "mul") {
    const outside = rest.factors.filter((f) => f.kind === "delta" && !f.free.includes(k));
    if (outside.length > 0) return mul(...outside, sumOver(k, range, mul(...rest.factors.filter((f) => !outside.includes(f)))));
  }
  const partner = contractionPartner(body, k);
  if (partner !== undefined) return substitute(body, k, partner);
  const terms = distribute(body, k);
  if (terms.length > 1 && terms.some((t) => contractionPartner(t, k) !== undefined)) return add(...terms.map((t) => sumOver(k, range, t)));
  return intern(`S${JSON.stringify(k)}:${JSON.stringify(range)}:${body.id}`, (id) => sumNode(id, k, range, body));
}

/**
 * Σ_k body exactly as given, deltas not contracted: a step of a derivation that shows the sum
 * before the delta picks its term. The same node sumOver makes where nothing contracts (one key).
 */
export function sumUncontracted(k: string, range: Dim, body: IExpr): IExpr {
  if (body === ZERO) return ZERO;
  return intern(`S${JSON.stringify(k)}:${JSON.stringify(range)}:${body.id}`, (id) => sumNode(id, k, range, body));
}

function sumNode(id: number, k: string, range: Dim, body: IExpr): ISum {
  return { kind: "sum", id, free: body.free.filter((f) => f !== k), index: k, range, body };
}

// ---------------------------------------------------------------------------------------------
// Structure

/**
 * n with `go` applied to its children, rebuilt through the constructors (so sums contract and
 * products fold again); leaves are returned as they are.
 */
export function mapChildren(n: IExpr, go: (child: IExpr) => IExpr): IExpr {
  switch (n.kind) {
    case "num":
    case "entry":
    case "delta":
      return n;
    case "grad":
      return grad(go(n.of) as IEntry, go(n.entry) as IEntry);
    case "sum":
      return sumOver(n.index, n.range, go(n.body));
    case "add":
      return add(...n.terms.map(go));
    case "mul":
      return mul(...n.factors.map(go));
    case "pow":
      return pow(go(n.base), n.exp);
    case "apply":
      return apply(n.fn, go(n.arg), n.order);
  }
}

/** Calls `f` on every entry of e (once per distinct entry). */
export function forEachEntry(e: IExpr, f: (e: IEntry) => void): void {
  const seen = new Set<IExpr>();
  const visit = (n: IExpr): void => {
    if (seen.has(n)) return;
    seen.add(n);
    switch (n.kind) {
      case "entry":
        f(n);
        break;
      case "sum":
        visit(n.body);
        break;
      case "add":
        n.terms.forEach(visit);
        break;
      case "mul":
        n.factors.forEach(visit);
        break;
      case "pow":
        visit(n.base);
        break;
      case "apply":
        visit(n.arg);
        break;
      case "grad":
        visit(n.of);
        visit(n.entry);
        break;
      default:
        break;
    }
  };
  visit(e);
}

/**
 * e with the free indices `from` replaced by `to` all at once, through placeholders, so that
 * z_ij written at (j, i) does not merge the two.
 */
export function renameIndices(e: IExpr, from: readonly string[], to: readonly Index[]): IExpr {
  let out = e;
  from.forEach((letter, m) => (out = substitute(out, letter, `\u0000${m}`)));
  to.forEach((index, m) => (out = substitute(out, `\u0000${m}`, index)));
  return out;
}

/** e with the free index `from` replaced by `to` (sums binding `from` are left alone). */
export function substitute(e: IExpr, from: string, to: Index): IExpr {
  const memo = new Map<IExpr, IExpr>();
  const go = (n: IExpr): IExpr => {
    if (!n.free.includes(from)) return n;
    const seen = memo.get(n);
    if (seen) return seen;
    let out: IExpr;
    if (n.kind === "entry") out = entry(n.name, n.label, n.indices.map((i) => (i === from ? to : i)));
    else if (n.kind === "delta") out = delta(n.a === from ? to : n.a, n.b === from ? to : n.b);
    else out = mapChildren(n, go);
    memo.set(n, out);
    return out;
  };
  return go(e);
}

/** Summation indices in the order the sheets prefer (i and j name the free indices). */
export const SUMMATION_LETTERS: readonly string[] = ["k", "l", "m", "n", "p", "q", "r", "s", "t", "u", "v", "i", "j", "a", "b", "c", "d"];

/**
 * Renames summation indices to the first of `letters` (k, l, m, …) not free in e and not bound by
 * an enclosing sum, in reading order (then k1, k2, …), so a result reads the same however it was derived
 * (a sum's `preferred` letter first, when given and free):
 * φ1'(a_i) Σ_k w_ik φ2'(h_k) Σ_l v_kl φ3'(g_l) u_lj.
 */
export function tidyIndices(e: IExpr, letters: readonly string[] = SUMMATION_LETTERS, preferred?: (index: string) => string | undefined): IExpr {
  const go = (n: IExpr, taken: ReadonlySet<string>): IExpr => {
    switch (n.kind) {
      case "num":
      case "entry":
      case "delta":
      case "grad":
        return n;
      case "sum": {
        // the body's own index may keep its name unless an enclosing sum has taken it
        const blocked = new Set([...taken, ...n.body.free.filter((f) => f !== n.index)]);
        const own = preferred?.(n.index);
        let name = own !== undefined && !blocked.has(own) ? own : letters.find((c) => !blocked.has(c));
        for (let k = 1; name === undefined; k++) if (!blocked.has(`k${k}`)) name = `k${k}`;
        // the body is renamed first, where `name` is taken, so its inner sums pick other letters
        const body = go(n.body, new Set([...taken, name, n.index]));
        return name === n.index ? sumOver(name, n.range, body) : sumOver(name, n.range, substitute(body, n.index, name));
      }
      case "add":
        return add(...n.terms.map((t) => go(t, taken)));
      case "mul":
        return mul(...n.factors.map((f) => go(f, taken)));
      case "pow":
        return pow(go(n.base, taken), n.exp);
      case "apply":
        return apply(n.fn, go(n.arg, taken), n.order);
    }
  };
  return go(e, new Set(e.free));
}
