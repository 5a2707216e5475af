import { ONE, ZERO, HALF, add, call, div, mul, neg, sub, Q, type Call } from "./deps.js";
import { arg0, latexApply, unary } from "./helpers.js";

/** Logistic sigmoid, evaluated without overflow for large |x|. */
function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** σ' = σ(1 - σ): the textbook form, sharing the forward value. */
export const sigmoid = unary({
  name: "sigmoid",
  aliases: ["σ", "sigma"],
  rule: "derivative of the sigmoid",
  evaluate: logistic,
  derivative: (self) => mul(self, sub(ONE, self)),
  latex: latexApply("\\sigma"),
  simplify(self: Call) {
    return arg0(self) === ZERO ? HALF : undefined;
  },
  expand: (self) => div(ONE, add(ONE, call("exp", neg(arg0(self))))),
  js: (args) => `(1 / (1 + Math.exp(-(${args[0]}))))`,
});

/** relu' is the step function, with the convention step(0) = 0. */
export const relu = unary({
  name: "relu",
  rule: "derivative of relu",
  evaluate: (x) => Math.max(0, x),
  derivative: (self) => call("step", arg0(self)),
  latex: latexApply("\\operatorname{relu}"),
  simplify(self: Call) {
    const x = arg0(self);
    if (x.kind === "num") return Q.isNegative(x.value) ? ZERO : x;
    return undefined;
  },
  js: (args) => `Math.max(0, ${args[0]})`,
});

/** softplus(x) = log(1 + e^x), whose derivative is the sigmoid. */
export const softplus = unary({
  name: "softplus",
  rule: "derivative of softplus",
  evaluate: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  derivative: (self) => call("sigmoid", arg0(self)),
  latex: latexApply("\\operatorname{softplus}"),
  expand: (self) => call("log", add(ONE, call("exp", arg0(self)))),
  js: (args) => `(Math.max(${args[0]}, 0) + Math.log1p(Math.exp(-Math.abs(${args[0]}))))`,
});

/** Heaviside step with step(0) = 0: relu's derivative. Its own derivative is 0 almost everywhere. */
export const step = unary({
  name: "step",
  rule: "derivative of step",
  evaluate: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : 0),
  derivative: () => ZERO,
  latex: latexApply("\\operatorname{step}"),
  simplify(self: Call) {
    const x = arg0(self);
    if (x.kind === "num") return Q.compare(x.value, Q.ZERO) > 0 ? ONE : ZERO;
    return undefined;
  },
  js: (args) => `(${args[0]} > 0 ? 1 : 0)`,
});

export const ENTRIES = [sigmoid, relu, softplus, step];

