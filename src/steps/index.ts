/**
 * Step-by-step derivations as data: rule-by-rule traces (`--steps full`), the backprop chain view
 * (`--steps chain`) and "show that" proofs (`--target`). `render` prints them.
 */
import { DeriveError } from "../errors.js";
import type { Expr } from "../ast/index.js";
import type { Program } from "../program/index.js";
import { Placeholders } from "./operators.js";
import { fullTrace } from "./trace.js";
import { chainDerivation } from "./chain.js";
import { rewriteToTarget } from "./target.js";
import type { Derivation, StepLine, StepsLevel } from "./types.js";

export type { Derivation, Operator, StepLine, StepsLevel } from "./types.js";
export { resolveLine, isPlaceholder, PLACEHOLDER_PREFIX } from "./operators.js";
export { chainDerivation, paths, targetName } from "./chain.js";
export { numericallyEqual, provablyEqual } from "./target.js";
export { readStep } from "./read.js";

export interface StepsOptions {
  readonly level?: StepsLevel;
  /** "Show that": rewrite the derivative toward this expression (one variable only). */
  readonly target?: Expr;
}

/** The derivation of the program's target by each variable of `wrt` (several: one after another). */
export function derivation(program: Program, wrt: readonly string[], options: StepsOptions = {}): Derivation {
  const level = options.level ?? "full";
  if (wrt.length === 0) throw new DeriveError("nothing to differentiate by; give --wrt");
  if (options.target && wrt.length > 1) throw new DeriveError("--target shows one derivative: give one variable with --wrt");
  if (level === "chain") {
    if (options.target) throw new DeriveError("--target works with --steps full (the chain view ends at the simplified product)");
    return chainDerivation(program, wrt);
  }
  const ph = new Placeholders();
  const lines: StepLine[] = [];
  const notes: string[] = [];
  const results: Array<{ wrt: string; result: Expr }> = [];
  for (const w of wrt) {
    if (level === "none") {
      // only the result: one line d/dx(E) = result
      const { result } = fullTrace(program.target, w, program, new Placeholders());
      lines.push({ lhs: ph.get(program.target, w), rhs: result, rule: "derivative" });
      results.push({ wrt: w, result });
      continue;
    }
    if (options.target) {
      const { lines: traced, raw } = fullTrace(program.target, w, program, ph, { simplify: false });
      const toward = rewriteToTarget(raw, options.target, program, ph);
      lines.push(...traced, ...toward.lines);
      notes.push(...toward.notes);
      results.push({ wrt: w, result: options.target });
      continue;
    }
    const { lines: traced, result } = fullTrace(program.target, w, program, ph);
    lines.push(...traced);
    results.push({ wrt: w, result });
  }
  return { lines, operators: ph.operators, results, notes, program };
}

