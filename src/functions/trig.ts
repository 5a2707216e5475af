import { ONE, ZERO, TWO, add, call, mul, neg, pow, type Call } from "./deps.js";
import { arg0, latexApply, unary } from "./helpers.js";
import { parity } from "./parity.js";

const u = (self: Call) => arg0(self);

export const sin = unary({
  name: "sin",
  rule: "derivative of sin",
  evaluate: Math.sin,
  derivative: (self) => call("cos", u(self)),
  latex: latexApply("\\sin"),
  simplify: parity("odd", ZERO),
});

export const cos = unary({
  name: "cos",
  rule: "derivative of cos",
  evaluate: Math.cos,
  derivative: (self) => neg(call("sin", u(self))),
  latex: latexApply("\\cos"),
  simplify: parity("even", ONE),
});

export const tan = unary({
  name: "tan",
  rule: "derivative of tan",
  evaluate: Math.tan,
  derivative: (self) => add(ONE, pow(self, TWO)),
  latex: latexApply("\\tan"),
  simplify: parity("odd", ZERO),
  expand: (self) => mul(call("sin", u(self)), pow(call("cos", u(self)), neg(ONE))),
});

export const ENTRIES = [sin, cos, tan];
