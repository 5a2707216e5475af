/**
 * Numbers for index expressions: entries read from matrix values (1-based indices), deltas 1 or
 * 0, sums run over the sizes the values give. Used to check derived entry formulas against
 * finite differences of the matrix program.
 */
import * as Q from "../ast/rational.js";
import { DeriveError } from "../errors.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import type { MatrixProgram } from "../matrix/build.js";
import type { Dim } from "../matrix/shape.js";
import { evaluateMatrix, scalarFunction, type Matrix } from "../numeric/matrix.js";
import { apply as mapply, rewrite, type MExpr } from "../matrix/nodes.js";
import type { IExpr, Index } from "./expr.js";

export interface IndexValues {
  /** Values of the program's names (inputs, and defined names an expression mentions). */
  readonly values: ReadonlyMap<string, Matrix>;
  /** Values of the free symbolic indices (1-based). */
  readonly indices: ReadonlyMap<string, number>;
  /** The size of each dimension a sum runs over. */
  readonly size: (d: Dim) => number;
  /** A built-in function standing for each declared one (φ1 → tanh), for numbers. */
  readonly functions?: ReadonlyMap<string, string>;
  /** ∂of/∂T as a matrix, for an unspecified scalar `of`: by "of/T", or by `of` (C1's one T). */
  readonly gradients?: ReadonlyMap<string, Matrix>;
  /** The caller has run checkWork on the expression (once for many evaluations). */
  readonly checked?: boolean;
  /** Entries of names without a value in `values` (an index program's definitions, z_i). */
  readonly entry?: (name: string, indices: readonly number[]) => number | undefined;
}


/** Sizes of a program's named dimensions, learned from values of its declared names. */
export function programSizes(program: MatrixProgram, values: ReadonlyMap<string, Matrix>): (d: Dim) => number {
  const dims = new Map<string, number>();
  const shapes = [...program.declarations.values()].map((d) => ({ name: d.name, shape: d.shape }));
  for (const { name, shape } of shapes) {
    const v = values.get(name);
    if (!v) continue;
    if (typeof shape.rows === "string") dims.set(shape.rows, v.length);
    if (typeof shape.cols === "string") dims.set(shape.cols, v[0]!.length);
  }
  return (d) => {
    if (typeof d === "number") return d;
    const n = dims.get(d);
    if (n === undefined) throw new DeriveError(`the size ${d} is unknown: give values for the names it belongs to`);
    return n;
  };
}

/**
 * Most terms the sums of one evaluation may run over (nested sums multiply): a typo such as
 * n = 100000 under two sums would otherwise run for hours.
 */
const MAX_TERMS = 50_000_000;

/** How many terms the sums of e run over in all (nested sums multiply), counted before running them. */
function sumTerms(e: IExpr, size: (d: Dim) => number): number {
  const memo = new Map<IExpr, number>();
  const go = (n: IExpr): number => {
    const seen = memo.get(n);
    if (seen !== undefined) return seen;
    let out = 0;
    if (n.kind === "sum") out = size(n.range) * (1 + go(n.body));
    else if (n.kind === "add") out = n.terms.reduce((t, x) => t + go(x), 0);
    else if (n.kind === "mul") out = n.factors.reduce((t, x) => t + go(x), 0);
    else if (n.kind === "pow") out = go(n.base);
    else if (n.kind === "apply") out = go(n.arg);
    memo.set(n, out);
    return out;
  };
  return go(e);
}

/** Refuses an expression whose sums would run over more than MAX_TERMS terms at these sizes. */
export function checkWork(e: IExpr, size: (d: Dim) => number): void {
  if (sumTerms(e, size) > MAX_TERMS) throw new DeriveError(`the sums run over more than ${MAX_TERMS.toLocaleString("en")} terms in all: give smaller sizes`);
}

/** The value of an index expression at the given values and indices. */
export function evaluateIndex(e: IExpr, at: IndexValues): number {
  if (at.checked !== true) checkWork(e, at.size);
  const fns = new Map<string, (x: number) => number>();
  const fnOf = (fn: string, order: number): ((x: number) => number) => {
    const key = `${fn}'${order}`;
    let f = fns.get(key);
    if (!f) {
      const builtin = lookupFunction(fn) ? fn : at.functions?.get(fn);
      if (!builtin) throw new DeriveError(`${fn} is a declared function without a formula: it has no values`);
      f = scalarFunction(builtin, order);
      fns.set(key, f);
    }
    return f;
  };
  const indices = new Map(at.indices);
  const indexValue = (i: Index): number => {
    if (typeof i === "number") return i;
    const v = indices.get(i);
    if (v === undefined) throw new DeriveError(`no value for the index ${i}`);
    return v;
  };
  const read = (m: Matrix, idx: readonly Index[], what: string): number => {
    const [r, c] = idx.length === 0 ? [1, 1] : idx.length === 1 ? [indexValue(idx[0]!), 1] : [indexValue(idx[0]!), indexValue(idx[1]!)];
    const v = m[r - 1]?.[c - 1];
    if (v === undefined) throw new DeriveError(`${what} has no entry (${r}, ${c})`);
    return v;
  };
  const value = (n: IExpr): number => {
    switch (n.kind) {
      case "num":
        return Q.toNumber(n.value);
      case "entry": {
        const m = at.values.get(n.name);
        if (m) return read(m, n.indices, n.name);
        const computed = at.entry?.(n.name, n.indices.map(indexValue));
        if (computed !== undefined) return computed;
        const c = lookupConstant(n.name);
        if (c && n.indices.length === 0) return c.value;
        throw new DeriveError(`no value for ${n.name}`);
      }
      case "delta":
        return indexValue(n.a) === indexValue(n.b) ? 1 : 0;
      case "grad": {
        // by the pair (∂L/∂Y: "L/Y"), or by the scalar alone when it has one gradient (C1's L)
        const m = at.gradients?.get(`${n.of.name}/${n.entry.name}`) ?? at.gradients?.get(n.of.name);
        if (!m) throw new DeriveError(`no value for the gradient of ${n.of.name}`);
        return read(m, n.entry.indices, `∂${n.of.name}/∂${n.entry.name}`);
      }
      case "sum": {
        const saved = indices.get(n.index);
        let total = 0;
        const size = at.size(n.range);
        for (let k = 1; k <= size; k++) {
          indices.set(n.index, k);
          total += value(n.body);
        }
        if (saved === undefined) indices.delete(n.index);
        else indices.set(n.index, saved);
        return total;
      }
      case "add":
        return n.terms.reduce((s, t) => s + value(t), 0);
      case "mul":
        return n.factors.reduce((p, f) => p * value(f), 1);
      case "pow":
        return value(n.base) ** Q.toNumber(n.exp);
      case "apply":
        return fnOf(n.fn, n.order)(value(n.arg));
    }
  };
  return value(e);
}

/** e with each declared function replaced by the built-in standing for it (φ → tanh). */
export function withFunctions(e: MExpr, functions: ReadonlyMap<string, string>): MExpr {
  return rewrite(e, (n) => {
    if (n.kind !== "apply") return undefined;
    const builtin = functions.get(n.fn);
    return builtin === undefined ? undefined : mapply(builtin, withFunctions(n.arg, functions), n.order);
  });
}

/**
 * The inputs and the value of every definition of the program, in order (a derived entry formula
 * mentions defined names: φ'(z_i) needs z). Declared functions take the built-ins of `functions`.
 */
export function programValues(program: MatrixProgram, inputs: ReadonlyMap<string, Matrix>, functions: ReadonlyMap<string, string> = new Map()): Map<string, Matrix> {
  const values = new Map(inputs);
  for (const d of program.definitions) values.set(d.name, evaluateMatrix(withFunctions(d.body, functions), values));
  return values;
}

/**
 * The value of an index expression of a program (a derivative's result) at input values and
 * index values: defined names are computed from the inputs, sizes read from them.
 */
export function valueInProgram(
  program: MatrixProgram,
  e: IExpr,
  inputs: ReadonlyMap<string, Matrix>,
  indices: ReadonlyMap<string, number>,
  options: { readonly functions?: ReadonlyMap<string, string>; readonly gradients?: ReadonlyMap<string, Matrix> } = {},
): number {
  const functions = options.functions ?? new Map<string, string>();
  const values = programValues(program, inputs, functions);
  return evaluateIndex(e, { values, indices, size: programSizes(program, inputs), functions, ...(options.gradients ? { gradients: options.gradients } : {}) });
}
