/**
 * The derivative table: every registry function's derivative, symbolically (against the textbook
 * form, through the chain rule too) and numerically (against central finite differences).
 */
import { describe, expect, it } from "vitest";
import { ONE, TWO, HALF, add, call, mul, neg, num, pow, sub, sym, type Expr } from "../../src/ast/index.js";
import { FUNCTIONS } from "../../src/functions/index.js";
import { differentiate } from "../../src/diff/index.js";
import { simplify } from "../../src/simplify/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { agrees, centralDifference } from "../support/finite-difference.js";

const x = sym("x");
const f = (name: string, u: Expr) => call(name, u);

/** d/du f(u), as the sheets write it. */
const TABLE: Record<string, (u: Expr) => Expr> = {
  exp: (u) => f("exp", u),
  log: (u) => pow(u, num(-1)),
  sqrt: (u) => mul(HALF, pow(f("sqrt", u), num(-1))),
  sin: (u) => f("cos", u),
  cos: (u) => neg(f("sin", u)),
  tan: (u) => add(ONE, pow(f("tan", u), TWO)),
  sinh: (u) => f("cosh", u),
  cosh: (u) => f("sinh", u),
  tanh: (u) => sub(ONE, pow(f("tanh", u), TWO)),
  sigmoid: (u) => mul(f("sigmoid", u), sub(ONE, f("sigmoid", u))),
  relu: (u) => f("step", u),
  softplus: (u) => f("sigmoid", u),
  step: () => num(0),
  abs: (u) => f("sign", u),
  sign: () => num(0),
};

/** Sample points inside each function's domain, away from kinks at 0. */
function points(name: string): number[] {
  const domain = FUNCTIONS.find((d) => d.name === name)!.domain ?? "real";
  if (domain === "positive" || domain === "nonnegative") return [0.1, 0.7, 1.3, 4.2, 25];
  return [-3.1, -1.2, -0.4, 0.3, 0.9, 2.5];
}

describe("derivative table", () => {
  it("covers every registry function", () => {
    expect(Object.keys(TABLE).sort()).toEqual(FUNCTIONS.map((d) => d.name).sort());
  });

  for (const def of FUNCTIONS) {
    const expected = TABLE[def.name]!;
    describe(def.name, () => {
      it("symbolically, d/dx f(x)", () => {
        expect(simplify(differentiate(f(def.name, x), x))).toBe(simplify(expected(x)));
      });

      it("through the chain rule, d/dx f(3x^2 + 1) = f'(3x^2 + 1) 6x", () => {
        const u = add(mul(num(3), pow(x, TWO)), ONE);
        expect(simplify(differentiate(f(def.name, u), x))).toBe(simplify(mul(expected(u), num(6), x)));
      });

      it("numerically, against central differences", () => {
        const d = differentiate(f(def.name, x), x);
        for (const p of points(def.name)) {
          const ref = centralDifference((t) => evaluate(f(def.name, x), { x: t }), p);
          expect(ref, `reference at ${p}`).toBeDefined();
          const value = evaluate(d, { x: p });
          expect(agrees(value, ref!), `${def.name}' at ${p}: ${value} vs ${ref!.value}`).toBe(true);
        }
      });
    });
  }
});
