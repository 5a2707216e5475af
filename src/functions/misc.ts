import { ONE, ZERO, call, num, Q, type Call } from "./deps.js";
import { arg0, unary } from "./helpers.js";

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
    return undefined;
  },
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
    return undefined;
  },
});

export const ENTRIES = [abs, sign];
