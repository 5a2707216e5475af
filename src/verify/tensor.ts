/**
 * Vectors and matrices of scalar expressions: tuples `(-6, 6)`, `[[2, -1], [-1, 2]]`, pmatrix and
 * bmatrix, gradients `∇f` and Hessians `∇²f`. Each is read as a placeholder symbol in an otherwise
 * scalar side, so one side may combine them linearly (`(6, 6) - \frac{1}{2} \nabla f(6, 6)`);
 * the side's components are the side with every placeholder replaced by its component.
 *
 * Only linear combinations with numeric factors are allowed: a product with a symbol (`W x`,
 * `[[1, 0.1]] x`) could be a matrix product, and symbolic matrix calculus is not done here.
 */
import { freeSymbols, postorder, substitute, sym, type Expr, type Sym } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { differentiateSafe } from "./deps.js";
import { isConstantName, type Context } from "./context.js";
import { MATRIX_CALCULUS, Unsupported } from "./types.js";
import type { Side } from "./compare.js";

/** A vector ([n]) or matrix ([rows, cols]) of sides, row-major. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly entries: readonly Side[];
}

const PREFIX = "__t";
export const isPlaceholder = (name: string): boolean => name.startsWith(PREFIX);

/** Placeholders of one side: each stands for a tensor until the side's components are formed. */
export class Tensors {
  private readonly map = new Map<string, Tensor>();
  private static counter = 0;

  /** A fresh placeholder symbol standing for `tensor`. */
  add(tensor: Tensor): Sym {
    const name = `${PREFIX}${Tensors.counter++}`;
    this.map.set(name, tensor);
    return sym(name);
  }

  get size(): number {
    return this.map.size;
  }

  get(name: string): Tensor | undefined {
    return this.map.get(name);
  }

  /** Any shape the side's tensors have (for a side where they cancelled, as in 0·(1, 2)). */
  anyShape(): readonly number[] | undefined {
    return this.map.values().next().value?.shape;
  }
}

/** A column matrix is a vector (vectors are columns). */
export function normaliseShape(shape: readonly number[]): number[] {
  return shape.length === 2 && shape[1] === 1 ? [shape[0]!] : [...shape];
}

/** The tensor of a list of items: a vector, or a matrix when every item is a row of the same length. */
export function fromRows(rows: readonly (readonly Side[])[], isMatrix: boolean): Tensor {
  if (!isMatrix) return { shape: [rows.length], entries: rows.map((r) => r[0]!) };
  const cols = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== cols)) throw new DeriveError("the rows of a matrix must have the same number of entries");
  return { shape: normaliseShape([rows.length, cols]), entries: rows.flat() };
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

/** "2 components" / "a 2×2 matrix" for reasons. */
export function describeShape(shape: readonly number[]): string {
  return shape.length === 1 ? `a vector with ${shape[0]} component${shape[0] === 1 ? "" : "s"}` : `a ${shape.join("×")} matrix`;
}

/** The label of entry k in reasons: "component 2" or "entry (1, 2)" (1-based). */
export function entryLabel(shape: readonly number[], k: number): string {
  if (shape.length === 1) return `component ${k + 1}`;
  const cols = shape[1]!;
  return `entry (${Math.floor(k / cols) + 1}, ${(k % cols) + 1})`;
}

/** The side's value is a numeric factor: no variables once definitions and given values are in. */
function isNumeric(e: Expr, context: Context): boolean {
  return freeSymbols(context.withValues(context.inline(e))).every((s) => isConstantName(s.name));
}

const mentions = (e: Expr, names: ReadonlySet<string>): boolean => postorder(e).some((x) => x.kind === "sym" && names.has(x.name));

/**
 * Checks that e is a linear combination of placeholders with numeric factors: every term holds
 * exactly one placeholder (a vector plus a number is no vector), every factor beside it is a number.
 */
function checkLinear(e: Expr, names: ReadonlySet<string>, context: Context): void {
  if (e.kind === "sym" && names.has(e.name)) return;
  if (e.kind === "add") {
    for (const t of e.args) {
      if (!mentions(t, names)) throw new Unsupported("a vector or matrix plus a number is not defined: add vectors of the same size");
      checkLinear(t, names, context);
    }
    return;
  }
  if (e.kind === "mul") {
    const shaped = e.args.filter((f) => mentions(f, names));
    if (shaped.length > 1) throw new Unsupported("products of vectors or matrices need matrix calculus, which derive check does not do yet");
    for (const f of e.args) {
      if (f !== shaped[0] && !isNumeric(f, context)) throw new Unsupported(MATRIX_CALCULUS);
    }
    checkLinear(shaped[0]!, names, context);
    return;
  }
  throw new Unsupported("functions and powers of vectors or matrices are not supported (only sums and numeric multiples)");
}

/**
 * The components of a side holding placeholders. A side that is one tensor as written keeps its
 * entries (their literals and derivatives); a combination gets plain entries.
 */
export function assemble(expr: Expr, tensors: Tensors, context: Context): Tensor {
  const used = new Set(freeSymbols(expr).map((s) => s.name).filter((n) => tensors.get(n) !== undefined));
  if (used.size === 0) {
    // the vectors cancelled when the side was built (0·(1, 2)): a constant vector of that shape
    const shape = tensors.anyShape() ?? [1];
    return { shape, entries: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => ({ text: "entry", expr })) };
  }
  if (expr.kind === "sym") return tensors.get(expr.name)!;
  checkLinear(expr, used, context);
  const parts = [...used].map((n) => [n, tensors.get(n)!] as const);
  const shape = parts[0]![1].shape;
  for (const [, t] of parts) {
    if (!sameShape(t.shape, shape)) throw new Unsupported(`${describeShape(t.shape)} and ${describeShape(shape)} cannot be added`);
  }
  const entries = shape.reduce((a, b) => a * b, 1);
  const out: Side[] = [];
  for (let k = 0; k < entries; k++) {
    const replacements = new Map<Expr, Expr>(parts.map(([n, t]) => [sym(n), t.entries[k]!.expr]));
    const e = substitute(expr, replacements);
    out.push({ text: entryLabel(shape, k), expr: e });
  }
  return { shape, entries: out };
}

/**
 * The variables of ∇f: a user function's parameters in order; for a defined name, its variables
 * in order of first appearance in its definition as written (`order`), given values left out.
 */
export function gradientVariables(name: string, context: Context, order: (name: string) => readonly string[]): { variables: string[]; body: Expr } {
  const f = context.functions.get(name);
  if (f) return { variables: [...f.params], body: context.inline(f.body, new Set(f.params)) };
  if (!context.defs.has(name)) {
    throw new DeriveError(`∇${name}: ${name} is not defined; define it first, as in ${name}(x_1, x_2) = …`);
  }
  const body = context.inline(sym(name));
  const free = new Set(freeSymbols(body).map((s) => s.name));
  const variables: string[] = [];
  const visit = (n: string, seen: Set<string>): void => {
    for (const v of order(n)) {
      if (seen.has(v)) continue;
      seen.add(v);
      if (context.defs.has(v)) visit(v, seen);
      else if (free.has(v) && !context.values.has(v) && !variables.includes(v)) variables.push(v);
    }
  };
  visit(name, new Set([name]));
  // names the recorded order missed (definitions given without their text) come last, sorted
  for (const v of [...free].sort()) if (!variables.includes(v) && !context.values.has(v) && !isConstantName(v)) variables.push(v);
  return { variables, body };
}

/** ∇f (order 1) or the Hessian ∇²f (order 2) of a defined name, optionally at a point. */
export function derivativeTensor(
  name: string,
  order: 1 | 2,
  point: readonly Expr[] | undefined,
  context: Context,
  writtenOrder: (name: string) => readonly string[],
): Tensor {
  const { variables, body } = gradientVariables(name, context, writtenOrder);
  if (variables.length === 0) throw new DeriveError(`∇${name}: ${name} has no variables`);
  let at = (e: Expr): Expr => e;
  if (point) {
    const f = context.functions.get(name);
    if (!f) throw new DeriveError(`∇${name}(…) needs ${name} defined as a function of its variables, as in ${name}(x_1, x_2) = …`);
    if (point.length !== f.params.length) throw new DeriveError(`${name} takes ${f.params.length} arguments, not ${point.length}`);
    const replacements = new Map<Expr, Expr>(f.params.map((p, i) => [sym(p), point[i]!]));
    at = (e) => substitute(e, replacements);
  }
  if (order === 1) {
    const entries = variables.map((v): Side => {
      const d = differentiateSafe(body, v);
      return point ? { text: `∂${name}/∂${v} at the point`, expr: at(d) } : { text: `∂${name}/∂${v}`, expr: d, derivative: { operand: body, wrt: v } };
    });
    return { shape: [variables.length], entries };
  }
  const entries: Side[] = [];
  for (const vi of variables) {
    for (const vj of variables) {
      const first = differentiateSafe(body, vj);
      const d = differentiateSafe(first, vi);
      entries.push(point ? { text: `∂²${name}/∂${vi}∂${vj} at the point`, expr: at(d) } : { text: `∂²${name}/∂${vi}∂${vj}`, expr: d, derivative: { operand: first, wrt: vi } });
    }
  }
  return { shape: [variables.length, variables.length], entries };
}
