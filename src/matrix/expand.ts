/**
 * A matrix expression with concrete sizes written out entry by entry: a matrix (array of rows) of
 * scalar expressions (src/ast), so the scalar machinery — exact evaluation, symbolic gradients,
 * compiled reverse mode, descent, finite differences — applies to matrix programs unchanged.
 *
 * Entry names: each entry of a variable becomes a scalar symbol, named canonically (as the parser
 * would read the subscripted name, see canonicalName):
 *   a scalar s            s                      (the variable itself)
 *   a column vector x     x_{i} → x1, x2, …      (a run of digits joins the name, as x_1 reads)
 *   any other matrix W    W_{i,j} → W_1_2, …     (row and column, underscores between)
 * Indices are 1-based, as the sheets write them. A scalar of the program that has the name of an
 * entry (a scalar x1 beside a vector x) would be confused with it, so that is refused.
 *
 * Elementwise functions become scalar calls (Φ' of a registry function its scalar derivative);
 * products, sums, transposes, traces, norms and the rest are multiplied out. Declared functions
 * without a formula (Φ: function) and expectations have no entries, and are refused.
 */
import { add, call, HALF, mul, num, ONE, pow, substitute, sym, ZERO, type Expr } from "../ast/index.js";
import { differentiate } from "../diff/differentiate.js";
import { DeriveError } from "../errors.js";
import { lookupFunction } from "../functions/index.js";
import { canonicalName } from "../parse/names.js";
import { variables, type MExpr, type MVar } from "./nodes.js";
import { formatShape, type Dim, type Shape } from "./shape.js";

/** A matrix of scalar expressions, row by row (a scalar is 1 × 1). */
export type ScalarMatrix = Expr[][];

/** A shape with every size known. */
export interface ConcreteShape {
  readonly rows: number;
  readonly cols: number;
}

/** The scalar name of entry (i, j) (1-based) of the variable `name` of the given shape. */
export function entryName(name: string, shape: ConcreteShape, i: number, j: number): string {
  if (shape.rows === 1 && shape.cols === 1) return name;
  const subscript = shape.cols === 1 ? `${i}` : `${i},${j}`;
  try {
    return canonicalName(`${name}_{${subscript}}`);
  } catch {
    // names the subscript syntax cannot extend (_tmp) keep plain underscores
    return shape.cols === 1 ? `${name}_${i}` : `${name}_${i}_${j}`;
  }
}

/** The entry names of a variable, row by row. */
export function entryNames(name: string, shape: ConcreteShape): string[][] {
  return Array.from({ length: shape.rows }, (_, i) => Array.from({ length: shape.cols }, (_, j) => entryName(name, shape, i + 1, j + 1)));
}

/**
 * Sizes of named dimensions (`vector(d)`) learned from the concrete shapes of variables (the
 * shapes of their values); a size that two shapes give differently is an error.
 */
export function sizesFromShapes(e: MExpr, shapes: ReadonlyMap<string, ConcreteShape>): Map<string, number> {
  const sizes = new Map<string, number>();
  const bind = (d: Dim, n: number, v: MVar): void => {
    if (typeof d === "number") {
      if (d !== n) throw new DeriveError(`${v.name} is ${formatShape(v.shape)}, but its value is ${formatShape(shapes.get(v.name)!)}`);
      return;
    }
    const known = sizes.get(d);
    if (known !== undefined && known !== n) throw new DeriveError(`size ${d} is ${known} elsewhere but ${n} in the value of ${v.name}`);
    sizes.set(d, n);
  };
  for (const v of variables(e)) {
    const s = shapes.get(v.name);
    if (!s) continue;
    bind(v.shape.rows, s.rows, v);
    bind(v.shape.cols, s.cols, v);
  }
  return sizes;
}

/** The concrete shape of `shape`, sizes by name from `sizes`. */
export function concreteShape(shape: Shape, sizes: ReadonlyMap<string, number>): ConcreteShape {
  const size = (d: Dim): number => {
    if (typeof d === "number") return d;
    const n = sizes.get(d);
    if (n === undefined) throw new DeriveError(`the size ${d} is unknown: give values for the matrices it belongs to`);
    return n;
  };
  return { rows: size(shape.rows), cols: size(shape.cols) };
}

const fill = (rows: number, cols: number, f: (i: number, j: number) => Expr): ScalarMatrix =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));

const isOneByOne = (m: ScalarMatrix): boolean => m.length === 1 && m[0]!.length === 1;

/** Entrywise a ∘ b; a 1 × 1 operand applies to every entry (1 - σ(h), as the builder allows). */
function zip(a: ScalarMatrix, b: ScalarMatrix, f: (x: Expr, y: Expr) => Expr): ScalarMatrix {
  if (isOneByOne(a) && !isOneByOne(b)) return b.map((row) => row.map((y) => f(a[0]![0]!, y)));
  if (isOneByOne(b)) return a.map((row) => row.map((x) => f(x, b[0]![0]!)));
  return a.map((row, i) => row.map((x, j) => f(x, b[i]![j]!)));
}

/** The matrix product; a 1 × 1 factor scales. */
function product(a: ScalarMatrix, b: ScalarMatrix): ScalarMatrix {
  if (isOneByOne(a) || isOneByOne(b)) return zip(a, b, (x, y) => mul(x, y));
  return a.map((row) => b[0]!.map((_, j) => add(...row.map((x, k) => mul(x, b[k]![j]!)))));
}

const allEntries = (m: ScalarMatrix): Expr[] => m.flat();

/** x ↦ f^(order)(x) as a scalar expression in a placeholder, substituted per entry. */
function elementwise(fn: string, order: number): (x: Expr) => Expr {
  if (!lookupFunction(fn)) throw new DeriveError(`${fn}${"'".repeat(order)} is a declared function without a formula: its entries cannot be written out`);
  if (order === 0) return (x) => call(fn, x);
  // the placeholder never meets a program name: substitute does not look inside replacements
  const placeholder = sym("_x");
  let d: Expr = call(fn, placeholder);
  for (let k = 0; k < order; k++) d = differentiate(d, placeholder);
  return (x) => substitute(d, new Map([[placeholder, x]]));
}

/**
 * The entries of `e` as scalar expressions. Every size must be a number or named in `sizes`
 * (sizesFromShapes gives them from the values' shapes).
 */
export function expandMatrix(e: MExpr, sizes: ReadonlyMap<string, number> = new Map()): ScalarMatrix {
  checkEntryNames(e, sizes);
  const memo = new Map<MExpr, ScalarMatrix>();
  const value = (n: MExpr): ScalarMatrix => {
    const hit = memo.get(n);
    if (hit) return hit;
    const v = expandNode(n, value, sizes);
    memo.set(n, v);
    return v;
  };
  return value(e);
}

function expandNode(n: MExpr, value: (e: MExpr) => ScalarMatrix, sizes: ReadonlyMap<string, number>): ScalarMatrix {
  switch (n.kind) {
    case "const":
      return [[num(n.value)]];
    case "var": {
      const shape = concreteShape(n.shape, sizes);
      return entryNames(n.name, shape).map((row) => row.map(sym));
    }
    case "identity": {
      const k = concreteShape(n.shape, sizes).rows;
      return fill(k, k, (i, j) => (i === j ? ONE : ZERO));
    }
    case "ones": {
      const s = concreteShape(n.shape, sizes);
      return fill(s.rows, s.cols, () => ONE);
    }
    case "literal":
      return n.entries.map((row) => row.map((x) => value(x)[0]![0]!));
    case "add":
      return n.args.map(value).reduce((a, b) => zip(a, b, (x, y) => add(x, y)));
    case "mul":
      return n.args.map(value).reduce(product);
    case "hadamard":
      return n.args.map(value).reduce((a, b) => zip(a, b, (x, y) => mul(x, y)));
    case "pow": {
      const exponent = num(n.exp);
      return value(n.base).map((row) => row.map((x) => pow(x, exponent)));
    }
    case "transpose": {
      const a = value(n.arg);
      return fill(a[0]!.length, a.length, (i, j) => a[j]![i]!);
    }
    case "apply": {
      const f = elementwise(n.fn, n.order);
      return value(n.arg).map((row) => row.map(f));
    }
    case "trace":
      return [[add(...value(n.arg).map((row, i) => row[i]!))]];
    case "sum":
      return [[add(...allEntries(value(n.arg)))]];
    case "norm":
      return [[pow(add(...allEntries(value(n.arg)).map((x) => mul(x, x))), HALF)]];
    case "diag": {
      const v = value(n.arg);
      return fill(v.length, v.length, (i, j) => (i === j ? v[i]![0]! : ZERO));
    }
    case "expect":
      throw new DeriveError("E[…] has no entries without a distribution; write out the expression inside it");
    case "entry":
      return [[value(n.arg)[n.row - 1]![n.col - 1]!]];
    case "unit": {
      const s = concreteShape(n.shape, sizes);
      return fill(s.rows, s.cols, (i, j) => (i === n.row - 1 && j === n.col - 1 ? ONE : ZERO));
    }
  }
}

/** Refuses a scalar variable whose name is also the name of another variable's entry (x1 and x). */
function checkEntryNames(e: MExpr, sizes: ReadonlyMap<string, number>): void {
  const vars = variables(e);
  const scalars = new Set(vars.filter((v) => v.shape.rows === 1 && v.shape.cols === 1).map((v) => v.name));
  for (const v of vars) {
    if (scalars.has(v.name)) continue;
    const clash = entryNames(v.name, concreteShape(v.shape, sizes))
      .flat()
      .find((name) => scalars.has(name));
    if (clash !== undefined) throw new DeriveError(`the scalar ${clash} has the name of an entry of ${v.name}: rename one of them`);
  }
}
