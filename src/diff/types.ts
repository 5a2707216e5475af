/**
 * The data of differentiation, defined once: the records of the rules applied (for step-by-step
 * derivations) and the options of the entry points.
 */
import type { Expr } from "../ast/index.js";

/** Names of the structural rules; function applications use "chain rule" or the registry entry's `rule`. */
export type StructuralRule =
  | "constant"
  | "variable"
  | "sum rule"
  | "constant multiple rule"
  | "product rule"
  | "power rule"
  | "exponential rule"
  | "general power rule"
  | "chain rule";

/**
 * One application of a rule: d(expr)/d(wrt) = result. Steps come children before parents, and a
 * shared subexpression is recorded once (later steps refer to it by identity: `expr` is hash-consed).
 *
 * - "constant": expr does not depend on wrt (recorded once per maximal such subexpression that is
 *   an operand of a dependent node), result 0.
 * - "variable": expr is the symbol wrt, result 1.
 * - "sum rule", "product rule", "constant multiple rule" (a product with one dependent factor),
 *   "power rule" (u^c, c constant), "exponential rule" (c^u), "general power rule" (u^v).
 * - function application f(u1, …): `outer` holds the registry entry's rule and ∂f/∂u_i for each
 *   argument (0 where u_i does not depend on wrt). `rule` is the entry's own rule when every
 *   argument is wrt itself (nothing to chain), otherwise "chain rule".
 */
export interface DiffStep {
  readonly rule: StructuralRule | string;
  readonly expr: Expr;
  readonly wrt: string;
  /** The derivative, built with the canonicalising constructors but not simplified. */
  readonly result: Expr;
  readonly outer?: { readonly rule: string; readonly derivatives: readonly Expr[] };
}

export interface DiffOptions {
  /** Called once per recorded step, in order (children before parents). */
  onStep?(step: DiffStep): void;
}

export interface ProgramDiffOptions {
  /**
   * Defined names that stay symbols in the result (`"all"`: every definition except the one being
   * differentiated). Without it the result is written in the inputs alone.
   */
  readonly keep?: ReadonlySet<string> | "all";
  /** Skip simplification (the raw chain-rule result). */
  readonly raw?: boolean;
}
