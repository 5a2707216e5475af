import { ONE, ZERO, call, num, pow, Q, type Call, type Expr } from "./deps.js";
import { arg0, unary } from "./helpers.js";
import { parity } from "./parity.js";

const isEvenInteger = (e: Expr): boolean => e.kind === "num" && Q.isInteger(e.value) && e.value.n % 2n === 0n;

/** |u|^(2k) = u^(2k). */
function recognizeAbsPower(e: Expr): Expr | undefined {
  if (e.kind !== "pow" || e.base.kind !== "call" || e.base.fn !== "abs" || !isEvenInteger(e.exp)) return undefined;
  return pow(e.base.args[0]!, e.exp);
}

const absParity = parity("even", ZERO);
const signParity = parity("odd", ZERO);

/** abs' = sign (undefined at 0, where we use sign(0) = 0). */
export const abs = unary({
  name: "abs",
  rule: "derivative of abs",
  evaluate: Math.abs,
  derivative: (self) => call("sign", arg0(self)),
  latex: (args) => `\\left|${args[0]}\\right|`,
  simplify(self: Call) {
    const x = arg0(self);
    if (x.kind === "num") return num(Q.abs(x.value));
    if (x.kind === "call" && (x.fn === "abs" || x.fn === "exp" || x.fn === "sigmoid" || x.fn === "relu" || x.fn === "softplus")) return x;
    // |x^(2k)| = x^(2k); |-x| = |x|
    if (x.kind === "pow" && isEvenInteger(x.exp)) return x;
    return absParity(self);
  },
  recognize: recognizeAbsPower,
});

export const sign = unary({
  name: "sign",
  rule: "derivative of sign",
  evaluate: Math.sign,
  derivative: () => ZERO,
  latex: (args) => `\\operatorname{sign}\\left(${args[0]}\\right)`,
  simplify(self: Call) {
    const x = arg0(self);
    if (x.kind === "num") return num(BigInt(Q.compare(x.value, Q.ZERO)));
    if (x.kind === "call" && (x.fn === "exp" || x.fn === "sigmoid")) return ONE;
    // sign(-x) = -sign(x)
    return signParity(self);
  },
});

export const ENTRIES = [abs, sign];
