/** Helpers the expression commands share: bindings from --at, names from --wrt and --keep. */
import { DeriveError } from "../../errors.js";
import { evaluate } from "../../numeric/index.js";
import { parseBindings as parseBindingsText } from "../../numeric/bindings.js";
import { inline, type Program } from "../../program/index.js";
import type { Expr } from "../../ast/index.js";
import { jsonNumber, splitNames } from "../io.js";
import { conditionNumber, symmetricEigenvalues } from "../../numeric/eigen.js";
import { stringOption, type OptionValues } from "../command.js";
import { canonicalName } from "../../parse/names.js";

/** `--at x=1,y=-0.5,z=pi/4` (see numeric/bindings.ts); undefined when not given. */
export function parseBindings(text: string | undefined, program?: Program): Map<string, number> | undefined {
  return text === undefined ? undefined : parseBindingsText(text, "--at", program);
}

/** `--wrt a,b`: canonical names; defaults to the program's variables in order of appearance.
 * A defined name is allowed: it then counts as an independent variable (∂L/∂f_out). */
export function wrtNames(text: string | undefined, program: Program): string[] {
  const names = splitNames(text)?.map(canonicalName);
  if (names === undefined || names.length === 0) {
    if (text !== undefined) throw new DeriveError("--wrt needs at least one name");
    return [...program.variables];
  }
  return names;
}

/** `--keep z1,f` or `--keep all`: intermediate names to keep in results. */
export function keepNames(text: string | undefined, program: Program): ReadonlySet<string> {
  if (text === undefined) return new Set();
  const defined = program.definitions.filter((d) => d.params.length === 0).map((d) => d.name);
  if (text.trim() === "all") return new Set(defined);
  const names = (splitNames(text) ?? []).map(canonicalName);
  for (const n of names) {
    if (!defined.includes(n)) throw new DeriveError(`--keep ${n}: the program defines no ${n}${defined.length ? ` (it defines ${defined.join(", ")})` : ""}`);
  }
  return new Set(names);
}

/** `--order n`: a positive whole number (default 1). */
export function orderOption(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new DeriveError(`--order expects a whole number from 1 to 20, got "${text}"`);
  return n;
}

/** Numeric value of an expression written in the program's inputs and kept names. */
export function valueAt(program: Program, e: Expr, bindings: ReadonlyMap<string, number>): number {
  return evaluate(inline(program, e), bindings);
}

/** The options every derivative command takes, described once. */
export const KEEP_OPTION = { flags: "--keep <names>", description: "intermediate names to keep in the results (comma-separated, or all)" } as const;
export const RAW_OPTION = { flags: "--raw", description: "skip simplification" } as const;
export const WRT_ALL_OPTION = {
  flags: "--wrt <names>",
  description: "variables, comma-separated (default: every variable in order of first appearance)",
} as const;

/** What grad and hessian start from: the program, the variables, the kept names, --raw, --at. */
export interface DerivativeSetup {
  readonly program: Program;
  readonly wrt: string[];
  readonly options: { readonly keep: ReadonlySet<string>; readonly raw: boolean };
  readonly bindings: Map<string, number> | undefined;
}

/** Reads a derivative command's input and options; `what` names the result in the error for no variables. */
export function derivativeSetup(
  program: Program,
  options: OptionValues,
  what: string,
): DerivativeSetup {
  const wrt = wrtNames(stringOption(options, "wrt"), program);
  if (wrt.length === 0) throw new DeriveError(`the input has no variables to take the ${what} by; give --wrt`);
  return {
    program,
    wrt,
    options: { keep: keepNames(stringOption(options, "keep"), program), raw: options.raw === true },
    bindings: parseBindings(stringOption(options, "at"), program),
  };
}

/**
 * With --eigen, the eigenvalues (largest first) and the condition number of a Hessian's values,
 * added to `json`; returns the text lines to append (empty without --eigen).
 */
export function eigenSummary(values: readonly (readonly number[])[] | undefined, options: OptionValues, json: Record<string, unknown>): string {
  if (options.eigen !== true) return "";
  if (!values) throw new DeriveError("--eigen needs a point: give --at");
  const eigenvalues = symmetricEigenvalues(values.map((row) => [...row]));
  const condition = conditionNumber(eigenvalues);
  json.eigenvalues = eigenvalues.map(jsonNumber);
  json.condition = jsonNumber(condition);
  return `\neigenvalues: ${eigenvalues.join(", ")}\ncondition number: ${condition}`;
}

/** A Hessian as text in the literal syntax, [[a, b], [c, d]], with its values below when given. */
export function hessianText(cells: readonly (readonly string[])[], values: readonly (readonly number[])[] | undefined): string {
  const rows = (m: readonly (readonly (string | number)[])[]): string => `[${m.map((row) => `[${row.join(", ")}]`).join(", ")}]`;
  return rows(cells) + (values ? `\n= ${rows(values)}` : "");
}
