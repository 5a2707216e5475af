import { ONE, ZERO, TWO, HALF, add, call, div, mul, neg, sub, pow, type Call } from "./deps.js";
import { arg0, latexApply, unary } from "./helpers.js";
import { parity } from "./parity.js";

const ePlus = (self: Call) => call("exp", arg0(self));
const eMinus = (self: Call) => call("exp", neg(arg0(self)));

export const sinh = unary({
  name: "sinh",
  rule: "derivative of sinh",
  evaluate: Math.sinh,
  derivative: (self) => call("cosh", arg0(self)),
  latex: latexApply("\\sinh"),
  simplify: parity("odd", ZERO),
  expand: (self) => mul(HALF, sub(ePlus(self), eMinus(self))),
});

export const cosh = unary({
  name: "cosh",
  rule: "derivative of cosh",
  evaluate: Math.cosh,
  derivative: (self) => call("sinh", arg0(self)),
  latex: latexApply("\\cosh"),
  simplify: parity("even", ONE),
  expand: (self) => mul(HALF, add(ePlus(self), eMinus(self))),
});

/** tanh' is written 1 - tanh², the form the sheets use (never sech²). */
export const tanh = unary({
  name: "tanh",
  rule: "derivative of tanh",
  evaluate: Math.tanh,
  derivative: (self) => sub(ONE, pow(self, TWO)),
  latex: latexApply("\\tanh"),
  simplify: parity("odd", ZERO),
  expand: (self) => div(sub(ePlus(self), eMinus(self)), add(ePlus(self), eMinus(self))),
});

export const ENTRIES = [sinh, cosh, tanh];
