import { ONE, ZERO, TWO, HALF, MINUS_ONE, add, call, div, mul, neg, sub, pow, num, Q, type Call, type Expr } from "./deps.js";
import { arg0, latexApply, negated, unary } from "./helpers.js";
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

const expArg = (e: Expr): Expr | undefined => (e.kind === "call" && e.fn === "exp" ? e.args[0] : undefined);

/** [p, q] when e is exp(p) + exp(q) with q = -p. */
function expPlusExpNeg(e: Expr): [Expr, Expr] | undefined {
  if (e.kind !== "add" || e.args.length !== 2) return undefined;
  const p = expArg(e.args[0]!);
  const q = expArg(e.args[1]!);
  return p !== undefined && q !== undefined && q === negated(p) ? [p, q] : undefined;
}

/** a when e is exp(a) - exp(b). */
function expMinusExp(e: Expr): [Expr, Expr] | undefined {
  if (e.kind !== "add" || e.args.length !== 2) return undefined;
  for (const [i, j] of [[0, 1], [1, 0]] as const) {
    const a = expArg(e.args[i]!);
    const m = e.args[j]!;
    if (a === undefined || m.kind !== "mul" || m.args.length !== 2 || m.args[0] !== MINUS_ONE) continue;
    const b = expArg(m.args[1]!);
    if (b !== undefined) return [a, b];
  }
  return undefined;
}

const integerValue = (e: Expr): bigint | undefined => (e.kind === "num" && Q.isInteger(e.value) ? e.value.n : undefined);

/** (e^u - e^-u)^k / (e^u + e^-u)^k = tanh(u)^k, in a product. */
function recognizeTanh(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  const parts = e.args.map((f): [Expr, Expr] => (f.kind === "pow" ? [f.base, f.exp] : [f, ONE]));
  for (let i = 0; i < parts.length; i++) {
    const [den, k] = parts[i]!;
    const kd = integerValue(k);
    const pq = kd !== undefined && kd < 0n ? expPlusExpNeg(den) : undefined;
    if (!pq) continue;
    for (let j = 0; j < parts.length; j++) {
      const [numer, m] = parts[j]!;
      const kn = integerValue(m);
      const ab = j !== i && kn !== undefined && kn > 0n ? expMinusExp(numer) : undefined;
      if (!ab || !((ab[0] === pq[0] && ab[1] === pq[1]) || (ab[0] === pq[1] && ab[1] === pq[0]))) continue;
      const n = kn! < -kd! ? kn! : -kd!;
      const rest = e.args.filter((_, x) => x !== i && x !== j);
      return mul(...rest, pow(numer, num(kn! - n)), pow(den, num(kd! + n)), pow(call("tanh", ab[0]), num(n)));
    }
  }
  return undefined;
}

/** tanh' is written 1 - tanh², the form the sheets use (never sech²). */
export const tanh = unary({
  name: "tanh",
  rule: "derivative of tanh",
  evaluate: Math.tanh,
  derivative: (self) => sub(ONE, pow(self, TWO)),
  latex: latexApply("\\tanh"),
  simplify: parity("odd", ZERO),
  recognize: recognizeTanh,
  expand: (self) => div(sub(ePlus(self), eMinus(self)), add(ePlus(self), eMinus(self))),
});

export const ENTRIES = [sinh, cosh, tanh];
