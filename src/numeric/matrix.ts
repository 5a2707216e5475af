/**
 * Numbers for matrix expressions: every value is a dense matrix (`number[][]`, row by row; scalars
 * are 1 × 1), evaluated over the expression DAG once per node. Sizes written as names (`vector(d)`)
 * take their values from the matrices given.
 */
import * as Q from "../ast/rational.js";
import { DeriveError } from "../errors.js";
import { call, sym, type Expr } from "../ast/index.js";
import { differentiate } from "../diff/differentiate.js";
import { getFunction, lookupConstant, lookupFunction } from "../functions/index.js";
import { evaluate } from "./evaluate.js";
import { inlineProgram, type MatrixProgram } from "../matrix/build.js";
import { children, type MExpr } from "../matrix/nodes.js";
import { formatShape, type Dim, type Shape } from "../matrix/shape.js";

export type Matrix = number[][];

export const isScalarValue = (m: Matrix): boolean => m.length === 1 && m[0]!.length === 1;
export const shapeOfValue = (m: Matrix): Shape => ({ rows: m.length, cols: m[0]?.length ?? 0 });

const fill = (rows: number, cols: number, f: (i: number, j: number) => number): Matrix =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));

/** Sizes of named dimensions, learned from the values of variables in `exprs`. */
function bindDims(exprs: readonly MExpr[], env: ReadonlyMap<string, Matrix>): Map<string, number> {
  const dims = new Map<string, number>();
  const bind = (d: Dim, n: number, name: string, shape: Shape, value: Matrix): void => {
    if (typeof d === "number") {
      if (d !== n) throw new DeriveError(`the value of ${name} is ${formatShape(shapeOfValue(value))}, but ${name} is ${formatShape(shape)}`);
      return;
    }
    const known = dims.get(d);
    if (known !== undefined && known !== n) throw new DeriveError(`size ${d} is ${known} elsewhere but ${n} in the value of ${name}`);
    dims.set(d, n);
  };
  const seen = new Set<MExpr>();
  const stack = [...exprs];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.kind === "var") {
      const v = env.get(n.name);
      if (v) {
        bind(n.shape.rows, v.length, n.name, n.shape, v);
        bind(n.shape.cols, v[0]!.length, n.name, n.shape, v);
      }
    }
    stack.push(...children(n));
  }
  return dims;
}

/**
 * The value of a matrix expression; every variable needs a value (constants excepted). Sizes
 * named in `e` are learned from the values of its variables, and of those in `sizesFrom` (the
 * gradient of sum(A) is ones(n, n), whose n only A's value tells).
 */
export function evaluateMatrix(e: MExpr, env: ReadonlyMap<string, Matrix>, sizesFrom: readonly MExpr[] = []): Matrix {
  const dims = bindDims([e, ...sizesFrom], env);
  const size = (d: Dim): number => {
    if (typeof d === "number") return d;
    const n = dims.get(d);
    if (n === undefined) throw new DeriveError(`the size ${d} is unknown: give values for the matrices it belongs to`);
    return n;
  };
  const memo = new Map<MExpr, Matrix>();
  const value = (n: MExpr): Matrix => {
    const hit = memo.get(n);
    if (hit) return hit;
    const v = compute(n, value, size, env);
    memo.set(n, v);
    return v;
  };
  return value(e);
}

function broadcast(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  if (isScalarValue(a) && !isScalarValue(b)) return b.map((row) => row.map((y) => f(a[0]![0]!, y)));
  if (isScalarValue(b)) return a.map((row) => row.map((x) => f(x, b[0]![0]!)));
  return a.map((row, i) => row.map((x, j) => f(x, b[i]![j]!)));
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  if (isScalarValue(a)) return b.map((row) => row.map((y) => a[0]![0]! * y));
  if (isScalarValue(b)) return a.map((row) => row.map((x) => x * b[0]![0]!));
  const n = b[0]!.length;
  return a.map((row) => {
    const out = new Array<number>(n).fill(0);
    row.forEach((x, k) => {
      const bk = b[k]!;
      for (let j = 0; j < n; j++) out[j]! += x * bk[j]!;
    });
    return out;
  });
}

function compute(n: MExpr, value: (e: MExpr) => Matrix, size: (d: Dim) => number, env: ReadonlyMap<string, Matrix>): Matrix {
  switch (n.kind) {
    case "const":
      return [[Q.toNumber(n.value)]];
    case "var": {
      const v = env.get(n.name);
      if (v) return v;
      const c = lookupConstant(n.name);
      if (c) return [[c.value]];
      throw new DeriveError(`no value given for ${n.name}`);
    }
    case "identity": {
      const k = size(n.shape.rows);
      return fill(k, k, (i, j) => (i === j ? 1 : 0));
    }
    case "ones":
      return fill(size(n.shape.rows), size(n.shape.cols), () => 1);
    case "literal":
      return n.entries.map((row) => row.map((x) => value(x)[0]![0]!));
    case "add":
      return n.args.map(value).reduce((a, b) => broadcast(a, b, (x, y) => x + y));
    case "mul":
      return n.args.map(value).reduce(matmul);
    case "hadamard":
      return n.args.map(value).reduce((a, b) => broadcast(a, b, (x, y) => x * y));
    case "pow": {
      const e = Q.toNumber(n.exp);
      return value(n.base).map((row) => row.map((x) => x ** e));
    }
    case "transpose": {
      const a = value(n.arg);
      return fill(a[0]!.length, a.length, (i, j) => a[j]![i]!);
    }
    case "apply": {
      if (!lookupFunction(n.fn)) throw new DeriveError(`${n.fn}${"'".repeat(n.order)} is a declared function without a formula: it has no values`);
      const f = scalarFunction(n.fn, n.order);
      return value(n.arg).map((row) => row.map(f));
    }
    case "trace": {
      const a = value(n.arg);
      return [[a.reduce((s, row, i) => s + row[i]!, 0)]];
    }
    case "sum":
      return [[value(n.arg).reduce((s, row) => row.reduce((t, x) => t + x, s), 0)]];
    case "norm":
      return [[Math.sqrt(value(n.arg).reduce((s, row) => row.reduce((t, x) => t + x * x, s), 0))]];
    case "diag": {
      const v = value(n.arg);
      return fill(v.length, v.length, (i, j) => (i === j ? v[i]![0]! : 0));
    }
    case "expect":
      // a value of E[·] needs a distribution; given values are taken as the expectation itself
      throw new DeriveError("E[…] has no value without a distribution; evaluate the expression inside it");
    case "entry":
      return [[value(n.arg)[n.row - 1]![n.col - 1]!]];
    case "unit":
      return fill(size(n.shape.rows), size(n.shape.cols), (i, j) => (i === n.row - 1 && j === n.col - 1 ? 1 : 0));
  }
  void env;
}

/** x ↦ f^(order)(x) for a registry function (derivatives through the scalar differentiator). */
export function scalarFunction(fn: string, order: number): (x: number) => number {
  if (order === 0) {
    const f = getFunction(fn);
    return (x) => f.evaluate(x);
  }
  let e: Expr = call(fn, sym("x"));
  for (let k = 0; k < order; k++) e = differentiate(e, "x");
  return (x) => evaluate(e, new Map([["x", x]]));
}

// ---------------------------------------------------------------------------------------------
// Exact values

export type ExactMatrix = Q.Rational[][];

/** Exact values of matrix constants: a literal of rationals, or arithmetic of such (C2's numbers). */
export class NotExact extends Error {}

/**
 * The exact value of `e` when every variable has an exact value and only rational operations
 * occur (sums, products, ⊙, integer powers, transposes, traces, sums); undefined otherwise, and
 * the caller falls back to doubles. Sheet C2's 0.4, 6.2 and 3.3 come out as written, not
 * 0.40000000000000036.
 */
export function evaluateMatrixExact(e: MExpr, env: ReadonlyMap<string, ExactMatrix>): ExactMatrix | undefined {
  const memo = new Map<MExpr, ExactMatrix>();
  const sizes = new Map<string, number>();
  for (const n of walkAll(e)) {
    if (n.kind !== "var") continue;
    const v = env.get(n.name);
    if (!v) return undefined;
    if (typeof n.shape.rows === "string") sizes.set(n.shape.rows, v.length);
    if (typeof n.shape.cols === "string") sizes.set(n.shape.cols, v[0]!.length);
  }
  const size = (d: Dim): number => {
    const n = typeof d === "number" ? d : sizes.get(d);
    if (n === undefined) throw new NotExact();
    return n;
  };
  const zip = (a: ExactMatrix, b: ExactMatrix, f: (x: Q.Rational, y: Q.Rational) => Q.Rational): ExactMatrix => {
    const as = a.length === 1 && a[0]!.length === 1;
    const bs = b.length === 1 && b[0]!.length === 1;
    if (as && !bs) return b.map((row) => row.map((y) => f(a[0]![0]!, y)));
    if (bs) return a.map((row) => row.map((x) => f(x, b[0]![0]!)));
    return a.map((row, i) => row.map((x, j) => f(x, b[i]![j]!)));
  };
  const product = (a: ExactMatrix, b: ExactMatrix): ExactMatrix => {
    if (a.length === 1 && a[0]!.length === 1) return b.map((row) => row.map((y) => Q.mul(a[0]![0]!, y)));
    if (b.length === 1 && b[0]!.length === 1) return a.map((row) => row.map((x) => Q.mul(x, b[0]![0]!)));
    return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => Q.add(s, Q.mul(x, b[k]![j]!)), Q.ZERO)));
  };
  const value = (n: MExpr): ExactMatrix => {
    const hit = memo.get(n);
    if (hit) return hit;
    let v: ExactMatrix;
    switch (n.kind) {
      case "const":
        v = [[n.value]];
        break;
      case "var":
        v = env.get(n.name)!;
        break;
      case "identity": {
        const k = size(n.shape.rows);
        v = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? Q.ONE : Q.ZERO)));
        break;
      }
      case "ones":
        v = Array.from({ length: size(n.shape.rows) }, () => Array.from({ length: size(n.shape.cols) }, () => Q.ONE));
        break;
      case "literal":
        v = n.entries.map((row) => row.map((x) => value(x)[0]![0]!));
        break;
      case "add":
        v = n.args.map(value).reduce((a, b) => zip(a, b, Q.add));
        break;
      case "mul":
        v = n.args.map(value).reduce(product);
        break;
      case "hadamard":
        v = n.args.map(value).reduce((a, b) => zip(a, b, Q.mul));
        break;
      case "pow":
        v = value(n.base).map((row) =>
          row.map((x) => {
            const p = Q.powRational(x, n.exp);
            if (!p) throw new NotExact();
            return p;
          }),
        );
        break;
      case "transpose": {
        const a = value(n.arg);
        v = a[0]!.map((_, j) => a.map((row) => row[j]!));
        break;
      }
      case "trace": {
        const a = value(n.arg);
        v = [[a.reduce((s, row, i) => Q.add(s, row[i]!), Q.ZERO)]];
        break;
      }
      case "sum":
        v = [[value(n.arg).reduce((s, row) => row.reduce((t, x) => Q.add(t, x), s), Q.ZERO)]];
        break;
      case "diag": {
        const a = value(n.arg);
        v = a.map((_, i) => a.map((__, j) => (i === j ? a[i]![0]! : Q.ZERO)));
        break;
      }
      case "entry":
        v = [[value(n.arg)[n.row - 1]![n.col - 1]!]];
        break;
      case "unit":
        v = Array.from({ length: size(n.shape.rows) }, (_, i) => Array.from({ length: size(n.shape.cols) }, (__, j) => (i === n.row - 1 && j === n.col - 1 ? Q.ONE : Q.ZERO)));
        break;
      default:
        throw new NotExact();
    }
    memo.set(n, v);
    return v;
  };
  try {
    return value(e);
  } catch (err) {
    if (err instanceof NotExact) return undefined;
    throw err;
  }
}

function walkAll(e: MExpr): MExpr[] {
  const out: MExpr[] = [];
  const seen = new Set<MExpr>();
  const stack = [e];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    out.push(n);
    stack.push(...children(n));
  }
  return out;
}

export const exactToNumbers = (m: ExactMatrix): Matrix => m.map((row) => row.map(Q.toNumber));

/**
 * The value of e, written in a program's names, at given values: exact where every value is
 * rational and only rational operations occur, else in doubles (sizes learned from the program).
 */
export function valueInProgram(
  program: MatrixProgram,
  e: MExpr,
  given: { readonly values: ReadonlyMap<string, Matrix>; readonly exact: ReadonlyMap<string, ExactMatrix> } | undefined,
): Matrix {
  const inlined = inlineProgram(program, e);
  const exact = evaluateMatrixExact(inlined, given?.exact ?? new Map());
  if (exact) return exactToNumbers(exact);
  return evaluateMatrix(inlined, given?.values ?? new Map(), [inlineProgram(program)]);
}
