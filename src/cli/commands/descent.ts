import { stringOption, type CommandSpec, type OptionValues } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { canonicalName } from "../../parse/names.js";
import type { Program } from "../../program/index.js";
import { DeriveError } from "../../errors.js";
import { jsonNumber, splitAssignments } from "../io.js";
import { constantValue, gradientDescent, parseSchedule, programObjective, type DescentOptions, type DescentRow } from "../../numeric/descent.js";
import { matrixDescent, matrixDescentInput } from "./matrix-descent.js";
import { isExact, scalarText, toNumber, type Scalar } from "../../numeric/exact.js";

// ---- option parsing shared by the numeric commands (descent, fdcheck, train, codegen)

/** `name=value,…` with exact values where rational; names normalised; defined names refused. */
export function exactAssignments(text: string | undefined, flag: string, program?: Program): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  if (text === undefined) return out;
  for (const [raw, valueText] of splitAssignments(text, flag)) {
    const name = canonicalName(raw);
    if (program?.definitions.some((d) => d.name === name)) throw new DeriveError(`${flag} gives a value to ${name}, which the program defines; give values to its inputs instead`);
    if (out.has(name)) throw new DeriveError(`${flag} gives ${name} twice`);
    out.set(name, constantValue(valueText, `${flag} ${name}`));
  }
  return out;
}

export function numberOption(options: OptionValues, key: string, flag: string): number | undefined {
  const text = stringOption(options, key);
  if (text === undefined) return undefined;
  const v = toNumber(constantValue(text, flag));
  if (!Number.isFinite(v)) throw new DeriveError(`${flag} must be a finite number, got "${text}"`);
  return v;
}

export function countOption(options: OptionValues, key: string, flag: string, min: number, max: number): number | undefined {
  const text = stringOption(options, key);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new DeriveError(`${flag} expects a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

export function reduceOption(options: OptionValues): "mean" | "sum" {
  const r = stringOption(options, "reduce") ?? "mean";
  if (r !== "mean" && r !== "sum") throw new DeriveError(`--reduce expects mean or sum, got "${r}"`);
  return r;
}

/** Names → values as a JSON object (own properties, so __proto__ stays a plain key). */
export const namedNumbers = (names: readonly string[], values: readonly Scalar[]): Record<string, number | null> =>
  Object.fromEntries(names.map((n, i) => [n, jsonNumber(toNumber(values[i]!))]));
const namedTexts = (names: readonly string[], values: readonly Scalar[]): Record<string, string> => Object.fromEntries(names.map((n, i) => [n, scalarText(values[i]!)]));

const tuple = (xs: readonly Scalar[]): string => `(${xs.map(scalarText).join(", ")})`;

function rowJson(names: readonly string[], row: DescentRow): Record<string, unknown> {
  const json: Record<string, unknown> = {
    t: row.t,
    x: namedNumbers(names, row.x),
    f: jsonNumber(toNumber(row.f)),
    gradient: namedNumbers(names, row.gradient),
    step: jsonNumber(toNumber(row.step)),
    next: namedNumbers(names, row.next),
  };
  const all = [...row.x, row.f, ...row.gradient, row.step, ...row.next];
  if (all.every(isExact)) {
    json.exact = { x: namedTexts(names, row.x), f: scalarText(row.f), gradient: namedTexts(names, row.gradient), step: scalarText(row.step), next: namedTexts(names, row.next) };
  }
  return json;
}

/** Schedule, step count, threshold and table flag from the options (scalar and matrix programs alike). */
function descentSettings(options: OptionValues): DescentOptions {
  const alphaText = stringOption(options, "alpha");
  const schedule = parseSchedule(stringOption(options, "lr") ?? "0.1", alphaText === undefined ? undefined : constantValue(alphaText, "--alpha"));
  const maxSteps = countOption(options, "maxSteps", "--max-steps", 0, 1_000_000) ?? schedule.length ?? 100;
  const tol = numberOption(options, "tol", "--tol");
  return { schedule, maxSteps, tol, table: options.table === true };
}

export const descentCommand: CommandSpec = {
  name: "descent",
  summary: "gradient descent with a step schedule, the sheets' stopping rule and an iteration table (exact where rational)",
  examples: [
    'derive descent "(x1 - 6)^2 + x2^2 - x1*x2" --from x1=6,x2=6 --lr "1/2,1/3,1/4" --table',
    'derive descent "(x1 - 6)^2 + x2^2 - x1*x2" --from x1=6,x2=6 --lr "0.1/sqrt(t)" --max-steps 10 --tol 1e-3',
    'derive descent "(x1 - 6)^2 + x2^2 - x1*x2" --from x1=6,x2=6 --lr alpha/t --alpha 0.1 --max-steps 10 --format json',
    'derive descent "Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L" --from "W=[[0.3,0.5],[-0.2,0.4]]" --at "X=[[0,2],[3,1]],Yhat=[[0.5,1],[1,-1.5]]" --lr 0.1 --max-steps 1 --table',
  ],
  options: [
    { flags: "--from <values>", description: "start point: the variables descended on, e.g. x1=6,x2=6 (matrices in the literal syntax: W=[[0.3,0.5],[-0.2,0.4]])" },
    { flags: "--lr <schedule>", description: "step size: a number, a formula in t (0.1/sqrt(t)), or a list 1/2,1/3,1/4", defaultValue: "0.1" },
    { flags: "--alpha <value>", description: "value of alpha in the --lr formula" },
    { flags: "--max-steps <n>", description: "maximum number of updates (default: the list's length, else 100)" },
    { flags: "--tol <threshold>", description: "stop when f(x_old) - f(x_new) < threshold (checked after each update)" },
    { flags: "--at <values>", description: "values of the program's other variables" },
    { flags: "--table", description: "include the iteration table t | x(t) | f | ∇f | step | x(t+1)" },
  ],
  run(input, options) {
    // matrix programs (declarations, matrix syntax, matrix values) descend entry by entry
    const matrix = matrixDescentInput(input, options);
    if (matrix) return matrixDescent(matrix, descentSettings(options));
    const program = parseProgram(input);
    const from = exactAssignments(stringOption(options, "from"), "--from", program);
    if (from.size === 0) throw new DeriveError("--from is required: the start point, e.g. --from x1=6,x2=6");
    const params = [...from.keys()];
    const fixed = exactAssignments(stringOption(options, "at"), "--at", program);
    for (const p of params) if (fixed.has(p)) throw new DeriveError(`${p} is given both by --from and --at`);
    const settings = descentSettings(options);
    const objective = programObjective(program, { params, values: fixed });
    const result = gradientDescent(objective, [...from.values()], settings);

    const json: Record<string, unknown> = {
      x: namedNumbers(params, result.x),
      value: jsonNumber(toNumber(result.value)),
      steps: result.steps,
      stopped: result.stopped,
    };
    if ([...result.x, result.value].every(isExact)) json.exact = { x: namedTexts(params, result.x), value: scalarText(result.value) };
    if (options.table === true) json.table = result.table.map((r) => rowJson(params, r));

    const lines: string[] = [];
    if (options.table === true) {
      lines.push(`t | x(t) | f(x(t)) | ∇f(x(t)) | step | x(t+1)`);
      for (const r of result.table) lines.push(`${r.t} | ${tuple(r.x)} | ${scalarText(r.f)} | ${tuple(r.gradient)} | ${scalarText(r.step)} | ${tuple(r.next)}`);
    }
    lines.push(`x = ${tuple(result.x)}  (${params.join(", ")})`, `f(x) = ${scalarText(result.value)}`, `steps: ${result.steps} (${result.stopped === "tol" ? "decrease below --tol" : "maximum reached"})`);
    const latexRows = result.table.map((r) => `${r.t} & ${tuple(r.x)} & ${scalarText(r.f)} & ${tuple(r.gradient)} & ${scalarText(r.step)} & ${tuple(r.next)} \\\\`);
    const latex =
      options.table === true
        ? `\\begin{array}{c|c|c|c|c|c} t & x^{(t)} & f(x^{(t)}) & \\nabla f(x^{(t)}) & \\alpha_t & x^{(t+1)} \\\\ \\hline ${latexRows.join(" ")} \\end{array}`
        : `x = ${tuple(result.x)},\\quad f(x) = ${scalarText(result.value)}`;
    return { json, text: lines.join("\n"), latex };
  },
};
