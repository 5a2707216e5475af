/**
 * The matrix side of the expression commands (parse, eval, diff, grad): a program is a matrix
 * program when it declares vectors or matrices, writes matrix syntax, or is given matrix values
 * with --at (`--at W=[[0.3,0.5],[-0.2,0.4]]` makes W a 2×2 matrix without a declaration).
 *
 * JSON values are shaped like the variable: a number for a scalar, a list for a (column) vector,
 * a list of rows for a matrix (the same as the literal syntax, so they can be given back to --at).
 */
import { DeriveError } from "../../errors.js";
import { matrixBackwardPass, matrixGradient, matrixHessian } from "../../diff/matrix.js";
import { bracketEntriesToNames, derivativeToLatex, derivativeToText, entryDerivative, indexToLatex, indexToText, isEntryName, targetEntryName, valueInProgram as entryValueInProgram } from "../../index-notation/index.js";
import { eigenSummary, orderOption } from "./shared.js";
import { programInputs, usesMatrixSyntax, type MatrixProgram } from "../../matrix/build.js";
import { mvar, type MExpr } from "../../matrix/nodes.js";
import { isScalarShape } from "../../matrix/shape.js";
import { givesMatrices, matrixProgramWithValues, type MatrixBindings } from "../../numeric/bindings.js";
import { valueInProgram, type Matrix } from "../../numeric/matrix.js";
import { canonicalName, parseStatements } from "../../parse/index.js";
import { alignedLatex, backwardPassLines, elementwiseEquations, elementwiseLines, matrixToLatex, matrixToText } from "../../render/matrix.js";
import { elementwiseDerivation, type ElementwiseDerivation } from "../../index-notation/elementwise.js";
import { escapeHtml, htmlDocument, inlineKatexCss, renderMath } from "../../render/html.js";
import { PAGE_CSS } from "../../render/steps.js";
import { functionName } from "../../matrix/build.js";
import { latexName } from "../../render/names.js";
import { simplifyMatrix } from "../../simplify/matrix.js";
import { stringOption, type OptionValues } from "../command.js";
import { jsonNumber, splitNames, type Output } from "../io.js";

export interface MatrixSetup {
  readonly program: MatrixProgram;
  /** Values given with --at, if any. */
  readonly values: MatrixBindings | undefined;
}

/** The matrix program of an input, or undefined when the input is a scalar program. */
export function matrixSetup(input: string, options: OptionValues): MatrixSetup | undefined {
  const at = stringOption(options, "at");
  const statements = parseStatements(input);
  if (!usesMatrixSyntax(statements) && !(at !== undefined && givesMatrices(at))) return undefined;
  const { program, values } = matrixProgramWithValues(input, statements, [{ text: at, what: "--at" }]);
  return { program, values: values[0] };
}

/** A value for JSON: number, list (vector) or list of rows (matrix). */
export const jsonMatrix = (m: Matrix): unknown => shaped(m.map((row) => row.map(jsonNumber)));

/** A matrix-shaped value as JSON: the entry of a 1×1, the list of a column, else the rows. */
export function shaped<T>(m: readonly (readonly T[])[]): T | T[] | T[][] {
  if (m.length === 1 && m[0]!.length === 1) return m[0]![0]!;
  if (m[0]!.length === 1) return m.map((row) => row[0]!);
  return m.map((row) => [...row]);
}

/** A value in the literal syntax, entries written by `entry`: 0.5, [1, 2], [[0.26, -0.12], [-0.8, -0.02]]. */
export function literalText<T>(m: readonly (readonly T[])[], entry: (x: T) => string = String): string {
  if (m.length === 1 && m[0]!.length === 1) return entry(m[0]![0]!);
  if (m[0]!.length === 1) return `[${m.map((row) => entry(row[0]!)).join(", ")}]`;
  return `[${m.map((row) => `[${row.map(entry).join(", ")}]`).join(", ")}]`;
}

/** A value as text, in the literal syntax. */
export const textMatrix = (m: Matrix): string => literalText(m);

/** The value of e (in the program's names) at the given values: exact where it is rational. */
const valueOf = (setup: MatrixSetup, e: MExpr): Matrix => valueInProgram(setup.program, e, setup.values);

export function matrixParse(setup: MatrixSetup): Output {
  const e = setup.program.target;
  const text = matrixToText(e);
  const latex = matrixToLatex(e);
  return { json: { text, latex, shape: shapeJson(e) }, text, latex };
}

const shapeJson = (e: MExpr): [number | string, number | string] => [e.shape.rows, e.shape.cols];

export function matrixEval(setup: MatrixSetup): Output {
  const value = valueOf(setup, setup.program.target);
  const text = textMatrix(value);
  return { json: { value: jsonMatrix(value) }, text, latex: text };
}

/** `--wrt` names, defaulting to every input in order of first appearance. */
function wrtOf(setup: MatrixSetup, options: OptionValues): string[] {
  const given = splitNames(stringOption(options, "wrt"))?.map(canonicalName);
  if (given && given.length > 0) return given;
  const inputs = programInputs(setup.program).map((v) => v.name);
  if (inputs.length === 0) throw new DeriveError("the input has no variables to differentiate by; give --wrt");
  return inputs;
}

function keepOf(setup: MatrixSetup, options: OptionValues): "all" | ReadonlySet<string> {
  const text = stringOption(options, "keep");
  if (text === undefined || text.trim() === "all") return "all";
  // matrix results are written in the defined names unless asked to expand them all
  if (text.trim() === "none") return new Set();
  const defined = setup.program.definitions.map((d) => d.name);
  const names = (splitNames(text) ?? []).map(canonicalName);
  for (const n of names) if (!defined.includes(n)) throw new DeriveError(`--keep ${n}: the program defines no ${n}`);
  return new Set(names);
}

export function matrixGrad(setup: MatrixSetup, options: OptionValues): Output {
  const wrt = wrtOf(setup, options);
  const gradient = matrixGradient(setup.program, wrt, { keep: keepOf(setup, options) });
  const components = wrt.map((w) => (options.raw === true ? gradient.get(w)! : simplifyMatrix(gradient.get(w)!)));
  const texts = components.map(matrixToText);
  const latexes = components.map(matrixToLatex);
  const values = setup.values ? components.map((c) => valueOf(setup, c)) : undefined;
  const json: Record<string, unknown> = {
    wrt,
    gradient: Object.fromEntries(wrt.map((w, i) => [w, texts[i]!])),
    latex: Object.fromEntries(wrt.map((w, i) => [w, latexes[i]!])),
    shapes: Object.fromEntries(wrt.map((w, i) => [w, shapeJson(components[i]!)])),
  };
  if (values) json.values = Object.fromEntries(wrt.map((w, i) => [w, jsonMatrix(values[i]!)]));
  const text = wrt.map((w, i) => `${w}: ${texts[i]}${values ? ` = ${textMatrix(values[i]!)}` : ""}`).join("\n");
  const f = setup.program.targetName === undefined ? "f" : latexName(setup.program.targetName);
  const latex = alignedLatex(wrt.map((w, i) => ({ latex: `\\frac{\\partial ${f}}{\\partial ${latexName(w)}} = ${latexes[i]}` })));
  return { json, text, latex };
}

export function matrixDiff(setup: MatrixSetup, rawOptions: OptionValues): Output {
  // --wrt "w[j, k]" is the entry w_jk
  const wrtText = stringOption(rawOptions, "wrt");
  const options = wrtText === undefined ? rawOptions : { ...rawOptions, wrt: bracketEntriesToNames(wrtText) };
  const wrt = wrtOf(setup, options);
  const order = stringOption(options, "order");
  // entries by entries, in turn (--wrt W_ij,W_kl: the Hessian by a matrix, in index notation)
  const rawWrt = (splitNames(stringOption(options, "wrt")) ?? []).map((w) => w.trim());
  if (rawWrt.length > 0 && rawWrt.every((w) => isEntryName(setup.program, w))) {
    const times = orderOption(order);
    return entryDiff(setup, rawWrt.flatMap((w) => Array<string>(times).fill(w)));
  }
  if (wrt.length !== 1 || (order !== undefined && order !== "1")) {
    throw new DeriveError("a matrix program is differentiated by one variable at a time (first order); use grad for several, hessian for second derivatives (or entries: --wrt W_ij,W_kl)");
  }
  const w = wrt[0]!;
  const result = matrixGradient(setup.program, [w], { keep: keepOf(setup, options) }).get(w)!;
  const text = matrixToText(result);
  const latex = matrixToLatex(result);
  const json: Record<string, unknown> = { input: matrixToText(setup.program.target), wrt: [w], result: text, latex, shape: shapeJson(result) };
  let shown = text;
  if (setup.values) {
    const value = valueOf(setup, result);
    json.value = jsonMatrix(value);
    shown += `\n= ${textMatrix(value)}`;
  }
  return { json, text: shown, latex };
}

/** The Hessian of a scalar matrix program by one vector, in matrix notation (E1: E[x xᵀ]). */
export function matrixHessianOutput(setup: MatrixSetup, options: OptionValues): Output {
  const wrt = wrtOf(setup, options);
  if (wrt.length !== 1) throw new DeriveError("the Hessian of a matrix program is taken by one vector: give --wrt w");
  const w = wrt[0]!;
  const declared = setup.program.declarations.get(w);
  if (declared?.kind === "matrix") return hessianByMatrix(setup, w);
  const h = matrixHessian(setup.program, w, { keep: keepOf(setup, options) });
  const text = matrixToText(h);
  const latex = matrixToLatex(h);
  const json: Record<string, unknown> = { wrt, hessian: text, latex, shape: shapeJson(h) };
  let shown = text;
  const value = setup.values ? valueOf(setup, h) : undefined;
  if (value) {
    json.values = jsonMatrix(value);
    shown += `\n= ${textMatrix(value)}`;
  }
  shown += eigenSummary(value, options, json);
  return { json, text: shown, latex };
}

/** A program ending with an unnamed scalar, its target named f (a name the program does not use). */
function namedTarget(program: MatrixProgram): MatrixProgram {
  const taken = new Set([...program.declarations.keys(), ...program.definitions.map((d) => d.name)]);
  let name = "f";
  for (let k = 1; taken.has(name); k++) name = `f${k}`;
  return { ...program, definitions: [...program.definitions, { name, body: program.target }], target: mvar(name, program.target.shape), targetName: name };
}

/**
 * The Hessian by a matrix has four indices, so it is written in index notation:
 * ∂²L/∂W_ij∂W_kl (for ||W X - Y||², 2 δ_ik Σ_m X_lm X_jm).
 */
function hessianByMatrix(setup: MatrixSetup, w: string): Output {
  if (setup.values) throw new DeriveError(`the Hessian by the matrix ${w} has four indices; its values are not printed (give --wrt a vector, or differentiate entries: --wrt ${w}_12,${w}_21)`);
  const output = entryDiff(setup, [`${w}_ij`, `${w}_kl`]);
  const json = output.json as Record<string, unknown>;
  return { ...output, json: { wrt: [w], hessian: json.result, ascii: json.ascii, latex: json.latex, equation: json.equation, equationLatex: json.equationLatex, notation: "index" } };
}

/**
 * `derive diff "…; z = W x + b; z_i" --wrt w_jk`: a derivative of one entry by one entry, in index
 * notation with Kronecker deltas (δ_ij x_k).
 */
function entryDiff(setup: MatrixSetup, wrt: readonly string[]): Output {
  // an entry (z_i), or the scalar the program computes (L) by entries; an unnamed scalar is f
  const entryTarget = targetEntryName(setup.program) !== undefined;
  const program = !entryTarget && isScalarShape(setup.program.target.shape) && functionName(setup.program) === undefined ? namedTarget(setup.program) : setup.program;
  const of = targetEntryName(program) ?? (isScalarShape(program.target.shape) ? functionName(program) : undefined);
  if (of === undefined) throw new DeriveError(`--wrt ${wrt.join(",")} is an entry: end the program with the entry to differentiate (as in "…; z = W x + b; z_i") or with a scalar`);
  const d = entryDerivative(program, of, wrt.length === 1 ? wrt[0]! : wrt);
  const text = indexToText(d.result);
  const latex = indexToLatex(d.result);
  const json: Record<string, unknown> = { input: of, wrt: [...wrt], result: text, ascii: indexToText(d.result, { ascii: true }), latex, equation: derivativeToText(d), equationLatex: derivativeToLatex(d) };
  if (!setup.values) return { json, text, latex };
  // a value where the entries are concrete (W_12): with symbolic indices it would be a whole array
  if (d.result.free.length > 0) throw new DeriveError(`the result has the free indices ${d.result.free.join(", ")}: for a value give concrete entries (--wrt ${wrt.map((w) => w.replace(/_.*/u, "_12")).join(",")})`);
  const value = entryValueInProgram(program, d.result, setup.values.values, new Map());
  json.value = jsonNumber(value);
  return { json, text: `${text}\n= ${value}`, latex };
}

/** A page of derivations: KaTeX rendered at build time, CSS inlined. */
function derivationPage(title: string, latex: string): string {
  const fail = (message: string): never => {
    throw new Error(message);
  };
  return htmlDocument({
    title,
    head: `<style>${inlineKatexCss()}</style>\n<style>${PAGE_CSS}</style>`,
    main: `<h1>${escapeHtml(title)}</h1>\n<div class="derivation">${renderMath(latex, true, fail)}</div>`,
    footer: "generated by derive; every line was computed by the engine.",
  });
}

/**
 * `derive steps --elementwise` on a matrix program: each gradient entry by entry, as sheet C1
 * derives it (∂L/∂W_ij = Σ_k Σ_l ∂L/∂Y_kl ∂Y_kl/∂W_ij = … = (∂L/∂Y Xᵀ)_ij).
 */
function elementwiseSteps(setup: MatrixSetup, wrt: readonly string[]): Output {
  const derivations = wrt.map((w) => elementwiseDerivation(setup.program, w));
  const definitions = setup.program.definitions.map((d) => `${d.name} = ${matrixToText(d.body)}`);
  return elementwiseOutput(derivations, wrt, definitions);
}

/**
 * Elementwise derivations as the steps command writes them (matrix and index programs): text with
 * each line's rule, aligned LaTeX, JSON steps with rules, an HTML page.
 */
export function elementwiseOutput(derivations: readonly ElementwiseDerivation[], wrt: readonly string[], definitions: readonly string[], options: { readonly bounds?: boolean } = {}): Output {
  const f = derivations[0]!.of;
  const equations = derivations.map((d) => elementwiseEquations(d, options));
  // the rule of each line after it, as the scalar steps write theirs
  const text = equations.map((lines) => lines.map((l) => `${l.text}    (${l.rule})`).join("\n")).join("\n\n");
  const latex = equations.map((lines) => alignedLatex(lines)).join("\n");
  const jsonSteps = derivations.flatMap((d) => {
    const { given, lhs, lines } = elementwiseLines(d, options);
    return [
      ...given.map((g) => ({ rule: g.rule, lhs: g.lhs.text, text: g.text, latex: g.latex })),
      ...lines.map((l, k) => ({ rule: l.rule, ...(k === 0 ? { lhs: lhs.text } : {}), text: l.text, latex: l.latex })),
    ];
  });
  const results = Object.fromEntries(derivations.map((d, k) => [wrt[k]!, elementwiseLines(d, options).lines.at(-1)!.text]));
  const title = `Elementwise derivation of the gradients of ${f} with respect to ${wrt.join(", ")}`;
  return { json: { result: results, steps: jsonSteps, latex, definitions }, text, latex, markdown: `$$\n${latex}\n$$\n`, html: derivationPage(title, latex) };
}

/**
 * `derive steps` on a matrix program: the backward pass, each gradient first through the
 * gradients of the names that use it (∂L/∂W = ∂L/∂Y Xᵀ), then substituted (= 2 (Y - Ŷ) Xᵀ).
 */
export function matrixSteps(setup: MatrixSetup, options: OptionValues): Output {
  const wrt = wrtOf(setup, options);
  if (stringOption(options, "target") !== undefined) throw new DeriveError("--target (show that) works on scalar expressions; a matrix program shows its backward pass");
  if (options.elementwise === true) return elementwiseSteps(setup, wrt);
  const steps = matrixBackwardPass(setup.program, wrt);
  const f = functionName(setup.program) ?? "f";
  const lines = backwardPassLines(steps, f);
  const jsonSteps = steps.flatMap(({ name, local, result }) => {
    const lhs = `∂${f}/∂${name}`;
    const out: Array<Record<string, string>> = [];
    if (local) out.push({ rule: "backpropagation (matrix form)", lhs, text: matrixToText(local), latex: matrixToLatex(local) });
    out.push({ rule: local ? "substitution and simplification" : "backpropagation (matrix form)", ...(local ? {} : { lhs }), text: matrixToText(result), latex: matrixToLatex(result) });
    return out;
  });
  const latex = alignedLatex(lines);
  const results = Object.fromEntries(wrt.map((w) => [w, matrixToText(steps.find((s) => s.name === w)!.result)]));
  const definitions = setup.program.definitions.map((d) => `${d.name} = ${matrixToText(d.body)}`);
  const text = lines.map((l) => l.text).join("\n");
  const title = `Backward pass of ${f} with respect to ${wrt.join(", ")}`;
  return { json: { result: results, steps: jsonSteps, latex, definitions }, text, latex, markdown: `$$\n${latex}\n$$\n`, html: derivationPage(title, latex) };
}
