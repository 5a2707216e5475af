/**
 * Claims between vectors or matrices: the shapes must agree, then every entry is one scalar step
 * (symbolic, randomised or to the digits written, as for scalars). The first invalid entry decides
 * and is named; a written 0 stands for the zero vector or matrix (∇f(8, 4) = 0).
 */
import { simplify } from "../simplify/index.js";
import { ZERO, type Expr } from "../ast/index.js";
import type { Context } from "./context.js";
import { compareSides, type Side, type StepOutcome } from "./compare.js";
import { describeShape, entryLabel, type Tensor } from "./tensor.js";

/** The correct value of a vector or matrix side (a wrong ∇f or ∇²f), for `expected`. */
export interface CorrectTensor {
  readonly shape: readonly number[];
  readonly entries: readonly Expr[];
}

export interface EntryDerivative {
  readonly correct: Expr;
  readonly operand: Expr;
  readonly wrt: string;
}

/** The derivative behind each entry of a side (∇f, ∇²f written symbolically), for diagnosis. */
export function entryDerivatives(side: Side): (EntryDerivative | undefined)[] | undefined {
  if (!side.tensor || !side.tensor.entries.some((e) => e.derivative)) return undefined;
  return side.tensor.entries.map((e) => (e.derivative ? { correct: e.expr, operand: e.derivative.operand, wrt: e.derivative.wrt } : undefined));
}

/** A side read as a tensor of the given shape: its own, or zeros for a written 0. */
function asTensor(side: Side, shape: readonly number[], context: Context): Tensor | undefined {
  if (side.tensor) return side.tensor;
  if (context.withValues(side.expr) !== ZERO) return undefined;
  const zero: Side = { text: "0", expr: ZERO, ...(side.literal ? { literal: side.literal } : {}) };
  return { shape, entries: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => zero) };
}

/** A 1×n row compared with an n-vector is read as that vector: a tuple (a, b) has no orientation. */
function rowAsVector(t: Tensor, other: readonly number[]): Tensor {
  return t.shape.length === 2 && t.shape[0] === 1 && other.length === 1 && other[0] === t.shape[1] ? { shape: [t.shape[1]!], entries: t.entries } : t;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

/** Vector or matrix LaTeX: a pmatrix (vectors as columns). */
export function tensorLatex(shape: readonly number[], entries: readonly string[]): string {
  const cols = shape.length === 1 ? 1 : shape[1]!;
  const rows: string[] = [];
  for (let r = 0; r < entries.length / cols; r++) rows.push(entries.slice(r * cols, (r + 1) * cols).join(" & "));
  return `\\begin{pmatrix} ${rows.join(" \\\\ ")} \\end{pmatrix}`;
}

/** Vector or matrix text: (a, b) or [[a, b], [c, d]]. */
export function tensorText(shape: readonly number[], entries: readonly string[]): string {
  if (shape.length === 1) return `(${entries.join(", ")})`;
  const cols = shape[1]!;
  const rows: string[] = [];
  for (let r = 0; r < shape[0]!; r++) rows.push(`[${entries.slice(r * cols, (r + 1) * cols).join(", ")}]`);
  return `[${rows.join(", ")}]`;
}

/**
 * The usual slip with vectors: two components written in each other's place (variables taken in
 * another order). Tried in a copy of the context, so rounding noted on the way does not stay.
 */
function exchanged(a: readonly Side[], b: readonly Side[], context: Context, show: (e: Expr) => string): [number, number] | undefined {
  if (a.length > 6) return undefined;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const swapped = b.map((e, k) => (k === i ? b[j]! : k === j ? b[i]! : e));
      const trial = context.fork();
      if (a.every((e, k) => compareSides(e, swapped[k]!, trial, undefined, show).verdict === "valid")) return [i, j];
    }
  }
  return undefined;
}

/** Compares two sides of which at least one is a vector or matrix. */
export function compareEntrywise(
  left: Side,
  right: Side,
  context: Context,
  derivatives: readonly (EntryDerivative | undefined)[] | undefined,
  show: (e: Expr) => string,
): StepOutcome & { readonly correct?: CorrectTensor } {
  const shape = (left.tensor ?? right.tensor)!.shape;
  let a = asTensor(left, shape, context);
  let b = asTensor(right, right.tensor ? right.tensor.shape : shape, context);
  const describe = (s: Side): string => (s.tensor ? describeShape(s.tensor.shape) : "a number");
  if (a && b) [a, b] = [rowAsVector(a, b.shape), rowAsVector(b, a.shape)];
  if (!a || !b) return { verdict: "invalid", reason: `the left side is ${describe(left)}, the right side ${describe(right)}` };
  if (!sameShape(a.shape, b.shape)) return { verdict: "invalid", reason: `the left side is ${describeShape(a.shape)}, the right side ${describeShape(b.shape)}` };
  const outcomes = a.entries.map((entry, k) => compareSides(entry, b.entries[k]!, context, derivatives?.[k], show));
  const bad = outcomes.findIndex((o) => o.verdict === "invalid");
  if (bad >= 0) {
    const o = outcomes[bad]!;
    const correct = derivatives && derivatives.every((d) => d) ? { correct: { shape: a.shape, entries: derivatives.map((d) => simplify(d!.correct)) } } : {};
    const swap = a.shape.length === 1 ? exchanged(a.entries, b.entries, context, show) : undefined;
    const mistake = swap ? `components ${swap[0] + 1} and ${swap[1] + 1} are exchanged; ` : "";
    return { ...o, reason: `${mistake}${entryLabel(a.shape, bad)}: ${o.reason}`, ...correct };
  }
  const unknown = outcomes.findIndex((o) => o.verdict === "unknown");
  if (unknown >= 0) {
    const o = outcomes[unknown]!;
    return { ...o, reason: `${entryLabel(a.shape, unknown)}: ${o.reason}` };
  }
  const reasons = [...new Set(outcomes.map((o) => o.reason))];
  const count = outcomes.length;
  const what = a.shape.length === 1 ? `all ${count} components` : `all ${count} entries`;
  return { verdict: "valid", reason: reasons.length === 1 ? `${what} agree: ${reasons[0]}` : `${what} agree (${reasons.join("; ")})` };
}
