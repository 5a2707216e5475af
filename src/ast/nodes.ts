/**
 * Expression nodes: immutable and hash-consed. Two structurally equal expressions are the same
 * object, so `a === b` is structural equality in O(1), and a subexpression that occurs many times
 * (the forward values a gradient reuses) is stored once: every expression is a DAG.
 *
 * The representation is canonical in the way SymPy's automatic evaluation is:
 *   a - b  is  add(a, mul(-1, b))      a / b  is  mul(a, pow(b, -1))      -a  is  mul(-1, a)
 * sums and products are flat and their arguments sorted (see order.ts), numeric terms and factors
 * are folded exactly, and trivial identities (x^1, x*1, x+0, x^0) vanish at construction. Anything
 * that needs judgement (collecting like terms, cancelling, function identities) is left to
 * `simplify`, so what a user typed stays recognisable.
 *
 * New node kinds (matrices, indexed symbols, sums, derivative operators) are added as new members
 * of the `Expr` union with their own constructors; existing kinds do not change.
 */
import * as Q from "./rational.js";
import type { Rational } from "./rational.js";
import { compareExpr } from "./order.js";

interface NodeBase {
  /** Unique per distinct expression; stable for the life of the process. */
  readonly id: number;
  /** Longest path to a leaf; leaves have depth 1. Used to refuse absurd nesting up front. */
  readonly depth: number;
}

/** An exact rational constant. */
export interface Num extends NodeBase {
  readonly kind: "num";
  readonly value: Rational;
}

/** A variable or named constant (`pi`, `e` are symbols the function registry knows). */
export interface Sym extends NodeBase {
  readonly kind: "sym";
  readonly name: string;
}

export interface Add extends NodeBase {
  readonly kind: "add";
  readonly args: readonly Expr[];
}

export interface Mul extends NodeBase {
  readonly kind: "mul";
  readonly args: readonly Expr[];
}

export interface Pow extends NodeBase {
  readonly kind: "pow";
  readonly base: Expr;
  readonly exp: Expr;
}

/** Application of a registered function (`sigmoid`, `log`, …) by its canonical name. */
export interface Call extends NodeBase {
  readonly kind: "call";
  readonly fn: string;
  readonly args: readonly Expr[];
}

export type Expr = Num | Sym | Add | Mul | Pow | Call;
export type ExprKind = Expr["kind"];

// ---------------------------------------------------------------------------------------------
// Interning

let nextId = 1;
const table = new Map<string, Expr>();

function intern<T extends Expr>(key: string, make: (id: number) => T): T {
  const found = table.get(key);
  if (found) return found as T;
  const node = Object.freeze(make(nextId++)) as T;
  table.set(key, node);
  return node;
}

/** Number of distinct nodes created so far (for tests and benchmarks of sharing). */
export const internedCount = (): number => table.size;

const childKey = (args: readonly Expr[]): string => args.map((a) => a.id).join(",");
const maxDepth = (args: readonly Expr[]): number => {
  let d = 0;
  for (const a of args) if (a.depth > d) d = a.depth;
  return d + 1;
};

// ---------------------------------------------------------------------------------------------
// Leaves

export function num(value: Rational | number | bigint, d?: bigint): Num {
  let r: Rational;
  if (typeof value === "bigint") r = Q.rational(value, d ?? 1n);
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    r = Number.isInteger(value) ? Q.rational(BigInt(value)) : Q.parseDecimal(String(value));
  } else r = Q.rational(value.n, value.d);
  return intern(`n${r.n}/${r.d}`, (id) => ({ kind: "num", id, depth: 1, value: r }));
}

export function sym(name: string): Sym {
  if (name.length === 0) throw new RangeError("empty symbol name");
  return intern(`s${name}`, (id) => ({ kind: "sym", id, depth: 1, name }));
}

export const ZERO = num(0);
export const ONE = num(1);
export const MINUS_ONE = num(-1);
export const TWO = num(2);
export const HALF = num(Q.rational(1n, 2n));

export const isNum = (e: Expr): e is Num => e.kind === "num";
export const isSym = (e: Expr): e is Sym => e.kind === "sym";
export const isZero = (e: Expr): boolean => e === ZERO;
export const isOne = (e: Expr): boolean => e === ONE;

// ---------------------------------------------------------------------------------------------
// Sums and products

function flatten(kind: "add" | "mul", args: readonly Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const a of args) {
    // a loop, not push(...args): sums of 100k+ terms would overflow the argument limit
    if (a.kind === kind) for (const x of a.args) out.push(x);
    else out.push(a);
  }
  return out;
}

/** Sum of terms: flattened, numbers folded into one constant, terms in canonical order. */
export function add(...terms: Expr[]): Expr {
  let constant = Q.ZERO;
  const rest: Expr[] = [];
  for (const t of flatten("add", terms)) {
    if (t.kind === "num") constant = Q.add(constant, t.value);
    else rest.push(t);
  }
  if (!Q.isZero(constant)) rest.push(num(constant));
  if (rest.length === 0) return ZERO;
  if (rest.length === 1) return rest[0]!;
  rest.sort(compareExpr);
  Object.freeze(rest);
  return intern(`+${childKey(rest)}`, (id) => ({ kind: "add", id, depth: maxDepth(rest), args: rest }));
}

/** Product of factors: flattened, numbers folded into a leading coefficient, factors sorted. */
export function mul(...factors: Expr[]): Expr {
  let coefficient = Q.ONE;
  const rest: Expr[] = [];
  for (const f of flatten("mul", factors)) {
    if (f.kind === "num") coefficient = Q.mul(coefficient, f.value);
    else rest.push(f);
  }
  if (Q.isZero(coefficient)) return ZERO;
  if (rest.length === 0) return num(coefficient);
  if (Q.isOne(coefficient) && rest.length === 1) return rest[0]!;
  rest.sort(compareExpr);
  if (!Q.isOne(coefficient)) rest.unshift(num(coefficient));
  Object.freeze(rest);
  return intern(`*${childKey(rest)}`, (id) => ({ kind: "mul", id, depth: maxDepth(rest), args: rest }));
}

// ---------------------------------------------------------------------------------------------
// Powers

/** base^exp with the identities that hold for every value: x^0 = 1, x^1 = x, 1^x = 1,
 * exact numeric powers, (x^a)^n = x^(a n) and (x y)^n = x^n y^n for integer n. */
export function pow(base: Expr, exp: Expr): Expr {
  if (exp === ZERO) return ONE;
  if (exp === ONE) return base;
  if (base === ONE) return ONE;
  if (exp.kind === "num") {
    const e = exp.value;
    if (base.kind === "num") {
      const folded = Q.powRational(base.value, e);
      if (folded) return num(folded);
    }
    if (Q.isInteger(e)) {
      if (base.kind === "pow") return pow(base.base, mul(base.exp, exp));
      if (base.kind === "mul") return mul(...base.args.map((f) => pow(f, exp)));
    }
  }
  return intern(`^${base.id},${exp.id}`, (id) => ({ kind: "pow", id, depth: maxDepth([base, exp]), base, exp }));
}

// ---------------------------------------------------------------------------------------------
// Function application

/** f(args) for a registered function name. The registry, not the AST, knows what f means. */
export function call(fn: string, ...args: Expr[]): Call {
  Object.freeze(args);
  return intern(`@${fn}(${childKey(args)})`, (id) => ({ kind: "call", id, depth: maxDepth(args), fn, args }));
}

// ---------------------------------------------------------------------------------------------
// Conveniences built on the canonical forms

export const neg = (a: Expr): Expr => mul(MINUS_ONE, a);
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, MINUS_ONE));
export const recip = (a: Expr): Expr => pow(a, MINUS_ONE);
export const square = (a: Expr): Expr => pow(a, TWO);

/** Children of a node, in order (leaves have none). */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "num":
    case "sym":
      return [];
    case "add":
    case "mul":
    case "call":
      return e.args;
    case "pow":
      return [e.base, e.exp];
  }
}

/** Rebuilds a node of the same kind over new children (through the canonicalising constructors). */
export function withChildren(e: Expr, kids: readonly Expr[]): Expr {
  switch (e.kind) {
    case "num":
    case "sym":
      return e;
    case "add":
      return add(...kids);
    case "mul":
      return mul(...kids);
    case "pow":
      return pow(kids[0]!, kids[1]!);
    case "call":
      return call(e.fn, ...kids);
  }
}

/** Splits a term into its numeric coefficient and the rest: -2*x*y gives (-2, x*y). */
export function splitCoefficient(e: Expr): [Rational, Expr] {
  if (e.kind === "num") return [e.value, ONE];
  if (e.kind === "mul" && e.args[0]!.kind === "num") {
    const rest = e.args.slice(1);
    return [e.args[0].value, rest.length === 1 ? rest[0]! : mul(...rest)];
  }
  return [Q.ONE, e];
}
