/**
 * Values that stay exact while they can: a `Scalar` is an exact rational or a double. Exact
 * evaluation substitutes rationals into an expression and lets the AST constructors fold sums,
 * products and rational powers; a function applied to a number folds only through its registry
 * identities (sqrt(4) = 2, exp(0) = 1, σ(0) = 1/2). Anything left over (sqrt(2), exp(1)) is
 * irrational, and the value becomes the double nearest to it.
 */
import { mapBottomUp, num, Q, substitute, sym, type Expr, type Rational } from "../ast/index.js";
import { getFunction } from "../functions/index.js";
import { evaluate } from "./evaluate.js";

export type Scalar = Rational | number;

export const isExact = (x: Scalar): x is Rational => typeof x !== "number";
export const toNumber = (x: Scalar): number => (typeof x === "number" ? x : Q.toNumber(x));
/** Exact rationals as the language writes them (`9`, `1/3`, `0.25`); doubles as JavaScript prints them. */
export const scalarText = (x: Scalar): string => (typeof x === "number" ? String(x) : Q.toText(x));

/** Largest exact rational kept (bits of numerator or denominator); beyond it values become doubles. */
export const MAX_EXACT_BITS = 2048;

/** Folds numeric function applications through the registry's identities. */
function fold(e: Expr): Expr {
  return mapBottomUp(e, (x) => {
    if (x.kind !== "call" || !x.args.every((a) => a.kind === "num")) return x;
    const simplified = getFunction(x.fn).simplify?.(x);
    return simplified && simplified.kind === "num" ? simplified : x;
  });
}

/** The value of a closed expression (no free variables but constants): exact when it is rational. */
export function exactValue(e: Expr): Scalar {
  const folded = fold(e);
  if (folded.kind === "num" && Q.bitLength(folded.value) <= MAX_EXACT_BITS) return folded.value;
  return evaluate(folded);
}

/** e with exact values substituted, evaluated exactly where possible. */
export function valueWith(e: Expr, values: ReadonlyMap<string, Rational>): Scalar {
  const replacements = new Map<Expr, Expr>();
  for (const [name, v] of values) replacements.set(sym(name), num(v));
  return exactValue(substitute(e, replacements));
}

export function sub(a: Scalar, b: Scalar): Scalar {
  return isExact(a) && isExact(b) ? capped(Q.sub(a, b)) : toNumber(a) - toNumber(b);
}
export function mul(a: Scalar, b: Scalar): Scalar {
  return isExact(a) && isExact(b) ? capped(Q.mul(a, b)) : toNumber(a) * toNumber(b);
}
function capped(r: Rational): Scalar {
  return Q.bitLength(r) <= MAX_EXACT_BITS ? r : Q.toNumber(r);
}
