import { ONE, ZERO, HALF, add, call, div, mul, neg, num, pow, sub, splitCoefficient, Q, type Call, type Expr } from "./deps.js";
import { arg0, latexApply, negated, unary } from "./helpers.js";

/** Logistic sigmoid, evaluated without overflow for large |x|. */
function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}


/** u when e is 1 + exp(u) (as a sum in canonical order). */
function onePlusExp(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.args.length !== 2 || e.args[1] !== ONE) return undefined;
  const t = e.args[0]!;
  return t.kind === "call" && t.fn === "exp" ? t.args[0] : undefined;
}

/** u when e is sigmoid(u) or 1 - sigmoid(-u) (= sigmoid(u)). */
function sigmoidArgument(e: Expr): Expr | undefined {
  if (e.kind === "call" && e.fn === "sigmoid") return e.args[0];
  if (e.kind === "add" && e.args.length === 2 && e.args[1] === ONE) {
    const t = e.args[0]!;
    if (t.kind === "mul" && t.args.length === 2 && t.args[0] === num(-1)) {
      const s = t.args[1]!;
      if (s.kind === "call" && s.fn === "sigmoid") return negated(s.args[0]!);
    }
  }
  return undefined;
}

const isPositiveInteger = (e: Expr): boolean => e.kind === "num" && Q.isInteger(e.value) && e.value.n > 0n;

/**
 * sigmoid written through exp: (1 + exp(v))^-k = sigmoid(-v)^k, and exp(w) sigmoid(-w) = sigmoid(w)
 * (e^w / (1 + e^w)), so exp(-x)/(1 + exp(-x))^2 becomes sigmoid(x) (1 - sigmoid(x)).
 */
function recognizeSigmoid(e: Expr): Expr | undefined {
  if (e.kind === "pow") {
    const v = onePlusExp(e.base);
    if (v !== undefined && e.exp.kind === "num" && Q.isNegative(e.exp.value)) {
      return pow(call("sigmoid", negated(v)), num(Q.neg(e.exp.value)));
    }
    return undefined;
  }
  if (e.kind !== "mul") return undefined;
  const parts = e.args.map((f): [Expr, Expr] => (f.kind === "pow" ? [f.base, f.exp] : [f, ONE]));
  for (let i = 0; i < parts.length; i++) {
    const [b, k] = parts[i]!;
    if (b.kind !== "call" || b.fn !== "exp" || !isPositiveInteger(k)) continue;
    const w = b.args[0]!;
    const minusW = negated(w);
    for (let j = 0; j < parts.length; j++) {
      const [s, m] = parts[j]!;
      if (j === i || !isPositiveInteger(m) || sigmoidArgument(s) !== minusW) continue;
      const rest = e.args.filter((_, n) => n !== i && n !== j);
      return mul(...rest, pow(b, add(k, num(-1))), pow(s, add(m, num(-1))), call("sigmoid", w));
    }
  }
  return undefined;
}

/** σ' = σ(1 - σ): the textbook form, sharing the forward value. */
export const sigmoid = unary({
  name: "sigmoid",
  aliases: ["σ", "sigma"],
  rule: "derivative of the sigmoid",
  evaluate: logistic,
  derivative: (self) => mul(self, sub(ONE, self)),
  latex: latexApply("\\sigma"),
  /** sigmoid(0) = 1/2; sigmoid(-x) = 1 - sigmoid(x), so both meet in one form. */
  simplify(self: Call) {
    const u = arg0(self);
    if (u === ZERO) return HALF;
    const [c, body] = splitCoefficient(u);
    if (Q.isNegative(c)) return sub(ONE, call("sigmoid", mul(num(Q.neg(c)), body)));
    return undefined;
  },
  recognize: recognizeSigmoid,
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

