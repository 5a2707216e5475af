/**
 * `derive descent` on matrix programs (sheet C2's step on W): detected as `matrixSetup` detects
 * matrix programs — declarations, matrix syntax, or matrix values given, here with --from or
 * --at. The descent itself is the scalar one on the program written out entry by entry
 * (numeric/matrix-descent.ts); this file reads the options and writes the results as matrices.
 *
 * Output: the scalar descent's, with each point and gradient a matrix. Text writes values in the
 * literal syntax (`[[0.26, -0.12], [-0.8, -0.02]]`), a variable's name before it when several are
 * descended on. JSON keeps every field of the scalar descent; each value is shaped like its
 * variable: a number for a scalar, a list for a vector, a list of rows for a matrix (exact texts
 * alike, as strings).
 */
import { literalText, shaped } from "./matrix.js";
import { DeriveError } from "../../errors.js";
import { usesMatrixSyntax, type MatrixProgram } from "../../matrix/build.js";
import { givesMatrices, matrixProgramWithValues, type MatrixBindings } from "../../numeric/bindings.js";
import { gradientDescent, type DescentOptions, type DescentRow } from "../../numeric/descent.js";
import { isExact, scalarText, toNumber, type Scalar } from "../../numeric/exact.js";
import { foldPoint, matrixObjective, type MatrixParam } from "../../numeric/matrix-descent.js";
import { parseStatements } from "../../parse/index.js";
import { latexName } from "../../render/names.js";
import { stringOption, type OptionValues } from "../command.js";
import { jsonNumber, type Output } from "../io.js";

export interface MatrixDescentInput {
  readonly program: MatrixProgram;
  readonly from: MatrixBindings;
  readonly at: MatrixBindings;
}

const NO_VALUES: MatrixBindings = { values: new Map(), exact: new Map() };

/** The matrix program and values of a descent, or undefined when the input is a scalar program. */
export function matrixDescentInput(input: string, options: OptionValues): MatrixDescentInput | undefined {
  const fromText = stringOption(options, "from");
  const atText = stringOption(options, "at");
  const statements = parseStatements(input);
  const givenMatrices = [fromText, atText].some((t) => t !== undefined && givesMatrices(t));
  if (!usesMatrixSyntax(statements) && !givenMatrices) return undefined;
  if (fromText === undefined) throw new DeriveError("--from is required: the start point, e.g. --from W=[[0.3,0.5],[-0.2,0.4]]");
  const { program, values } = matrixProgramWithValues(input, statements, [
    { text: fromText, what: "--from" },
    { text: atText, what: "--at" },
  ]);
  return { program, from: values[0]!, at: values[1] ?? NO_VALUES };
}

function literalLatex(m: readonly (readonly Scalar[])[]): string {
  if (m.length === 1 && m[0]!.length === 1) return scalarText(m[0]![0]!);
  return `\\begin{pmatrix} ${m.map((row) => row.map(scalarText).join(" & ")).join(" \\\\ ")} \\end{pmatrix}`;
}

/** The params' values in a flat point, as one JSON object by name. */
function namedJson(params: readonly MatrixParam[], flat: readonly Scalar[], entry: (x: Scalar) => unknown): Record<string, unknown> {
  const matrices = foldPoint(params, flat);
  return Object.fromEntries(params.map((p, i) => [p.name, shaped(matrices[i]!.map((row) => row.map(entry)))]));
}

const numberOf = (x: Scalar): number | null => jsonNumber(toNumber(x));

/** A point as text: the matrix alone for one variable, `W = …, b = …` for several. */
function pointText(params: readonly MatrixParam[], flat: readonly Scalar[], format: (m: Scalar[][]) => string, name = (n: string): string => n): string {
  const matrices = foldPoint(params, flat);
  if (params.length === 1) return format(matrices[0]!);
  return params.map((p, i) => `${name(p.name)} = ${format(matrices[i]!)}`).join(", ");
}

function rowJson(params: readonly MatrixParam[], row: DescentRow): Record<string, unknown> {
  const json: Record<string, unknown> = {
    t: row.t,
    x: namedJson(params, row.x, numberOf),
    f: numberOf(row.f),
    gradient: namedJson(params, row.gradient, numberOf),
    step: numberOf(row.step),
    next: namedJson(params, row.next, numberOf),
  };
  if ([...row.x, row.f, ...row.gradient, row.step, ...row.next].every(isExact)) {
    json.exact = { x: namedJson(params, row.x, scalarText), f: scalarText(row.f), gradient: namedJson(params, row.gradient, scalarText), step: scalarText(row.step), next: namedJson(params, row.next, scalarText) };
  }
  return json;
}

/** Runs the descent and writes the results (text, JSON, LaTeX). */
export function matrixDescent(input: MatrixDescentInput, settings: DescentOptions): Output {
  const { objective, params, start } = matrixObjective(input.program, input.from, input.at);
  const result = gradientDescent(objective, start, settings);
  const json: Record<string, unknown> = {
    x: namedJson(params, result.x, numberOf),
    value: numberOf(result.value),
    steps: result.steps,
    stopped: result.stopped,
  };
  if ([...result.x, result.value].every(isExact)) json.exact = { x: namedJson(params, result.x, scalarText), value: scalarText(result.value) };
  if (settings.table === true) json.table = result.table.map((r) => rowJson(params, r));

  const text = (flat: readonly Scalar[]): string => pointText(params, flat, (m) => literalText(m, scalarText));
  const latex = (flat: readonly Scalar[]): string => pointText(params, flat, literalLatex, latexName);
  const lines: string[] = [];
  if (settings.table === true) {
    lines.push(`t | x(t) | f(x(t)) | ∇f(x(t)) | step | x(t+1)`);
    for (const r of result.table) lines.push(`${r.t} | ${text(r.x)} | ${scalarText(r.f)} | ${text(r.gradient)} | ${scalarText(r.step)} | ${text(r.next)}`);
  }
  const finals = foldPoint(params, result.x);
  lines.push(...params.map((p, i) => `${p.name} = ${literalText(finals[i]!, scalarText)}`));
  lines.push(`f(x) = ${scalarText(result.value)}`, `steps: ${result.steps} (${result.stopped === "tol" ? "decrease below --tol" : "maximum reached"})`);
  const latexRows = result.table.map((r) => `${r.t} & ${latex(r.x)} & ${scalarText(r.f)} & ${latex(r.gradient)} & ${scalarText(r.step)} & ${latex(r.next)} \\\\`);
  const latexOut =
    settings.table === true
      ? `\\begin{array}{c|c|c|c|c|c} t & x^{(t)} & f(x^{(t)}) & \\nabla f(x^{(t)}) & \\alpha_t & x^{(t+1)} \\\\ \\hline ${latexRows.join(" ")} \\end{array}`
      : `${params.map((p, i) => `${latexName(p.name)} = ${literalLatex(finals[i]!)}`).join(",\\quad ")},\\quad f(x) = ${scalarText(result.value)}`;
  return { json, text: lines.join("\n"), latex: latexOut };
}
