/**
 * Matrix expressions written entry by entry: (W x + b)_i = Σ_k w_ik x_k + b_i, φ(z)_i = φ(z_i),
 * (A B)_ij = Σ_k a_ik b_kj, I_ij = δ_ij. Names of the program (inputs and defined names alike)
 * stay names: y = φ(z) gives y_i = φ(z_i), as the sheets write it.
 */
import { DeriveError } from "../errors.js";
import { lookupConstant } from "../functions/index.js";
import type { MatrixProgram } from "../matrix/build.js";
import { variables, type MExpr } from "../matrix/nodes.js";
import { isScalarShape, type Dim, type Shape } from "../matrix/shape.js";
import { add, apply, delta, entry, mul, num, ONE, pow, sumOver, type IExpr, type Index } from "./expr.js";

/** How many indices an entry of a name takes: 0 (scalar), 1 (vector) or 2 (matrix). */
export type Arity = 0 | 1 | 2;

/** What the translation needs to know about a program's names. */
export interface Naming {
  /** Indices of the name's entries (declared kind, or the shape of a definition). */
  arity(name: string): Arity;
  /** The base printed for the name's entries (w for W in the sheets' style). */
  label(name: string): string;
  /** A summation index never used before in this derivation. */
  fresh(): string;
}

export function arityOfShape(shape: Shape): Arity {
  if (isScalarShape(shape)) return 0;
  return shape.cols === 1 ? 1 : 2;
}

/**
 * Arity of every name of a program: declared (functions excluded), defined, and the scalars it
 * uses without declaring them (η in W - η G).
 */
export function arities(program: MatrixProgram): Map<string, Arity> {
  const out = new Map<string, Arity>();
  for (const d of program.declarations.values()) {
    if (d.kind === "function") continue;
    out.set(d.name, d.kind === "matrix" ? 2 : d.kind === "vector" ? 1 : 0);
  }
  for (const d of program.definitions) out.set(d.name, arityOfShape(d.body.shape));
  // a bare name at the end (…; z_i) is what the program asks about, not a scalar it uses
  const used = [...program.definitions.map((d) => d.body), ...(program.target.kind === "var" ? [] : [program.target])];
  for (const e of used) for (const v of variables(e)) if (!out.has(v.name) && !lookupConstant(v.name)) out.set(v.name, 0);
  return out;
}

/** The entry (row, col) of a variable: vectors take the row, row vectors the column. */
function variableEntry(name: string, shape: Shape, row: Index, col: Index, naming: Naming): IExpr {
  const arity = naming.arity(name);
  const label = naming.label(name);
  if (arity === 0) return entry(name, label, []);
  if (arity === 2) return entry(name, label, [row, col]);
  return entry(name, label, [shape.cols === 1 ? row : col]);
}

/** 1 for a dimension of size 1 (nothing to sum over), else a new summation index. */
const innerIndex = (d: Dim, naming: Naming): Index => (d === 1 ? 1 : naming.fresh());

/** Σ over the indices that are symbolic, innermost last. */
function sumsOver(indices: readonly { index: Index; range: Dim }[], body: IExpr): IExpr {
  let out = body;
  for (let m = indices.length - 1; m >= 0; m--) {
    const { index, range } = indices[m]!;
    if (typeof index === "string") out = sumOver(index, range, out);
  }
  return out;
}

/** The entry (row, col) of e; scalars (1 × 1) broadcast over sums and elementwise products. */
export function entryOf(e: MExpr, row: Index, col: Index, naming: Naming): IExpr {
  const at = (x: MExpr): IExpr => (isScalarShape(x.shape) && !isScalarShape(e.shape) ? entryOf(x, 1, 1, naming) : entryOf(x, row, col, naming));
  switch (e.kind) {
    case "const":
      return num(e.value);
    case "var":
      return variableEntry(e.name, e.shape, row, col, naming);
    case "add":
      return add(...e.args.map(at));
    case "hadamard":
      return mul(...e.args.map(at));
    case "pow":
      return pow(entryOf(e.base, row, col, naming), e.exp);
    case "apply":
      return apply(e.fn, entryOf(e.arg, row, col, naming), e.order);
    case "transpose":
      return entryOf(e.arg, col, row, naming);
    case "identity":
      return delta(row, col);
    case "ones":
      return ONE;
    case "diag":
      return mul(delta(row, col), entryOf(e.arg, row, 1, naming));
    case "mul":
      return productEntry(e.args, row, col, naming);
    case "trace": {
      const k = innerIndex(e.arg.shape.rows, naming);
      return sumsOver([{ index: k, range: e.arg.shape.rows }], entryOf(e.arg, k, k, naming));
    }
    case "sum": {
      const a = innerIndex(e.arg.shape.rows, naming);
      const b = innerIndex(e.arg.shape.cols, naming);
      return sumsOver([{ index: a, range: e.arg.shape.rows }, { index: b, range: e.arg.shape.cols }], entryOf(e.arg, a, b, naming));
    }
    case "norm": {
      const a = innerIndex(e.arg.shape.rows, naming);
      const b = innerIndex(e.arg.shape.cols, naming);
      const squares = sumsOver([{ index: a, range: e.arg.shape.rows }, { index: b, range: e.arg.shape.cols }], pow(entryOf(e.arg, a, b, naming), 2));
      return pow(squares, { n: 1n, d: 2n });
    }
    case "literal": {
      if (typeof row !== "number" || typeof col !== "number") {
        throw new DeriveError("an entry of a matrix literal with a symbolic index has no single formula; name the literal's entries (declare it as a matrix)");
      }
      return entryOf(e.entries[row - 1]![col - 1]!, 1, 1, naming);
    }
    case "expect":
      throw new DeriveError("E[…] has no entrywise form here; write the expression inside it");
    case "entry":
      return entryOf(e.arg, e.row, e.col, naming);
    case "unit":
      return mul(delta(row, e.row), delta(col, e.col));
  }
}

/** (A B C)_rc = Σ_k Σ_l a_rk b_kl c_lc; scalar factors multiply every entry. */
function productEntry(args: readonly MExpr[], row: Index, col: Index, naming: Naming): IExpr {
  const scalars = args.filter((a) => isScalarShape(a.shape));
  const matrices = args.filter((a) => !isScalarShape(a.shape));
  if (matrices.length === 0) return mul(...scalars.map((s) => entryOf(s, 1, 1, naming)));
  const chain: { index: Index; range: Dim }[] = [];
  for (let m = 0; m + 1 < matrices.length; m++) {
    const range = matrices[m]!.shape.cols;
    chain.push({ index: innerIndex(range, naming), range });
  }
  const indices: Index[] = [row, ...chain.map((c) => c.index), col];
  const factors = matrices.map((m, t) => entryOf(m, indices[t]!, indices[t + 1]!, naming));
  return mul(...scalars.map((s) => entryOf(s, 1, 1, naming)), sumsOver(chain, mul(...factors)));
}
