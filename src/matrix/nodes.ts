/**
 * Matrix expressions: immutable, hash-consed (structurally equal expressions are the same object,
 * as in src/ast), every node carrying its shape. Scalars are 1 × 1 expressions of the same kind, so
 * `x^T A x`, `||r||^2`, `η` and `1/2` mix freely with matrices.
 *
 * Canonical forms, kept by the constructors:
 *   products   a numeric coefficient first, then the scalar (1 × 1) factors, then the matrix
 *              factors in order (scalars commute, matrices do not); identities dropped
 *   sums       flat; like terms collected (2 A + A is 3 A); zero terms dropped; terms sorted
 *   transposes pushed into products ((A B)^T = B^T A^T), gone on scalars and I, (A^T)^T = A;
 *              kept outside sums ((W x + b)^T reads better than x^T W^T + b^T), elementwise
 *              functions and Hadamard products, as written
 *   Hadamard   flat; ones dropped; scalar factors moved out into the product
 *
 * Shapes must agree when a node is made (the builder infers and checks them first, with readable
 * errors); a mismatch here is a ShapeError too, never a wrong result.
 */
import * as Q from "../ast/rational.js";
import type { Rational } from "../ast/rational.js";
import { formatShape, isScalarShape, SCALAR, ShapeError, type Dim, type Shape } from "./shape.js";

interface Base {
  readonly id: number;
  readonly shape: Shape;
  readonly depth: number;
}

/** A rational constant (1 × 1). */
export interface MConst extends Base {
  readonly kind: "const";
  readonly value: Rational;
}

/** A declared (or inferred) variable of the given shape; scalars are 1 × 1 variables. */
export interface MVar extends Base {
  readonly kind: "var";
  readonly name: string;
}

/** `[[a, b], [c, d]]`: entries are 1 × 1 expressions, row by row. */
export interface MLiteral extends Base {
  readonly kind: "literal";
  readonly entries: readonly (readonly MExpr[])[];
}

export interface MAdd extends Base {
  readonly kind: "add";
  readonly args: readonly MExpr[];
}

/** Matrix product (scalars first, see the module note). */
export interface MMul extends Base {
  readonly kind: "mul";
  readonly args: readonly MExpr[];
}

/** Elementwise product ⊙. */
export interface MHadamard extends Base {
  readonly kind: "hadamard";
  readonly args: readonly MExpr[];
}

/** Elementwise power by a rational (on scalars the ordinary power). */
export interface MPow extends Base {
  readonly kind: "pow";
  readonly base: MExpr;
  readonly exp: Rational;
}

export interface MTranspose extends Base {
  readonly kind: "transpose";
  readonly arg: MExpr;
}

/**
 * A scalar function applied elementwise. `fn` is a registry function (sigmoid, tanh, …) or a
 * declared one (`Φ: function`), of which `order` > 0 stands for the order-th derivative Φ', Φ''.
 */
export interface MApply extends Base {
  readonly kind: "apply";
  readonly fn: string;
  readonly order: number;
  readonly arg: MExpr;
}

export interface MTrace extends Base {
  readonly kind: "trace";
  readonly arg: MExpr;
}

/** The sum of all entries. */
export interface MSum extends Base {
  readonly kind: "sum";
  readonly arg: MExpr;
}

/** The Euclidean norm of a vector, the Frobenius norm of a matrix. */
export interface MNorm extends Base {
  readonly kind: "norm";
  readonly arg: MExpr;
}

export interface MIdentity extends Base {
  readonly kind: "identity";
}

/** The matrix of ones of a shape (what the gradient of sum(A) is). */
export interface MOnes extends Base {
  readonly kind: "ones";
}

/** diag(v): the square matrix with the vector v on its diagonal. */
export interface MDiag extends Base {
  readonly kind: "diag";
  readonly arg: MExpr;
}

/** E[A]: the expectation, a linear operator (sheet E's J(w) = E[½ (w^T x - t)^2]). */
export interface MExpect extends Base {
  readonly kind: "expect";
  readonly arg: MExpr;
}

/** The entry (row, col) of a matrix, 1-based (W[1, 2], W_12, x_3). */
export interface MEntry extends Base {
  readonly kind: "entry";
  readonly arg: MExpr;
  readonly row: number;
  readonly col: number;
}

/** The matrix of its shape with a single 1 at (row, col): the gradient of an entry. */
export interface MUnit extends Base {
  readonly kind: "unit";
  readonly row: number;
  readonly col: number;
}

export type MExpr = MConst | MVar | MLiteral | MAdd | MMul | MHadamard | MPow | MTranspose | MApply | MTrace | MSum | MNorm | MIdentity | MOnes | MDiag | MExpect | MEntry | MUnit;
export type MKind = MExpr["kind"];

// ---------------------------------------------------------------------------------------------
// Interning

let nextId = 1;
const table = new Map<string, MExpr>();

function intern<T extends MExpr>(key: string, make: (id: number) => T): T {
  const found = table.get(key);
  if (found) return found as T;
  const node = Object.freeze(make(nextId++)) as T;
  table.set(key, node);
  return node;
}

const dimKey = (d: Dim): string => (typeof d === "number" ? String(d) : JSON.stringify(d));
const shapeKey = (s: Shape): string => `${dimKey(s.rows)}x${dimKey(s.cols)}`;
const ids = (args: readonly MExpr[]): string => args.map((a) => a.id).join(",");
const depthOf = (args: readonly MExpr[]): number => args.reduce((d, a) => Math.max(d, a.depth), 0) + 1;

const isScalar = (e: MExpr): boolean => isScalarShape(e.shape);
const sameShape = (a: Shape, b: Shape): boolean => a.rows === b.rows && a.cols === b.cols;

function mismatch(what: string, a: Shape, b: Shape): ShapeError {
  return new ShapeError(`shape mismatch in ${what}: ${formatShape(a)} and ${formatShape(b)}`);
}

// ---------------------------------------------------------------------------------------------
// Leaves

export function mconst(value: Rational | number): MConst {
  const r = typeof value === "number" ? (Number.isInteger(value) ? Q.rational(BigInt(value)) : Q.parseDecimal(String(value))) : value;
  return intern(`c${r.n}/${r.d}`, (id) => ({ kind: "const", id, shape: SCALAR, depth: 1, value: r }));
}

export const M_ZERO = mconst(0);
export const M_ONE = mconst(1);
export const M_MINUS_ONE = mconst(-1);
export const M_TWO = mconst(2);

export function mvar(name: string, shape: Shape): MVar {
  return intern(`v${JSON.stringify(name)}:${shapeKey(shape)}`, (id) => ({ kind: "var", id, shape, depth: 1, name }));
}

export function identity(n: Dim): MIdentity {
  const shape = { rows: n, cols: n };
  return intern(`I${shapeKey(shape)}`, (id) => ({ kind: "identity", id, shape, depth: 1 }));
}

export function ones(shape: Shape): MExpr {
  if (isScalarShape(shape)) return M_ONE;
  return intern(`1${shapeKey(shape)}`, (id) => ({ kind: "ones", id, shape, depth: 1 }));
}

export function literal(entries: readonly (readonly MExpr[])[]): MExpr {
  const rows = entries.length;
  const cols = entries[0]?.length ?? 0;
  if (rows === 0 || cols === 0) throw new ShapeError("an empty matrix literal");
  for (const row of entries) {
    if (row.length !== cols) throw new ShapeError(`the rows of a matrix literal have different lengths: ${cols} and ${row.length}`);
    for (const x of row) if (!isScalar(x)) throw new ShapeError(`an entry of a matrix literal is ${formatShape(x.shape)}, not a scalar`);
  }
  if (rows === 1 && cols === 1) return entries[0]![0]!;
  const frozen = Object.freeze(entries.map((r) => Object.freeze([...r])));
  const flat = frozen.flat();
  return intern(`[${frozen.map((r) => ids(r)).join(";")}]`, (id) => ({ kind: "literal", id, shape: { rows, cols }, depth: depthOf(flat), entries: frozen }));
}

// ---------------------------------------------------------------------------------------------
// Products

/** Splits a product into its numeric coefficient and the rest. */
export function splitCoefficient(e: MExpr): [Rational, MExpr] {
  if (e.kind === "const") return [e.value, M_ONE];
  if (e.kind === "mul" && e.args[0]!.kind === "const") {
    const rest = e.args.slice(1);
    return [e.args[0].value, rest.length === 1 ? rest[0]! : mulRaw(rest)];
  }
  return [Q.ONE, e];
}

function mulRaw(args: readonly MExpr[]): MExpr {
  const frozen = Object.freeze([...args]);
  let shape: Shape = SCALAR;
  const matrices = frozen.filter((a) => !isScalar(a));
  if (matrices.length > 0) shape = { rows: matrices[0]!.shape.rows, cols: matrices[matrices.length - 1]!.shape.cols };
  return intern(`*${ids(frozen)}`, (id) => ({ kind: "mul", id, shape, depth: depthOf(frozen), args: frozen }));
}

/**
 * The product of the factors in order: A B is the matrix product, scalars scale. The shapes of
 * consecutive matrix factors must chain (cols of one = rows of the next).
 */
export function mul(...factors: MExpr[]): MExpr {
  let coefficient = Q.ONE;
  const scalars: MExpr[] = [];
  const matrices: MExpr[] = [];
  const visit = (f: MExpr): void => {
    if (f.kind === "mul") {
      for (const a of f.args) visit(a);
      return;
    }
    if (f.kind === "const") coefficient = Q.mul(coefficient, f.value);
    else if (isScalar(f)) scalars.push(f);
    else if (f.kind !== "identity") matrices.push(f);
    else identities.push(f);
  };
  const identities: MExpr[] = [];
  for (const f of factors) visit(f);
  for (let i = 1; i < matrices.length; i++) {
    const a = matrices[i - 1]!.shape;
    const b = matrices[i]!.shape;
    if (a.cols !== b.rows) throw mismatch("a matrix product", a, b);
  }
  // I drops out of a product with matrices; alone it stays (2 I, σ² I)
  if (matrices.length === 0 && identities.length > 0) matrices.push(identities[0]!);
  if (Q.isZero(coefficient)) return matrices.length === 0 ? M_ZERO : zeroLike(matrices);
  scalars.sort((a, b) => a.id - b.id);
  const args = [...scalars, ...matrices];
  if (args.length === 0) return mconst(coefficient);
  if (Q.isOne(coefficient) && args.length === 1) return args[0]!;
  if (!Q.isOne(coefficient)) args.unshift(mconst(coefficient));
  return mulRaw(args);
}

/** Zero of the shape of a product (0 times a matrix is 0 · ones, printed 0). */
function zeroLike(matrices: readonly MExpr[]): MExpr {
  const shape = { rows: matrices[0]!.shape.rows, cols: matrices[matrices.length - 1]!.shape.cols };
  return mulRaw([M_ZERO, ones(shape)]);
}

export const isZeroExpr = (e: MExpr): boolean => e === M_ZERO || (e.kind === "mul" && e.args[0] === M_ZERO);

export const neg = (e: MExpr): MExpr => mul(M_MINUS_ONE, e);
export const scale = (c: Rational | number, e: MExpr): MExpr => mul(mconst(c), e);

// ---------------------------------------------------------------------------------------------
// Sums

/**
 * The sum of the terms. Shapes must agree; a scalar added to a matrix is added to every entry
 * (as in 1 - σ(h), elementwise).
 */
export function add(...terms: MExpr[]): MExpr {
  const flat: MExpr[] = [];
  const visit = (t: MExpr): void => {
    if (t.kind === "add") for (const a of t.args) visit(a);
    else if (!isZeroExpr(t)) flat.push(t);
  };
  for (const t of terms) visit(t);
  let shape: Shape = SCALAR;
  for (const t of flat) {
    if (isScalar(t)) continue;
    if (isScalarShape(shape)) shape = t.shape;
    else if (!sameShape(shape, t.shape)) throw mismatch("a sum", shape, t.shape);
  }
  // collect like terms, keeping the order of first appearance
  const order: MExpr[] = [];
  const coefficients = new Map<MExpr, Rational>();
  let constant = Q.ZERO;
  for (const t of flat) {
    if (t.kind === "const") {
      constant = Q.add(constant, t.value);
      continue;
    }
    const [c, rest] = splitCoefficient(t);
    const seen = coefficients.get(rest);
    if (seen === undefined) order.push(rest);
    coefficients.set(rest, seen === undefined ? c : Q.add(seen, c));
  }
  const args: MExpr[] = [];
  for (const rest of order) {
    const c = coefficients.get(rest)!;
    if (!Q.isZero(c)) args.push(Q.isOne(c) ? rest : mul(mconst(c), rest));
  }
  if (!Q.isZero(constant)) args.push(mconst(constant));
  if (args.length === 0) return isScalarShape(shape) ? M_ZERO : mulRaw([M_ZERO, ones(shape)]);
  if (args.length === 1) {
    const only = args[0]!;
    // a scalar constant alone where the sum was a matrix: keep the shape (c · ones)
    return isScalar(only) && !isScalarShape(shape) ? mul(only, ones(shape)) : only;
  }
  // by id: a + b and b + a are the same node (printers choose the reading order)
  args.sort((a, b) => a.id - b.id);
  const frozen = Object.freeze(args);
  return intern(`+${ids(frozen)}`, (id) => ({ kind: "add", id, shape, depth: depthOf(frozen), args: frozen }));
}

export const sub = (a: MExpr, b: MExpr): MExpr => add(a, neg(b));

// ---------------------------------------------------------------------------------------------
// Elementwise

export function hadamard(...factors: MExpr[]): MExpr {
  const scalars: MExpr[] = [];
  const rest: MExpr[] = [];
  let shape: Shape | undefined;
  const visit = (f: MExpr): void => {
    if (f.kind === "hadamard") for (const a of f.args) visit(a);
    else if (isScalar(f)) scalars.push(f);
    else if (f.kind === "mul" && f.args.filter((a) => !isScalar(a)).length === 1) {
      // (s M) ⊙ N = s (M ⊙ N): scalar factors move out
      for (const a of f.args) visit(a);
    }
    else {
      if (shape && !sameShape(shape, f.shape)) throw mismatch("an elementwise product", shape, f.shape);
      shape = f.shape;
      if (f.kind !== "ones") rest.push(f);
    }
  };
  for (const f of factors) visit(f);
  if (rest.length === 0) return shape ? mul(...scalars, ones(shape)) : mul(...scalars);
  if (rest.length === 1) return mul(...scalars, rest[0]!);
  rest.sort(hadamardOrder);
  const frozen = Object.freeze(rest);
  const node = intern(`⊙${ids(frozen)}`, (id) => ({ kind: "hadamard", id, shape: shape!, depth: depthOf(frozen), args: frozen }) as MHadamard);
  return scalars.length > 0 ? mul(...scalars, node) : node;
}

/** Canonical order of ⊙ factors, chosen to read well: σ(h) ⊙ (1 - σ(h)) ⊙ (Wᵀ r). */
const HADAMARD_RANK: Partial<Record<MKind, number>> = { apply: 0, pow: 1, add: 2 };
const hadamardOrder = (a: MExpr, b: MExpr): number => (HADAMARD_RANK[a.kind] ?? 3) - (HADAMARD_RANK[b.kind] ?? 3) || a.id - b.id;

/** Elementwise power; integer powers of a power multiply out, x^0 = 1, x^1 = x. */
export function pow(base: MExpr, exp: Rational | number): MExpr {
  const e = typeof exp === "number" ? Q.rational(BigInt(exp)) : exp;
  if (Q.isZero(e)) return isScalar(base) ? M_ONE : ones(base.shape);
  if (Q.isOne(e)) return base;
  if (base.kind === "const") {
    const folded = Q.powRational(base.value, e);
    if (folded) return mconst(folded);
  }
  if (base.kind === "pow" && Q.isInteger(e)) return pow(base.base, Q.mul(base.exp, e));
  return intern(`^${base.id},${e.n}/${e.d}`, (id) => ({ kind: "pow", id, shape: base.shape, depth: base.depth + 1, base, exp: e }));
}

export function apply(fn: string, arg: MExpr, order = 0): MApply {
  return intern(`@${JSON.stringify(fn)}'${order}(${arg.id})`, (id) => ({ kind: "apply", id, shape: arg.shape, depth: arg.depth + 1, fn, order, arg }));
}

// ---------------------------------------------------------------------------------------------
// Transpose and the reductions

export function transpose(e: MExpr): MExpr {
  switch (e.kind) {
    case "const":
    case "identity":
      return e;
    case "transpose":
      return e.arg;
    case "mul": {
      const scalars = e.args.filter(isScalar);
      const matrices = e.args.filter((a) => !isScalar(a));
      return mul(...scalars, ...matrices.reverse().map(transpose));
    }
    case "literal":
      return literal(e.entries[0]!.map((_, j) => e.entries.map((row) => row[j]!)));
    case "ones":
      return ones({ rows: e.shape.cols, cols: e.shape.rows });
    case "diag":
      return e;
    case "expect":
      return expect(transpose(e.arg));
    case "unit":
      return unit({ rows: e.shape.cols, cols: e.shape.rows }, e.col, e.row);
    default:
      break;
  }
  if (isScalar(e)) return e;
  return intern(`T${e.id}`, (id) => ({ kind: "transpose", id, shape: { rows: e.shape.cols, cols: e.shape.rows }, depth: e.depth + 1, arg: e }));
}

export function trace(e: MExpr): MExpr {
  if (e.shape.rows !== e.shape.cols) throw new ShapeError(`the trace needs a square matrix, not ${formatShape(e.shape)}`);
  if (isScalar(e)) return e;
  if (e.kind === "transpose") return trace(e.arg);
  return intern(`tr${e.id}`, (id) => ({ kind: "trace", id, shape: SCALAR, depth: e.depth + 1, arg: e }));
}

export function sum(e: MExpr): MExpr {
  if (isScalar(e)) return e;
  if (e.kind === "transpose") return sum(e.arg);
  return intern(`sum${e.id}`, (id) => ({ kind: "sum", id, shape: SCALAR, depth: e.depth + 1, arg: e }));
}

export function norm(e: MExpr): MExpr {
  if (e.kind === "transpose") return norm(e.arg);
  return intern(`norm${e.id}`, (id) => ({ kind: "norm", id, shape: SCALAR, depth: e.depth + 1, arg: e }));
}

export function diag(v: MExpr): MExpr {
  if (v.shape.cols !== 1) throw new ShapeError(`diag needs a vector, not ${formatShape(v.shape)}`);
  if (isScalar(v)) return v;
  return intern(`diag${v.id}`, (id) => ({ kind: "diag", id, shape: { rows: v.shape.rows, cols: v.shape.rows }, depth: v.depth + 1, arg: v }));
}

/** E[A]; constants (no random variable inside) are their own expectation, decided by the caller. */
export function expect(e: MExpr): MExpr {
  if (e.kind === "const") return e;
  return intern(`E${e.id}`, (id) => ({ kind: "expect", id, shape: e.shape, depth: e.depth + 1, arg: e }));
}

/** The entry (row, col) of a matrix (1-based); entries of literals and transposes are read off. */
export function entry(e: MExpr, row: number, col: number): MExpr {
  const { rows, cols } = e.shape;
  const outside = (n: number, size: Dim): boolean => n < 1 || (typeof size === "number" && n > size);
  if (outside(row, rows) || outside(col, cols)) throw new ShapeError(`there is no entry (${row}, ${col}) in a ${formatShape(e.shape)} matrix`);
  if (isScalar(e)) return e;
  if (e.kind === "literal") return e.entries[row - 1]![col - 1]!;
  if (e.kind === "transpose") return entry(e.arg, col, row);
  return intern(`[${e.id}]${row},${col}`, (id) => ({ kind: "entry", id, shape: SCALAR, depth: e.depth + 1, arg: e, row, col }));
}

export function unit(shape: Shape, row: number, col: number): MExpr {
  if (isScalarShape(shape)) return M_ONE;
  return intern(`u${shapeKey(shape)}:${row},${col}`, (id) => ({ kind: "unit", id, shape, depth: 1, row, col }));
}

// ---------------------------------------------------------------------------------------------
// Structure

export function children(e: MExpr): readonly MExpr[] {
  switch (e.kind) {
    case "const":
    case "var":
    case "identity":
    case "ones":
    case "unit":
      return [];
    case "literal":
      return e.entries.flat();
    case "add":
    case "mul":
    case "hadamard":
      return e.args;
    case "pow":
      return [e.base];
    case "transpose":
    case "apply":
    case "trace":
    case "sum":
    case "norm":
    case "diag":
    case "expect":
    case "entry":
      return [e.arg];
  }
}

/** The same kind of node over new children (through the canonicalising constructors). */
export function withChildren(e: MExpr, kids: readonly MExpr[]): MExpr {
  switch (e.kind) {
    case "const":
    case "var":
    case "identity":
    case "ones":
    case "unit":
      return e;
    case "literal": {
      const cols = e.shape.cols as number;
      const rows: MExpr[][] = [];
      for (let i = 0; i < kids.length; i += cols) rows.push(kids.slice(i, i + cols));
      return literal(rows);
    }
    case "add":
      return add(...kids);
    case "mul":
      return mul(...kids);
    case "hadamard":
      return hadamard(...kids);
    case "pow":
      return pow(kids[0]!, e.exp);
    case "transpose":
      return transpose(kids[0]!);
    case "apply":
      return apply(e.fn, kids[0]!, e.order);
    case "trace":
      return trace(kids[0]!);
    case "sum":
      return sum(kids[0]!);
    case "norm":
      return norm(kids[0]!);
    case "diag":
      return diag(kids[0]!);
    case "expect":
      return expect(kids[0]!);
    case "entry":
      return entry(kids[0]!, e.row, e.col);
  }
}

/** Rebuilds bottom-up, replacing nodes for which `f` returns a value (memoised over the DAG). */
export function rewrite(e: MExpr, f: (node: MExpr) => MExpr | undefined): MExpr {
  const memo = new Map<MExpr, MExpr>();
  const go = (n: MExpr): MExpr => {
    const seen = memo.get(n);
    if (seen) return seen;
    const direct = f(n);
    const out = direct ?? withChildren(n, children(n).map(go));
    memo.set(n, out);
    return out;
  };
  return go(e);
}

/** Variables in an expression, by name, in order of first appearance. */
export function variables(e: MExpr): MVar[] {
  const out = new Map<string, MVar>();
  const seen = new Set<MExpr>();
  const stack: MExpr[] = [e];
  const order: MExpr[] = [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    order.push(n);
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  for (const n of order) if (n.kind === "var" && !out.has(n.name)) out.set(n.name, n);
  return [...out.values()];
}

export const dependsOn = (e: MExpr, name: string): boolean => variables(e).some((v) => v.name === name);
