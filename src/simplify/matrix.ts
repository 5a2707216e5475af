/**
 * Simplification in matrix algebra, on top of the canonical forms the constructors keep
 * (transposes pushed in, like terms collected): common factors are taken out of sums, on the
 * left, on the right and among the scalars, so A x + Aᵀ x becomes (A + Aᵀ) x and
 * 2 R Xᵀ + 2 S Xᵀ becomes 2 (R + S) Xᵀ. Elementwise parts (⊙, elementwise functions and powers
 * over the same entries) are simplified entry by entry by the scalar simplifier, so
 * exp(u) ⊙ (1 + exp(u))^(-1) is σ(u) as it is for scalars.
 */
import * as Q from "../ast/rational.js";
import { add, call, mul, num, pow, sym, type Expr } from "../ast/index.js";
import { lookupFunction } from "../functions/index.js";
import * as N from "../matrix/nodes.js";
import { simplify } from "./simplify.js";
import type { MExpr } from "../matrix/nodes.js";
import { isScalarShape } from "../matrix/shape.js";

interface Term {
  readonly coefficient: Q.Rational;
  readonly scalars: readonly MExpr[];
  readonly matrices: readonly MExpr[];
}

function term(e: MExpr): Term {
  const [coefficient, rest] = N.splitCoefficient(e);
  const factors = rest.kind === "mul" ? rest.args : rest === N.M_ONE ? [] : [rest];
  return {
    coefficient,
    scalars: factors.filter((f) => isScalarShape(f.shape)),
    matrices: factors.filter((f) => !isScalarShape(f.shape)),
  };
}

const build = (t: Term): MExpr => N.mul(N.mconst(t.coefficient), ...t.scalars, ...t.matrices);

/** What remains of a term when `f` (one of its matrix factors at `side`) is taken out. */
function without(t: Term, side: "left" | "right", f: MExpr): MExpr {
  const matrices = side === "left" ? t.matrices.slice(1) : t.matrices.slice(0, -1);
  if (matrices.length === 0) {
    // the factor was all of the matrix part: what is left multiplies as an identity of its size
    const size = side === "left" ? f.shape.cols : f.shape.rows;
    return N.mul(N.mconst(t.coefficient), ...t.scalars, N.identity(size));
  }
  return build({ ...t, matrices });
}

/** The positive rational that divides every coefficient to integers with gcd 1 (2 for 2 A - 4 B). */
function commonCoefficient(terms: readonly Term[]): Q.Rational {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  let n = 0n;
  let d = 1n;
  for (const t of terms) {
    n = gcd(n, t.coefficient.n);
    d = (d * t.coefficient.d) / gcd(d, t.coefficient.d);
  }
  return Q.rational(n, d);
}

function factorSum(e: MExpr & { kind: "add" }): MExpr {
  const terms = e.args.map(term);
  const c = commonCoefficient(terms);
  if (!Q.isOne(c) && terms.length > 1) {
    return N.mul(N.mconst(c), simplifyMatrix(N.add(...terms.map((t) => build({ ...t, coefficient: Q.div(t.coefficient, c) })))));
  }
  // a scalar factor common to every term
  const firstScalars = terms[0]!.scalars;
  for (const s of firstScalars) {
    if (terms.every((t) => t.scalars.includes(s))) {
      const rest = terms.map((t) => build({ ...t, scalars: removeOnce(t.scalars, s) }));
      return N.mul(s, simplifyMatrix(N.add(...rest)));
    }
  }
  for (const side of ["right", "left"] as const) {
    const pick = (t: Term): MExpr | undefined => (side === "left" ? t.matrices[0] : t.matrices[t.matrices.length - 1]);
    const f = pick(terms[0]!);
    if (!f || !terms.every((t) => pick(t) === f)) continue;
    // taking out a factor every term consists of alone would only write (c1 + c2) F: like terms did that
    if (terms.every((t) => t.matrices.length === 1 && t.scalars.length === 0)) continue;
    const inner = simplifyMatrix(N.add(...terms.map((t) => without(t, side, f))));
    return side === "left" ? N.mul(f, inner) : N.mul(inner, f);
  }
  return e;
}

function removeOnce(list: readonly MExpr[], x: MExpr): MExpr[] {
  const i = list.indexOf(x);
  return i < 0 ? [...list] : [...list.slice(0, i), ...list.slice(i + 1)];
}

// ---------------------------------------------------------------------------------------------
// Entry by entry

/** Nodes that act on each entry alone: their value at (i, j) needs only their operands' (i, j). */
function isElementwise(e: MExpr): boolean {
  switch (e.kind) {
    case "hadamard":
    case "pow":
    case "const":
      return true;
    case "apply":
      return e.order === 0 && lookupFunction(e.fn) !== undefined;
    case "add":
      // scalars are added to every entry
      return true;
    case "mul":
      // scalars times one matrix scale every entry; a product of matrices mixes entries
      return e.args.filter((a) => !isScalarShape(a.shape)).length <= 1;
    default:
      return false;
  }
}

/** The elementwise part as a scalar expression over symbols standing for its other operands. */
function toScalar(e: MExpr, leaves: Map<MExpr, string>): Expr {
  if (!isElementwise(e)) {
    let name = leaves.get(e);
    if (!name) {
      name = `\u0000${leaves.size}`;
      leaves.set(e, name);
    }
    return sym(name);
  }
  switch (e.kind) {
    case "const":
      return num(e.value);
    case "hadamard":
    case "mul":
      return mul(...e.args.map((a) => toScalar(a, leaves)));
    case "add":
      return add(...e.args.map((a) => toScalar(a, leaves)));
    case "pow":
      return pow(toScalar(e.base, leaves), num(e.exp));
    case "apply":
      return call(e.fn, toScalar(e.arg, leaves));
    default:
      throw new Error("internal: not elementwise");
  }
}

function fromScalar(e: Expr, leaves: ReadonlyMap<string, MExpr>): MExpr | undefined {
  switch (e.kind) {
    case "num":
      return N.mconst(e.value);
    case "sym":
      return leaves.get(e.name);
    case "add": {
      const args = e.args.map((a) => fromScalar(a, leaves));
      return args.every((a) => a !== undefined) ? N.add(...(args as MExpr[])) : undefined;
    }
    case "mul": {
      const args = e.args.map((a) => fromScalar(a, leaves));
      return args.every((a) => a !== undefined) ? N.hadamard(...(args as MExpr[])) : undefined;
    }
    case "pow": {
      const base = fromScalar(e.base, leaves);
      if (!base || e.exp.kind !== "num") return undefined;
      const k = e.exp.value;
      if (!isScalarShape(base.shape) && Q.isInteger(k) && k.n >= 2n && k.n <= 4n) return N.hadamard(...Array.from({ length: Number(k.n) }, () => base));
      return N.pow(base, k);
    }
    case "call": {
      if (e.args.length !== 1) return undefined;
      const arg = fromScalar(e.args[0]!, leaves);
      return arg ? N.apply(e.fn, arg) : undefined;
    }
  }
}

/** Simplifies an elementwise node entry by entry (when the scalar simplifier finds something shorter). */
function simplifyEntries(e: MExpr): MExpr {
  if (isScalarShape(e.shape) || !isElementwise(e) || e.kind === "const") return e;
  const leaves = new Map<MExpr, string>();
  const scalar = toScalar(e, leaves);
  const simpler = simplify(scalar);
  if (simpler === scalar) return e;
  const back = fromScalar(simpler, new Map([...leaves].map(([m, name]) => [name, m])));
  // the result must keep the shape (a constant entry would lose it) and be no bigger
  if (!back || back.shape.rows !== e.shape.rows || back.shape.cols !== e.shape.cols || back.depth > e.depth + 1) return e;
  return back;
}

// ---------------------------------------------------------------------------------------------
// Orientation of differences

const isLeaf = (e: MExpr): boolean => e.kind === "var" || e.kind === "const";

/**
 * Whether a difference a - b reads the way sheets write it: a constant first (1 - σ(h)), else the
 * plain name subtracted (W X - Y, Σ σ - y rather than y - Σ σ).
 */
function wellOriented(positive: MExpr, negated: MExpr): boolean {
  if (positive.kind === "const" || negated.kind === "const") return positive.kind === "const";
  return isLeaf(negated) || !isLeaf(positive);
}

/** A two-term difference as (positive, negated), or undefined. */
function difference(e: MExpr): [MExpr, MExpr] | undefined {
  if (e.kind !== "add" || e.args.length !== 2) return undefined;
  const negative = (t: MExpr): boolean => N.splitCoefficient(t)[0].n < 0n;
  const [x, y] = e.args as [MExpr, MExpr];
  if (negative(x) === negative(y)) return undefined;
  return negative(x) ? [y, N.neg(x)] : [x, N.neg(y)];
}

/** A factor with its differences turned the readable way round, and the sign that costs. */
function orient(e: MExpr): [boolean, MExpr] {
  const d = difference(e);
  if (d && !wellOriented(d[0], d[1])) return [true, N.sub(d[1], d[0])];
  if (e.kind === "hadamard") {
    let flipped = false;
    const args = e.args.map((a) => {
      const [f, x] = orient(a);
      if (f) flipped = !flipped;
      return x;
    });
    return [flipped, N.hadamard(...args)];
  }
  return [false, e];
}

/** A product with every difference factor oriented (the signs collected in the coefficient). */
function orientProduct(e: MExpr): MExpr {
  if (e.kind !== "mul" && e.kind !== "hadamard") return e;
  if (e.kind === "hadamard") {
    const [flipped, x] = orient(e);
    return flipped ? N.neg(x) : x;
  }
  let flipped = false;
  const args = e.args.map((a) => {
    const [f, x] = orient(a);
    if (f) flipped = !flipped;
    return x;
  });
  return flipped ? N.neg(N.mul(...args)) : N.mul(...args);
}

/** Takes common factors out of every sum and simplifies elementwise parts (bottom-up, over the DAG once). */
export function simplifyMatrix(e: MExpr): MExpr {
  const memo = new Map<MExpr, MExpr>();
  const go = (n: MExpr): MExpr => {
    const hit = memo.get(n);
    if (hit) return hit;
    const rebuilt = simplifyEntries(N.withChildren(n, N.children(n).map(go)));
    const out = rebuilt.kind === "add" ? factorSum(rebuilt) : orientProduct(rebuilt);
    memo.set(n, out);
    return out;
  };
  return go(e);
}
