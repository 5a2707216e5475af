/**
 * What the engine knows about one function, all in one place (SymPy's `Function` classes are
 * the model): its value, its derivative, its LaTeX, its identities. Adding a function means
 * adding one entry to the registry; differentiation, printing, compilation and checking read it.
 */
import type { Call, Expr } from "../ast/index.js";

/** Where a function is defined on the reals: what a checker may sample its argument from. */
export type Domain = "real" | "positive" | "nonnegative" | "open-unit" | "nonzero";

export interface FunctionDef {
  /** Canonical name, used in text output and as `Call.fn`. */
  readonly name: string;
  /** Other spellings accepted when applied: `ln` for `log`, `σ` and `sigma` for `sigmoid`. */
  readonly aliases: readonly string[];
  readonly arity: number;
  /** Where each argument may range (for sampling in checks); default "real". */
  readonly domain?: Domain;
  /** Numeric value. */
  evaluate(...args: number[]): number;
  /**
   * ∂f/∂(argument i), written in terms of the arguments, or of the call itself where that is
   * the textbook form (σ' = σ(1 - σ), tanh' = 1 - tanh²). The chain rule is the caller's job.
   */
  derivative(self: Call, argIndex: number): Expr;
  /** Name of the derivative rule, for step-by-step traces ("derivative of sigmoid"). */
  readonly rule: string;
  /** LaTeX given the arguments' LaTeX; `needsParens` tells whether an argument is compound. */
  latex(args: readonly string[]): string;
  /**
   * Identities that always hold where the input is defined, tried by the simplifier on a call
   * whose arguments are already simplified: log(exp(x)) = x, sigmoid(-x) = 1 - sigmoid(x), …
   * Returns undefined when nothing applies.
   */
  simplify?(self: Call): Expr | undefined;
  /**
   * Recognises this function in a product, power or sum written without it (1/(1+exp(-x)) is
   * sigmoid(x), (e^x - e^-x)/(e^x + e^-x) is tanh(x)). The simplifier calls it on nodes whose
   * operands are already simplified; it returns an equal expression (not necessarily simplified)
   * or undefined. Must hold wherever `e` is defined.
   */
  recognize?(e: Expr): Expr | undefined;
  /** The function written through more elementary ones (sigmoid through exp), for "show that". */
  expand?(self: Call): Expr;
  /** JavaScript for the value given argument code (already parenthesised as needed). */
  js(args: readonly string[]): string;
}

/** A named constant such as pi or e. */
export interface ConstantDef {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly value: number;
  readonly latex: string;
  readonly js: string;
}
