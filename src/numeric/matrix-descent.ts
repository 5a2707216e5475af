/**
 * Gradient descent on matrix programs, through the scalar descent: the program's scalar target is
 * written out entry by entry (matrix/expand.ts), the variables descended on become their entries
 * (W_1_1, W_1_2, …, row by row), and the scalar objective does the rest — exact rationals where
 * the values are rational (sheet C2's 3.3 and 0.26), compiled reverse mode otherwise. Results are
 * folded back into matrices shaped like the variables.
 */
import type { Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { lookupConstant } from "../functions/index.js";
import { inlineProgram, type MatrixProgram } from "../matrix/build.js";
import { entryNames, expandMatrix, sizesFromShapes, type ConcreteShape } from "../matrix/expand.js";
import { variables } from "../matrix/nodes.js";
import { formatShape } from "../matrix/shape.js";
import { expressionProgram } from "../program/index.js";
import type { MatrixBindings } from "./bindings.js";
import { programObjective, type Objective } from "./descent.js";
import type { Scalar } from "./exact.js";

/** A variable descended on: its shape and the names of its entries, row by row. */
export interface MatrixParam {
  readonly name: string;
  readonly shape: ConcreteShape;
  readonly entries: readonly string[];
}

export interface MatrixObjective {
  readonly objective: Objective;
  readonly params: readonly MatrixParam[];
  /** The start point, the params' entries in order (exact where the values are). */
  readonly start: readonly Scalar[];
}

/** A matrix of exact-where-possible values, row by row. */
export type ScalarMatrixValue = Scalar[][];

const shapeOf = (m: readonly (readonly number[])[]): ConcreteShape => ({ rows: m.length, cols: m[0]!.length });

/** Entry (i, j) of a given value: the exact rational if there is one, else the double. */
const entryValue = (b: MatrixBindings, name: string, i: number, j: number): Scalar => b.exact.get(name)?.[i]?.[j] ?? b.values.get(name)![i]![j]!;

/**
 * The objective of descending `program`'s target on the variables given in `from`, with the
 * other inputs fixed at `at`.
 */
export function matrixObjective(program: MatrixProgram, from: MatrixBindings, at: MatrixBindings): MatrixObjective {
  const target = inlineProgram(program);
  if (target.shape.rows !== 1 || target.shape.cols !== 1) throw new DeriveError(`descent minimises a scalar, but the program's value is ${formatShape(target.shape)}`);
  const used = new Set(variables(target).map((v) => v.name));
  for (const name of from.values.keys()) if (!used.has(name)) throw new DeriveError(`--from gives ${name}, which the program's value does not depend on`);
  const missing = [...used].filter((n) => !from.values.has(n) && !at.values.has(n) && !lookupConstant(n));
  if (missing.length > 0) throw new DeriveError(`no value given for ${missing.join(", ")}: give the start point with --from and the other inputs with --at`);

  const shapes = new Map<string, ConcreteShape>();
  for (const b of [from, at]) for (const [name, m] of b.values) shapes.set(name, shapeOf(m));
  const [[scalar]] = expandMatrix(target, sizesFromShapes(target, shapes)) as [[Expr]];

  const params = [...from.values.keys()].map((name): MatrixParam => ({ name, shape: shapes.get(name)!, entries: entryNames(name, shapes.get(name)!).flat() }));
  const start = params.flatMap((p) => entryValues(from, p.name, p.shape));
  const fixed = new Map<string, Scalar>();
  for (const name of at.values.keys()) {
    if (!used.has(name)) continue;
    const shape = shapes.get(name)!;
    const values = entryValues(at, name, shape);
    entryNames(name, shape)
      .flat()
      .forEach((entry, k) => fixed.set(entry, values[k]!));
  }
  const names = params.flatMap((p) => p.entries);
  const objective = programObjective(expressionProgram(scalar), { params: names, values: fixed });
  return { objective, params, start };
}

/** The entries of a given value, row by row. */
function entryValues(b: MatrixBindings, name: string, shape: ConcreteShape): Scalar[] {
  const out: Scalar[] = [];
  for (let i = 0; i < shape.rows; i++) for (let j = 0; j < shape.cols; j++) out.push(entryValue(b, name, i, j));
  return out;
}

/** A flat point (the params' entries in order) folded back into one matrix per param. */
export function foldPoint(params: readonly MatrixParam[], flat: readonly Scalar[]): ScalarMatrixValue[] {
  let k = 0;
  return params.map((p) => Array.from({ length: p.shape.rows }, () => Array.from({ length: p.shape.cols }, () => flat[k++]!)));
}
