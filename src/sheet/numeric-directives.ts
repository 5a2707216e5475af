/**
 * The numeric directives of the chunk language:
 *
 *   descent EXPR from x1=6, x2=6 lr 1/2, 1/3, 1/4 [steps n] [tol 1e-3] [at y=1] [table]
 *   fdcheck EXPR at w=0.5, b=-1 [wrt w, b]
 *   train EXPR params b, w data x=0,1,2; y=1,0,0 [restarts 10] [lr 1] [steps 100] [tol 1e-4]
 *         [seed 1] [guard 1e-15]
 *
 * `descent` descends on the variables of `from` (the others get values from `at`), with the step
 * schedule of `lr` (a list, or a formula in t such as 0.1/sqrt(t)); exact rationals stay exact.
 */
import { Q } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { parseExpression, canonicalName } from "../parse/index.js";
import { splitAssignments } from "../parse/assignments.js";
import { constantValue, gradientDescent, parseSchedule, programObjective, type DescentResult } from "../numeric/descent.js";
import { finiteDifferenceCheck } from "../numeric/fdcheck.js";
import { train, type TrainResult } from "../numeric/train.js";
import { parseInlineData, type DataSet } from "../numeric/data.js";
import { isExact, type Scalar } from "../numeric/exact.js";
import { evaluate } from "../numeric/index.js";
import type { Program } from "../program/index.js";
import { latexName } from "../render/index.js";
import type { Block } from "./types.js";
import { formatNumber } from "./format.js";

/** `x1=6, x2=1/2`: names in order with exact values where the text is rational. */
function assignments(text: string | undefined, what: string): Array<[string, Scalar]> {
  if (text === undefined) return [];
  return splitAssignments(text, `"${what}"`).map(([name, value]) => [canonicalName(name), constantValue(value, name)]);
}

/**
 * LaTeX of a scalar: a small exact rational as an integer or fraction (1/3 stays 1/3); anything
 * else, exact or not, to `digits` significant digits (an exact 2997…/2500… reads as 7.943505).
 */
export function scalarLatex(x: Scalar, digits = 7): string {
  if (isExact(x)) {
    const small = (b: bigint): boolean => (b < 0n ? -b : b) < 10_000n;
    if (small(x.n) && small(x.d)) return x.d === 1n ? x.n.toString() : `${x.n < 0n ? "-" : ""}\\tfrac{${(x.n < 0n ? -x.n : x.n).toString()}}{${x.d.toString()}}`;
    return formatNumber(Q.toNumber(x), digits);
  }
  return formatNumber(x, digits);
}

const vector = (xs: readonly string[]): string => `\\left(${xs.join(", ")}\\right)`;

/** A descent run as its clauses describe it: the variables descended on and the result. */
export interface DescentRun {
  readonly params: string[];
  readonly result: DescentResult;
}

/**
 * Runs gradient descent from the clauses `from`, `lr`, `steps`, `tol` and `at` (shared by the
 * descent directive and the plots of descent paths).
 */
export function descend(program: Program, clauses: ReadonlyMap<string, string>, table: boolean): DescentRun {
  const start = assignments(clauses.get("from"), "from");
  if (start.length === 0) throw new DeriveError("descent needs a starting point: descent f from x1=6, x2=6 lr …");
  const lrText = clauses.get("lr");
  if (!lrText) throw new DeriveError("descent needs a step schedule: lr 0.1, lr 0.1/sqrt(t) or lr 1/2, 1/3, 1/4");
  const schedule = parseSchedule(lrText);
  const stepsText = clauses.get("steps");
  const maxSteps = stepsText !== undefined ? Number(stepsText) : schedule.length ?? 100;
  const tolText = clauses.get("tol");
  const tol = tolText !== undefined ? evaluate(parseExpression(tolText)) : undefined;
  const params = start.map(([n]) => n);
  const values = new Map(assignments(clauses.get("at"), "at"));
  const objective = programObjective(program, { params, values });
  return { params, result: gradientDescent(objective, start.map(([, v]) => v), { schedule, maxSteps, tol, table }) };
}

export function runDescent(
  program: Program,
  lhs: string,
  clauses: ReadonlyMap<string, string>,
): Block[] {
  const { params, result } = descend(program, clauses, clauses.has("table"));
  const tol = clauses.has("tol") ? evaluate(parseExpression(clauses.get("tol")!)) : undefined;
  const s = (x: Scalar): string => scalarLatex(x);
  const blocks: Block[] = [];
  if (clauses.has("table")) {
    const header = `t & x^{(t)} & ${lhs}(x^{(t)}) & \\nabla ${lhs}(x^{(t)}) & \\eta_t & x^{(t+1)}`;
    const rows = result.table.map((r) => `${r.t} & ${vector(r.x.map(s))} & ${s(r.f)} & ${vector(r.gradient.map(s))} & ${s(r.step)} & ${vector(r.next.map(s))}`);
    blocks.push({ kind: "math", latex: `\\begin{array}{c|c|c|c|c|c} ${header} \\\\ \\hline ${rows.join(" \\\\ ")} \\end{array}` });
  }
  const why = result.stopped === "tol" ? `\\text{the decrease fell below } ${formatNumber(tol!)}` : `\\text{the step limit}`;
  const steps = `\\text{after ${result.steps} step${result.steps === 1 ? "" : "s"}; stopped by }${why}`;
  blocks.push({
    kind: "math",
    latex: `\\begin{aligned} ${vector(params.map(latexName))} &= ${vector(result.x.map(s))} \\\\ ${lhs} &= ${s(result.value)} \\\\ & ${steps} \\end{aligned}`,
  });
  return blocks;
}

export function runFdcheck(program: Program, clauses: ReadonlyMap<string, string>): Block[] {
  const at = assignments(clauses.get("at"), "at");
  const wrtText = clauses.get("wrt");
  const params = wrtText ? wrtText.split(",").map((w) => canonicalName(w.trim())) : [...program.variables];
  const point = new Map(at.map(([n, v]) => [n, isExact(v) ? Q.toNumber(v) : v] as const));
  const missing = program.variables.filter((v) => !point.has(v));
  if (missing.length > 0) throw new DeriveError(`fdcheck needs values for ${missing.join(", ")}`);
  const others = new Map([...point].filter(([n]) => !params.includes(n)));
  const r = finiteDifferenceCheck(program, { params, values: others, at: params.map((p) => point.get(p)!) });
  const rows = r.components.map(
    (c) => `${latexName(c.name)} & ${formatNumber(c.analytic, 10)} & ${formatNumber(c.numeric, 10)} & ${formatNumber(c.absError, 2)} & ${c.pass ? "\\checkmark" : "\\times"}`,
  );
  return [
    {
      kind: "math",
      latex: `\\begin{array}{c|c|c|c|c} & \\text{analytic} & \\text{central difference} & \\text{abs. error} & \\\\ \\hline ${rows.join(" \\\\ ")} \\end{array}`,
    },
  ];
}



/** `name = value` pairs laid out three to a row. */
function pairsLatex(pairs: ReadonlyArray<readonly [string, string]>): string {
  const rows: string[] = [];
  for (let i = 0; i < pairs.length; i += 3) rows.push(pairs.slice(i, i + 3).map(([n, v]) => `${n} &= ${v}`).join(" & "));
  return `\\begin{aligned} ${rows.join(" \\\\ ")} \\end{aligned}`;
}

/** A whole-number clause (`restarts 10`), with its default. */
function wholeNumber(clauses: ReadonlyMap<string, string>, key: string, fallback: number): number {
  const text = clauses.get(key);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new DeriveError(`${key} expects a whole number, got "${text}"`);
  return n;
}

/** What a train directive leaves for later plots: the run, its parameters and its data. */
export interface TrainedModel {
  readonly params: readonly string[];
  readonly result: TrainResult;
  readonly data: DataSet;
}

/** Sheet B3: the mean loss over inline data, trained from seeded random restarts. */
export function runTrain(program: Program, clauses: ReadonlyMap<string, string>): { blocks: Block[]; model: TrainedModel } {
  const paramsText = clauses.get("params");
  if (!paramsText) throw new DeriveError("train needs the parameters: train L params b1, w1 data …");
  const dataText = clauses.get("data");
  if (!dataText) throw new DeriveError("train needs data columns: data x1=0,1,0; x2=0,0,1; y=1,0,0");
  const params = paramsText.split(",").map((p) => canonicalName(p.trim()));
  // inline columns only: a sheet chunk never reads files
  const data = parseInlineData(dataText);
  const guardText = clauses.get("guard");
  const result = train(program, {
    params,
    dataNames: data.names,
    data: data.columns,
    restarts: wholeNumber(clauses, "restarts", 10),
    schedule: parseSchedule(clauses.get("lr") ?? "1"),
    maxSteps: wholeNumber(clauses, "steps", 100),
    tol: clauses.has("tol") ? evaluate(parseExpression(clauses.get("tol")!)) : undefined,
    seed: wholeNumber(clauses, "seed", 1),
    guard: guardText !== undefined ? evaluate(parseExpression(guardText)) : undefined,
  });
  const rows = result.restarts.map(
    (r) => `${r.restart} & ${formatNumber(r.loss)}${r.below ? "^{\\ast}" : ""} & ${r.steps} & \\text{${r.stopped === "tol" ? "decrease below tol" : "step limit"}}`,
  );
  const best = result.restarts[result.best]!;
  const blocks: Block[] = [
    {
      kind: "math",
      latex: `\\begin{array}{c|c|c|l} \\text{restart} & \\text{final loss} & \\text{steps} & \\text{stopped by} \\\\ \\hline ${rows.join(" \\\\ ")} \\end{array}`,
    },
    {
      kind: "math",
      latex: `\\text{best: restart ${best.restart}, loss } ${formatNumber(best.loss)}\\quad(\\ast: \\text{loss below } ${formatNumber(result.threshold)})`,
    },
    { kind: "math", latex: pairsLatex(params.map((p, i) => [latexName(p), formatNumber(best.params[i]!, 4)])) },
  ];
  return { blocks, model: { params, result, data } };
}
