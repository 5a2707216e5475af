/**
 * Limits on input the parser accepts. The rest of the engine (differentiation, simplification,
 * printing) walks expressions recursively, so the parser refuses absurd nesting up front with a
 * clear error instead of letting a stack overflow happen later.
 */

/**
 * Deepest nesting accepted: levels of parentheses/brackets in one statement, and the depth of
 * the expression a statement or a definition (with every definition it uses inlined) builds,
 * counted as `Expr.depth` (a leaf has depth 1, `sigmoid(x)` depth 2).
 */
export const MAX_NESTING = 1000;

/**
 * Most tokens in one statement. A statement is parsed in one piece by an Earley parser; this
 * bounds a single parse to well under a second (programs may have any number of statements).
 */
export const MAX_STATEMENT_TOKENS = 500_000;
