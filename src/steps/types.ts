/**
 * The data of a step-by-step derivation, defined once: `render` prints it (text, LaTeX,
 * Markdown, HTML), the CLI and sheets only choose what to derive.
 *
 * A derivation is a list of equations. Displayed expressions are ordinary `Expr`s in which
 * pending derivative operators stand as placeholder symbols (`zzdop1`, `zzdop2`, …); the
 * derivation's `operators` map says what each one stands for (d/dx of which expression). The AST
 * therefore needs no derivative node, and printers show a placeholder as `d/dx(u)` (text, which
 * the parser reads back as the derivative of u) or `\frac{d}{dx}\left(u\right)` (LaTeX).
 */
import type { Expr } from "../ast/index.js";
import type { Program } from "../program/index.js";

/** A derivative operator shown in a line: d(of)/d(wrt). */
export interface Operator {
  /**
   * "derivative": d(of)/d(wrt). "group": `of` itself, shown in parentheses as one unit (a sum held
   * together for a line of algebra, `((1 + e^-x) - 1)/(1 + e^-x)^2`, which canonical sums would
   * fold); `wrt`, `scope` and `notation` are unused.
   */
  readonly kind: "derivative" | "group";
  readonly of: Expr;
  readonly wrt: string;
  /**
   * "total": the derivative of `of` with every defined name standing for its definition
   * (d/dx(u) in a rule-by-rule trace, ∂L/∂c in the chain view).
   * "local": `of` is a defined name; the derivative of its definition holding the other defined
   * names fixed (∂f_out/∂f_in in the chain view).
   */
  readonly scope: "total" | "local";
  /** How LaTeX writes it: d/dx (a rule-by-rule trace) or ∂L/∂c (the chain view). */
  readonly notation: "d" | "partial";
}

/** One line: `lhs = rhs` (a new equation) or, without lhs, `= rhs` continuing the previous one. */
export interface StepLine {
  readonly lhs?: Expr;
  readonly rhs: Expr;
  /** When set, rhs is the sum of these terms and is shown in this order (paths in source order). */
  readonly terms?: readonly Expr[];
  /**
   * When set, rhs is the sum over these products, each shown with its factors in this order (a
   * chain ∂L/∂f_out · ∂f_out/∂f_in · ∂f_in/∂c in path order, which a canonical product would sort).
   */
  readonly factors?: ReadonlyArray<readonly Expr[]>;
  /** The rule applied to get this line ("product rule", "chain rule (derivative of tanh)", …). */
  readonly rule: string;
}

export type StepsLevel = "full" | "chain" | "none";

export interface Derivation {
  readonly lines: readonly StepLine[];
  /** Placeholder symbol name → the operator it stands for. */
  readonly operators: ReadonlyMap<string, Operator>;
  /** The end result (no placeholders), one per variable for a layout over several. */
  readonly results: ReadonlyArray<{ readonly wrt: string; readonly result: Expr }>;
  /** Remarks for the reader ("no rewriting path found; …"). */
  readonly notes: readonly string[];
  /** The definitions in scope: defined names in lines stand for these. */
  readonly program: Program;
}
