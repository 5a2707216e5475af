/**
 * Values given as text, `x=1, y=-0.5, z=pi/4` (the CLI's --at, a sheet's `at`): each value may be
 * any constant expression; names are normalised the way the parser normalises them (`w_12=1`
 * binds w12).
 */
import { DeriveError } from "../errors.js";
import { parseExpression, canonicalName } from "../parse/index.js";
import { splitAssignments } from "../parse/assignments.js";
import type { Program } from "../program/index.js";
import { evaluate } from "./evaluate.js";
import { buildMatrixProgram, inlineProgram, parseMatrixProgram, type MatrixProgram } from "../matrix/build.js";
import type { Statement } from "../parse/syntax.js";
import type { Shape } from "../matrix/shape.js";
import { evaluateMatrix, evaluateMatrixExact, exactToNumbers, shapeOfValue, type ExactMatrix, type Matrix } from "./matrix.js";

/** The values, by canonical name. `what` names the option in messages; with a program, giving a
 * value to a name the program defines is refused (values go to its inputs). */
export function parseBindings(text: string, what: string, program?: Program): Map<string, number> {
  const bindings = new Map<string, number>();
  for (const [rawName, valueText] of splitAssignments(text, what)) {
    const name = canonicalName(rawName);
    if (program?.definitions.some((d) => d.name === name)) {
      throw new DeriveError(`${what} gives a value to ${name}, which the program defines; give values to its inputs instead`);
    }
    if (bindings.has(name)) throw new DeriveError(`${what} gives ${name} twice`);
    let value: number;
    try {
      value = evaluate(parseExpression(valueText));
    } catch (err) {
      if (err instanceof DeriveError) throw new DeriveError(`${what} ${name}=${valueText}: ${err.message}`);
      throw err;
    }
    bindings.set(name, value);
  }
  return bindings;
}

/**
 * Values that may be vectors and matrices, `W=[[0.3, 0.5], [-0.2, 0.4]], x=[1, 2], η=0.1`, for
 * matrix programs: each value is a constant matrix expression (literals, arithmetic, transposes).
 */
export function parseMatrixBindings(text: string, what: string, defined: ReadonlySet<string> = new Set()): MatrixBindings {
  const bindings = new Map<string, Matrix>();
  const exact = new Map<string, ExactMatrix>();
  for (const [rawName, valueText] of splitAssignments(text, what)) {
    const name = canonicalName(rawName);
    if (defined.has(name)) throw new DeriveError(`${what} gives a value to ${name}, which the program defines; give values to its inputs instead`);
    if (bindings.has(name)) throw new DeriveError(`${what} gives ${name} twice`);
    try {
      const value = inlineProgram(parseMatrixProgram(valueText));
      const exactValue = evaluateMatrixExact(value, new Map());
      if (exactValue) exact.set(name, exactValue);
      bindings.set(name, exactValue ? exactToNumbers(exactValue) : evaluateMatrix(value, new Map()));
    } catch (err) {
      if (err instanceof DeriveError) throw new DeriveError(`${what} ${name}=${valueText}: ${err.message}`);
      throw err;
    }
  }
  return { values: bindings, exact };
}

/** Given values as doubles, and exactly where they are rational (for exact results). */
export interface MatrixBindings {
  readonly values: Map<string, Matrix>;
  readonly exact: Map<string, ExactMatrix>;
}

/** Whether a values text gives any vector or matrix (then the program is a matrix program). */
export const givesMatrices = (text: string): boolean => text.includes("[");

/**
 * A matrix program with the values given for it (`--at`, `--from`, a sheet's `at`; `what` names
 * each in messages): the values' shapes fix the shapes of undeclared names; a name given twice, or
 * a value for a defined name, is refused. One bindings per text given (undefined where none is).
 */
export function matrixProgramWithValues(
  text: string,
  statements: readonly Statement[],
  sources: ReadonlyArray<{ readonly text: string | undefined; readonly what: string }>,
): { program: MatrixProgram; values: Array<MatrixBindings | undefined> } {
  const values = sources.map((s) => (s.text === undefined ? undefined : parseMatrixBindings(s.text, s.what)));
  const hints = new Map<string, Shape>();
  for (const b of values) {
    for (const [name, m] of b?.values ?? []) {
      if (hints.has(name)) throw new DeriveError(`${name} is given both by ${sources.filter((_, k) => values[k]?.values.has(name)).map((s) => s.what).join(" and ")}`);
      hints.set(name, shapeOfValue(m));
    }
  }
  const program = buildMatrixProgram(text, statements, hints);
  for (const d of program.definitions) {
    const source = sources.find((_, k) => values[k]?.values.has(d.name));
    if (source) throw new DeriveError(`${source.what} gives a value to ${d.name}, which the program defines; give values to its inputs instead`);
  }
  return { program, values };
}
