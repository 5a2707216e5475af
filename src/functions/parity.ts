import { ZERO, call, mul, neg, num, splitCoefficient, Q, type Call, type Expr } from "./deps.js";
import { arg0 } from "./helpers.js";

/**
 * Simplification for odd and even functions: f(0) is known, and a negative coefficient moves
 * out of the argument (tanh(-x) = -tanh(x), cosh(-x) = cosh(x)), so f(-x) and -f(x) meet.
 */
export function parity(kind: "odd" | "even", atZero: Expr) {
  return (self: Call): Expr | undefined => {
    const u = arg0(self);
    if (u === ZERO) return atZero;
    const [c, body] = splitCoefficient(u);
    if (!Q.isNegative(c)) return undefined;
    const positive = call(self.fn, mul(num(Q.neg(c)), body));
    return kind === "odd" ? neg(positive) : positive;
  };
}
