import { ONE, ZERO, HALF, Q, add, call, mul, num, pow, recip, sym, type Call, type Expr } from "./deps.js";
import { arg0, latexApply, unary } from "./helpers.js";

const E = sym("e");

/** exp(n*log(x)) = x^n and exp(log(x)) = x: valid wherever log(x) is defined (x > 0). */
function expOfLog(u: Expr): Expr | undefined {
  if (u.kind === "call" && u.fn === "log") return u.args[0];
  if (u.kind === "mul" && u.args.length === 2 && u.args[0]!.kind === "num") {
    const l = u.args[1]!;
    if (l.kind === "call" && l.fn === "log") return pow(l.args[0]!, u.args[0]);
  }
  return undefined;
}

/** e^u (a power of the constant e) is exp(u); exp(a)^j exp(b)^k = exp(j a + k b) in a product. */
function recognizeExp(e: Expr): Expr | undefined {
  if (e.kind === "pow") return e.base === E ? call("exp", e.exp) : undefined;
  if (e.kind !== "mul") return undefined;
  const exponents: Expr[] = [];
  const rest: Expr[] = [];
  for (const f of e.args) {
    const [b, k] = f.kind === "pow" ? [f.base, f.exp] : [f, ONE];
    if (b.kind === "call" && b.fn === "exp" && k.kind === "num" && Q.isInteger(k.value)) exponents.push(mul(k, b.args[0]!));
    else rest.push(f);
  }
  return exponents.length >= 2 ? mul(...rest, call("exp", add(...exponents))) : undefined;
}

/** sqrt(u)^(2k) = u^k, wherever sqrt(u) is defined. */
function recognizeSqrtPower(e: Expr): Expr | undefined {
  if (e.kind !== "pow" || e.base.kind !== "call" || e.base.fn !== "sqrt" || e.exp.kind !== "num") return undefined;
  const k = e.exp.value;
  if (!Q.isInteger(k) || k.n % 2n !== 0n) return undefined;
  return pow(e.base.args[0]!, num(k.n / 2n));
}

export const exp = unary({
  name: "exp",
  rule: "exponential rule",
  evaluate: Math.exp,
  derivative: (self) => self,
  latex: (args) => (args[0]!.length <= 24 ? `e^{${args[0]}}` : latexApply("\\exp")(args)),
  simplify(self: Call) {
    const u = arg0(self);
    if (u === ZERO) return ONE;
    if (u === ONE) return E;
    return expOfLog(u);
  },
  recognize: recognizeExp,
});

export const log = unary({
  name: "log",
  aliases: ["ln"],
  domain: "positive",
  rule: "logarithm rule",
  evaluate: Math.log,
  derivative: (self) => recip(arg0(self)),
  latex: latexApply("\\log"),
  simplify(self: Call) {
    const u = arg0(self);
    if (u === ONE) return ZERO;
    if (u === E) return ONE;
    if (u.kind === "call" && u.fn === "exp") return u.args[0];
    // log(e^k) = k
    if (u.kind === "pow" && u.base === E) return u.exp;
    return undefined;
  },
});

export const sqrt = unary({
  name: "sqrt",
  domain: "nonnegative",
  rule: "square-root rule",
  evaluate: Math.sqrt,
  derivative: (self) => mul(HALF, recip(self)),
  latex: (args) => `\\sqrt{${args[0]}}`,
  simplify(self: Call) {
    const u = arg0(self);
    if (u.kind === "num") {
      const root = Q.powRational(u.value, Q.rational(1n, 2n));
      if (root) return num(root);
    }
    // sqrt(x^2) = |x|
    if (u.kind === "pow" && u.exp.kind === "num" && Q.equals(u.exp.value, Q.rational(2n))) return call("abs", u.base);
    return undefined;
  },
  recognize: recognizeSqrtPower,
  expand: (self) => pow(arg0(self), HALF),
});

export const ENTRIES = [exp, log, sqrt];
