/**
 * Numbers of index programs: sizes read from the inputs summed up to them, definitions computed
 * entry by entry from the inputs, values of results with free indices one per entry.
 */
import { DeriveError } from "../errors.js";
import type { Dim } from "../matrix/shape.js";
import type { Matrix } from "../numeric/matrix.js";
import { checkWork, evaluateIndex } from "./evaluate.js";
import { forEachEntry, mul, type IExpr } from "./expr.js";
import type { Arity } from "./from-matrix.js";
import type { IndexProgram } from "./program-build.js";

// ---------------------------------------------------------------------------------------------
// Numbers

export interface IndexProgramValues {
  /** Values of the inputs (scalars as 1×1, vectors as columns); sizes may be given as numbers. */
  readonly values: ReadonlyMap<string, Matrix>;
  /** Values of free indices (z_i at i = 2). */
  readonly indices?: ReadonlyMap<string, number>;
  /** Values of gradients a step names (∂f/∂z_i: by "f/z"), see evaluate.ts. */
  readonly gradients?: ReadonlyMap<string, Matrix>;
}

/** The size a sum runs to: given as a number, else the length of an input indexed up to it. */
function sizeOf(p: IndexProgram, values: ReadonlyMap<string, Matrix>, d: Dim): number {
  if (typeof d === "number") return d;
  const given = values.get(d);
  if (given) {
    const v = given[0]![0]!;
    if (!Number.isInteger(v) || v < 1) throw new DeriveError(`${d} is the size of a sum: give a whole number of at least 1, not ${v}`);
    return v;
  }
  let found: { name: string; length: number } | undefined;
  for (const [name, ranges] of p.ranges) {
    const m = values.get(name);
    ranges.forEach((range, at) => {
      if (!m || range !== d) return;
      const length = at === 0 ? m.length : m[0]!.length;
      if (found && found.length !== length) {
        throw new DeriveError(`${found.name} has ${found.length} entries and ${name} has ${length}, but both are summed up to ${d}`);
      }
      found ??= { name, length };
    });
  }
  if (found) return found.length;
  throw new DeriveError(`the size ${d} is unknown: give ${d} or the values of an input summed up to it`);
}

/** A value fits a name's entries: a number for a scalar, a list (a column) for a vector. */
function checkShape(name: string, arity: Arity, m: Matrix): void {
  const shape = `${m.length}×${m[0]!.length}`;
  if (arity === 0 && (m.length !== 1 || m[0]!.length !== 1)) throw new DeriveError(`${name} is a scalar, but its value is ${shape}`);
  if (arity === 1 && m[0]!.length !== 1) throw new DeriveError(`${name} is a vector (${name}_i): give a list such as [1, 2, 3], not a ${shape} matrix`);
}

/** The value of an expression of the program (definitions computed from the inputs). */
export function indexProgramValue(p: IndexProgram, e: IExpr, at: IndexProgramValues): number {
  return programEvaluator(p, at)(e, at.indices ?? new Map());
}

/**
 * Values of expressions of the program at one set of inputs, for many expressions or indices:
 * the inputs checked, sizes read and the entries of definitions computed once for all of them.
 */
function programEvaluator(p: IndexProgram, at: IndexProgramValues): (e: IExpr, indices: ReadonlyMap<string, number>) => number {
  const missing = p.inputs.filter((n) => !at.values.has(n));
  if (missing.length > 0) throw new DeriveError(`no value for ${missing.join(", ")}`);
  for (const name of p.inputs) checkShape(name, p.arities.get(name) ?? 0, at.values.get(name)!);
  const values = new Map(at.values);
  for (const n of p.sizes) if (!values.has(n)) values.set(n, [[sizeOf(p, at.values, n)]]);
  const defs = new Map(p.definitions.map((d) => [d.name, d]));
  const memo = new Map<string, number>();
  const size = (d: Dim): number => sizeOf(p, values, d);
  // the work of an expression does not depend on its indices: checked once each
  const checked = new Set<IExpr>();
  const check = (e: IExpr): void => {
    if (checked.has(e)) return;
    checkWork(e, size);
    checked.add(e);
  };
  const entryValue = (name: string, indices: readonly number[]): number | undefined => {
    const d = defs.get(name);
    if (!d) return undefined;
    const key = `${name}[${indices.join(",")}]`;
    let v = memo.get(key);
    if (v === undefined) {
      check(d.body);
      v = evaluateIndex(d.body, { values, indices: new Map(d.indices.map((l, m) => [l, indices[m]!])), size, entry: entryValue, checked: true });
      memo.set(key, v);
    }
    return v;
  };
  return (e, indices) => {
    check(e);
    return evaluateIndex(e, { values, indices, size, entry: entryValue, checked: true, ...(at.gradients ? { gradients: at.gradients } : {}) });
  };
}

/** The range of each free index of e, where a sum of the program gave it (undefined elsewhere). */
export function freeIndexRanges(p: IndexProgram, e: IExpr, fallback: ReadonlyMap<string, Dim> = new Map()): Map<string, Dim | undefined> {
  const out = new Map<string, Dim | undefined>();
  forEachEntry(e, (n) => {
    n.indices.forEach((i, m) => {
      if (typeof i === "string" && e.free.includes(i) && out.get(i) === undefined) out.set(i, p.ranges.get(n.name)?.[m] ?? fallback.get(i));
    });
  });
  return out;
}

/**
 * The size an index of e runs over: the range a sum gave the entries it indexes, else the length
 * of a given input it indexes, else what the definition of a defined name it indexes says
 * (z_i = Σ_j w_ij x_j: i runs over the rows of w).
 */
function indexSize(p: IndexProgram, e: IExpr, index: string, values: ReadonlyMap<string, Matrix>, visited: Set<string> = new Set()): number | undefined {
  const defs = new Map(p.definitions.map((d) => [d.name, d]));
  let size: number | undefined;
  forEachEntry(e, (n) => {
    n.indices.forEach((i, m) => {
      if (size !== undefined || i !== index) return;
      const range = p.ranges.get(n.name)?.[m];
      const value = values.get(n.name);
      const d = defs.get(n.name);
      if (range !== undefined) size = sizeOf(p, values, range);
      else if (value) size = m === 0 ? value.length : value[0]!.length;
      else if (d && !visited.has(`${d.name}/${m}`)) size = indexSize(p, d.body, d.indices[m]!, values, visited.add(`${d.name}/${m}`));
    });
  });
  return size;
}

/**
 * The value of e at the given values (inputs and sizes; a value for a free index of e, i=2, fixes
 * it): a number, or one per entry when e has free indices, in the order of `order` (the rest
 * after): a vector for one, a matrix for two (∂f/∂w_kl is shaped like w). `context` holds the
 * entries the indices also belong to (the variables of a derivative), for their ranges.
 */
export function valuesOver(p: IndexProgram, e: IExpr, given: ReadonlyMap<string, Matrix>, order: readonly string[] = [], context: readonly IExpr[] = []): Matrix {
  const indices = new Map<string, number>();
  const inputs = new Map<string, Matrix>();
  // the indices of e and of its context (∂/∂x_j: j, even where the result has no j)
  const all = mul(e, ...context);
  for (const [name, m] of given) {
    if (all.free.includes(name) && !p.arities.has(name)) indices.set(name, m[0]![0]!);
    else inputs.set(name, m);
  }
  for (const [index, v] of indices) {
    const size = indexSize(p, all, index, inputs);
    if (!Number.isInteger(v) || v < 1 || (size !== undefined && v > size)) throw new DeriveError(`the index ${index} = ${v} is out of range: it runs from 1 to ${size ?? "its size"}`);
  }
  // a value per entry of the context too: ∂/∂x_j of Σ_i x_i is 1 for every j, shaped like x
  const free = [...order.filter((i) => all.free.includes(i)), ...all.free.filter((i) => !order.includes(i))].filter((i) => !indices.has(i));
  if (free.length > 2) throw new DeriveError(`the result has ${free.length} free indices (${free.join(", ")}): give some of them a value (${free[0]}=1)`);
  const sizes = free.map((i) => {
    const size = indexSize(p, all, i, inputs);
    if (size === undefined) throw new DeriveError(`the range of the index ${i} is unknown: give it a value (${i}=1)`);
    return size;
  });
  const evaluate = programEvaluator(p, { values: inputs });
  const at = (r: number, c: number): number => {
    const own = new Map(indices);
    if (free[0] !== undefined) own.set(free[0], r);
    if (free[1] !== undefined) own.set(free[1], c);
    return evaluate(e, own);
  };
  return Array.from({ length: sizes[0] ?? 1 }, (_, r) => Array.from({ length: sizes[1] ?? 1 }, (_, c) => at(r + 1, c + 1)));
}

