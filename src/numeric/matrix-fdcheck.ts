/**
 * Finite-difference check of matrix gradients: the gradient in matrix notation (reverse mode
 * through the definitions, diff/matrix.ts) evaluated at the point, against central differences of
 * the program written out entry by entry (matrix/expand.ts), one entry at a time. Step, errors
 * and the pass rule are the scalar check's (numeric/fdcheck.ts).
 */
import type { Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { matrixGradient } from "../diff/matrix.js";
import { inlineProgram, type MatrixProgram } from "../matrix/build.js";
import { entryNames, expandMatrix, sizesFromShapes, type ConcreteShape } from "../matrix/expand.js";
import { formatShape } from "../matrix/shape.js";
import { evaluate } from "./evaluate.js";
import { centralDifference, compareDerivative, DEFAULT_EPSILON, DEFAULT_TOLERANCE, type FdCheckResult, type FdComponent } from "./fdcheck.js";
import { evaluateMatrix, shapeOfValue, type Matrix } from "./matrix.js";

/** One entry's check, with the variable and (1-based) position it belongs to. */
export interface MatrixFdComponent extends FdComponent {
  readonly variable: string;
  readonly row: number;
  readonly col: number;
}

export type MatrixFdCheckResult = FdCheckResult<MatrixFdComponent>;

export interface MatrixFdCheckOptions {
  /** The variables checked (each entry of each). */
  readonly wrt: readonly string[];
  /** Values of every input of the program. */
  readonly values: ReadonlyMap<string, Matrix>;
  readonly epsilon?: number;
  readonly tolerance?: number;
}

export function matrixFdCheck(program: MatrixProgram, options: MatrixFdCheckOptions): MatrixFdCheckResult {
  const epsilon = options.epsilon ?? DEFAULT_EPSILON;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const target = inlineProgram(program);
  if (target.shape.rows !== 1 || target.shape.cols !== 1) throw new DeriveError(`fdcheck checks the gradient of a scalar, but the program's value is ${formatShape(target.shape)}`);
  for (const w of options.wrt) if (!options.values.has(w)) throw new DeriveError(`--at gives no value for ${w}`);
  const shapes = new Map<string, ConcreteShape>([...options.values].map(([name, m]) => [name, shapeOfValue(m) as ConcreteShape]));
  const [[f]] = expandMatrix(target, sizesFromShapes(target, shapes)) as [[Expr]];
  const bindings = new Map<string, number>();
  for (const [name, m] of options.values) {
    const names = entryNames(name, shapes.get(name)!);
    m.forEach((row, i) => row.forEach((x, j) => bindings.set(names[i]![j]!, x)));
  }
  const gradients = matrixGradient(program, options.wrt);
  const components = options.wrt.flatMap((w) => {
    const analytic = evaluateMatrix(inlineProgram(program, gradients.get(w)!), options.values, [target]);
    const names = entryNames(w, shapes.get(w)!);
    return names.flatMap((row, i) => row.map((entry, j) => component(f, bindings, entry, analytic[i]![j]!, epsilon, tolerance, { variable: w, row: i + 1, col: j + 1 })));
  });
  return { value: evaluate(f, bindings), epsilon, tolerance, components, pass: components.every((c) => c.pass) };
}

/** Central differences in one entry against its analytic value. */
function component(
  f: Expr,
  bindings: ReadonlyMap<string, number>,
  entry: string,
  analytic: number,
  epsilon: number,
  tolerance: number,
  where: { variable: string; row: number; col: number },
): MatrixFdComponent {
  const at = (v: number): number => evaluate(f, new Map(bindings).set(entry, v));
  const { name, ...rest } = compareDerivative(entry, analytic, centralDifference(at, bindings.get(entry)!, epsilon), tolerance);
  // the entry right after its name, as JSON shows it
  return { name, ...where, ...rest };
}
