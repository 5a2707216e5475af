import type { Expr } from "../ast/index.js";
import type { Program } from "../program/index.js";
import { differentiateProgram } from "./program.js";
import type { ProgramDiffOptions } from "./types.js";

/**
 * ∂ⁿ(target)/∂w1…∂wn: differentiates the program's target by each name of `sequence` in turn,
 * every time through the program's definitions (so kept names stay kept at every order).
 */
export function programDerivative(program: Program, sequence: readonly string[], options: ProgramDiffOptions = {}): Expr {
  let result = program.target;
  let current = program;
  for (const w of sequence) {
    result = differentiateProgram(current, w, options);
    current = { ...program, target: result, targetName: undefined };
  }
  return result;
}
