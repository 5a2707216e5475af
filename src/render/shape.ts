/**
 * What the text and LaTeX printers share: how a canonical node is laid out for a reader, before
 * any syntax is chosen. A sum shows a positive term first and the rest with their signs pulled
 * out; a product is a signed fraction whose numerator and denominator are read off the factors'
 * exponents. Both printers walk the DAG bottom-up without recursion (see `foldTree`).
 */
import { Q, postorder, type Expr, type Mul, type Rational } from "../ast/index.js";

/** `base^exp` with a positive exponent: one factor of a denominator (`exp` 1 means just `base`). */
export interface Power {
  readonly base: Expr;
  readonly exp: Rational;
}

/** A product read as `± (p · over…) / (q · under…)`. */
export interface Fraction {
  readonly negative: boolean;
  /** |numerator| of the numeric coefficient; 1 when there is none. */
  readonly p: bigint;
  /** Denominator of the numeric coefficient; 1 when it is an integer. */
  readonly q: bigint;
  /** Factors that stay above the line, in canonical order. */
  readonly over: readonly Expr[];
  /** Factors with a negative numeric exponent, moved below the line with the sign flipped. */
  readonly under: readonly Power[];
}

/**
 * `x^-k` for a numeric k > 0 as the power it divides by. Only numeric exponents qualify:
 * `x^(-y)` stays a power, because moving it down would change which node re-parses.
 */
export function reciprocalPower(e: Expr): Power | undefined {
  if (e.kind !== "pow" || e.exp.kind !== "num" || !Q.isNegative(e.exp.value)) return undefined;
  const exp = Q.neg(e.exp.value);
  // 0^-3 stays unfolded but 0^3 folds to 0, so `1/0^3` would re-parse as 1/0: keep `0^(-3)`
  if (e.base.kind === "num" && Q.powRational(e.base.value, exp) !== undefined) return undefined;
  return { base: e.base, exp };
}

/** The fraction a product reads as: mul(-3/2, x, y^-2) is -(3 x)/(2 y^2). */
export function fractionOf(e: Mul): Fraction {
  let coefficient = Q.ONE;
  const over: Expr[] = [];
  const under: Power[] = [];
  for (const f of e.args) {
    if (f.kind === "num") {
      coefficient = f.value;
      continue;
    }
    const down = reciprocalPower(f);
    if (down) under.push(down);
    else over.push(f);
  }
  return { negative: Q.isNegative(coefficient), p: Q.abs(coefficient).n, q: coefficient.d, over, under };
}

/** Whether a term of a sum prints with a minus sign in front (`x - 2*y` rather than `x + -2*y`). */
export function isNegativeTerm(e: Expr): boolean {
  if (e.kind === "num") return Q.isNegative(e.value);
  return e.kind === "mul" && e.args[0]!.kind === "num" && Q.isNegative(e.args[0].value);
}

/**
 * Terms in reading order: the first term with a positive sign leads (`1 - y`, not `-y + 1`),
 * the rest keep their canonical order. With no positive term the canonical order stays.
 */
export function termsForReading(terms: readonly Expr[]): readonly Expr[] {
  const lead = terms.findIndex((t) => !isNegativeTerm(t));
  if (lead <= 0) return terms;
  return [terms[lead]!, ...terms.slice(0, lead), ...terms.slice(lead + 1)];
}

/**
 * Bottom-up fold over the expression, each distinct node once, children before parents, with an
 * explicit stack (via `postorder`), so a 1000-deep chain cannot overflow the JavaScript stack.
 * Shared subexpressions reuse their printed form; the output is still the tree written out.
 */
export function foldTree<R>(e: Expr, visit: (node: Expr, printed: (child: Expr) => R) => R): R {
  const done = new Map<Expr, R>();
  const printed = (child: Expr): R => {
    const r = done.get(child);
    if (r === undefined) throw new Error("internal: child printed after its parent");
    return r;
  };
  for (const node of postorder(e)) done.set(node, visit(node, printed));
  return printed(e);
}
