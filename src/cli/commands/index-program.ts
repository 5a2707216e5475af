/**
 * The index-program side of parse, eval, diff and grad: a program with a sum up to a symbolic
 * bound (`sum((y_i - w x_i)^2, i, 1, n)`, `Σ_{i=1}^{n} …`) is read in index notation
 * (src/index-notation/program.ts). Results keep the sums with their bounds; the ASCII form
 * (JSON "ascii") is input of the formula language again.
 *
 * Values: `--at "x=[1,2,3],y=[2,4,6],w=0.5"`; a size (n) is given or read from the length of an
 * input summed up to it; a free index of the result (∂f/∂x_j) gives a value per entry, shaped like
 * the variable.
 */
import { DeriveError } from "../../errors.js";
import {
  bracketEntriesToNames,
  buildIndexProgram,
  derivativeToLatex,
  derivativeToText,
  indexProgramDerivative,
  indexProgramSteps,
  equationToText,
  namedSums,
  indexProgramToLatex,
  indexProgramToText,
  indexToLatex,
  indexToText,
  valuesOver,
  usesSymbolicSums,
  wrtEntry,
  type IEntry,
  type IExpr,
  type IndexProgram,
} from "../../index-notation/index.js";
import { parseMatrixBindings } from "../../numeric/bindings.js";
import type { Matrix } from "../../numeric/matrix.js";
import { parseStatements } from "../../parse/index.js";
import { stringOption, type OptionValues } from "../command.js";
import { jsonNumber, splitNames, type Output } from "../io.js";
import { eigenSummary, hessianText, orderOption } from "./shared.js";
import { alignedLatex } from "../../render/matrix.js";
import { elementwiseOutput, jsonMatrix, textMatrix } from "./matrix.js";
import { entry as indexEntry } from "../../index-notation/expr.js";

export interface IndexSetup {
  readonly program: IndexProgram;
  /** Values given with --at (inputs, sizes), if any. */
  readonly values: ReadonlyMap<string, Matrix> | undefined;
}

/** The index program of an input, or undefined when no sum in it has a symbolic bound. */
export function indexSetup(input: string, options: OptionValues): IndexSetup | undefined {
  const statements = parseStatements(input);
  if (!usesSymbolicSums(statements)) return undefined;
  const program = buildIndexProgram(input, statements);
  const at = stringOption(options, "at");
  const defined = new Set(program.definitions.map((d) => d.name));
  return { program, values: at === undefined ? undefined : parseMatrixBindings(at, "--at", defined).values };
}

const BOUNDS = { bounds: true } as const;
const ASCII = { bounds: true, ascii: true } as const;

/** The value of e at the --at values: a number, or one per entry of its free indices. */
const valueOver = (setup: IndexSetup, e: IExpr, order: readonly string[], context: readonly IExpr[] = []): Matrix => valuesOver(setup.program, e, setup.values!, order, context);

export function indexParse(setup: IndexSetup): Output {
  const text = indexProgramToText(setup.program);
  const latex = indexProgramToLatex(setup.program);
  return { json: { text, latex, ascii: indexProgramToText(setup.program, { ascii: true }) }, text, latex };
}

export function indexEval(setup: IndexSetup): Output {
  if (!setup.values) throw new DeriveError("eval needs values: give --at, e.g. --at x=[1,2,3]");
  const value = valueOver(setup, setup.program.target, []);
  const text = textMatrix(value);
  return { json: { value: jsonMatrix(value) }, text, latex: text };
}

/** The --wrt entries: as given (w, x_j, w_jk, x_2, x: then x_j), else every input. */
function wrtEntries(setup: IndexSetup, options: OptionValues): { texts: string[]; entries: IEntry[] } {
  // --wrt "w[j, k]" is the entry w_jk
  const wrtText = stringOption(options, "wrt");
  const given = splitNames(wrtText === undefined ? undefined : bracketEntriesToNames(wrtText));
  const texts = given && given.length > 0 ? given : [...setup.program.inputs];
  if (texts.length === 0) throw new DeriveError("the input has no variables to differentiate by; give --wrt");
  return { texts, entries: texts.map((t) => wrtEntry(setup.program, t)) };
}

export function indexDiff(setup: IndexSetup, options: OptionValues): Output {
  const { entries } = wrtEntries(setup, options);
  const order = orderOption(stringOption(options, "order"));
  const sequence = entries.flatMap((e) => Array<IEntry>(order).fill(e));
  const d = indexProgramDerivative(setup.program, sequence);
  const text = indexToText(d.result, BOUNDS);
  const latex = indexToLatex(d.result, BOUNDS);
  const json: Record<string, unknown> = {
    input: indexProgramToText(setup.program, { ascii: true }),
    wrt: sequence.map((e) => indexToText(e, { ascii: true })),
    result: text,
    ascii: indexToText(d.result, ASCII),
    latex,
    equation: derivativeToText(d, BOUNDS),
    equationLatex: derivativeToLatex(d, BOUNDS),
  };
  let shown = text;
  if (setup.values) {
    // rows by the target's own indices, columns by the variable's: ∂z_i/∂x_k is shaped like the Jacobian
    const value = valueOver(setup, d.result, [...setup.program.target.free, ...entries.flatMap((e) => e.indices.filter((i): i is string => typeof i === "string"))], entries);
    json.value = jsonMatrix(value);
    shown += `\n= ${textMatrix(value)}`;
  }
  return { json, text: shown, latex };
}

export function indexGrad(setup: IndexSetup, options: OptionValues): Output {
  const { texts, entries } = wrtEntries(setup, options);
  const results = entries.map((e) => indexProgramDerivative(setup.program, [e]));
  const json: Record<string, unknown> = {
    wrt: texts,
    entries: Object.fromEntries(texts.map((t, i) => [t, indexToText(entries[i]!, { ascii: true })])),
    gradient: Object.fromEntries(texts.map((t, i) => [t, indexToText(results[i]!.result, BOUNDS)])),
    ascii: Object.fromEntries(texts.map((t, i) => [t, indexToText(results[i]!.result, ASCII)])),
    latex: Object.fromEntries(texts.map((t, i) => [t, indexToLatex(results[i]!.result, BOUNDS)])),
  };
  const values = setup.values
    ? results.map((r, i) => valueOver(setup, r.result, entries[i]!.indices.filter((x): x is string => typeof x === "string"), [entries[i]!]))
    : undefined;
  if (values) json.values = Object.fromEntries(texts.map((t, i) => [t, jsonMatrix(values[i]!)]));
  const text = results.map((r, i) => `${derivativeToText(r, BOUNDS)}${values ? ` = ${textMatrix(values[i]!)}` : ""}`).join("\n");
  const latex = alignedLatex(results.map((r) => ({ latex: derivativeToLatex(r, BOUNDS) })));
  return { json, text, latex };
}

/**
 * `derive steps` on an index program: each derivative through the definitions that use the
 * variable, entry by entry (D3: ∂f/∂w_kl = Σ_i ∂f/∂z_i ∂z_i/∂w_kl = … = ∂f/∂z_k x_l = …).
 */
export function indexSteps(setup: IndexSetup, options: OptionValues): Output {
  if (stringOption(options, "target") !== undefined) throw new DeriveError("--target (show that) works on scalar expressions; a program with sums up to n shows its chain through the definitions");
  const { texts, entries } = wrtEntries(setup, options);
  const derivations = entries.map((e) => indexProgramSteps(setup.program, e));
  const p = setup.program;
  const definitions = p.definitions.map((d) => equationToText(indexEntry(d.name, d.name, d.indices), namedSums(p, d.body), BOUNDS));
  return elementwiseOutput(derivations, texts, definitions, BOUNDS);
}

/** `derive hessian` on an index program: ∂²f/∂a∂b for every pair of --wrt (w, b, x_j, …). */
export function indexHessian(setup: IndexSetup, options: OptionValues): Output {
  const { texts, entries } = wrtEntries(setup, options);
  const cells = entries.map((a) => entries.map((b) => indexProgramDerivative(setup.program, [a, b]).result));
  const textCells = cells.map((row) => row.map((c) => indexToText(c, BOUNDS)));
  const json: Record<string, unknown> = {
    wrt: texts,
    hessian: textCells,
    ascii: cells.map((row) => row.map((c) => indexToText(c, ASCII))),
  };
  let values: number[][] | undefined;
  if (setup.values) {
    values = cells.map((row, a) =>
      row.map((c, b) => {
        const m = valueOver(setup, c, [], [entries[a]!, entries[b]!]);
        if (m.length !== 1 || m[0]!.length !== 1) throw new DeriveError(`the Hessian entry by ${texts[a]} and ${texts[b]} has free indices: give them values in --at (j=1)`);
        return m[0]![0]!;
      }),
    );
    json.values = values.map((row) => row.map(jsonNumber));
  }
  const eigenText = eigenSummary(values, options, json);
  const text = hessianText(textCells, values) + eigenText;
  const latex = `\\begin{pmatrix} ${cells.map((row) => row.map((c) => indexToLatex(c, BOUNDS)).join(" & ")).join(" \\\\ ")} \\end{pmatrix}`;
  return { json, text, latex };
}
