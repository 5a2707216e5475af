/**
 * The printer's contract with the parser: `parseExpression(toText(e)) === e`, the very same
 * hash-consed node, for every expression.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, call, div, mul, neg, num, pow, sub, sym, Q, type Expr } from "../../src/ast/index.js";
import { parseExpression } from "../../src/parse/index.js";
import { toText } from "../../src/render/index.js";
import { arbExpr } from "../support/arbitrary.js";

const x = sym("x");
const y = sym("y");
const q = (n: number, d: number) => num(Q.rational(BigInt(n), BigInt(d)));

/** Round trip with a readable failure: the text and what it parsed back to. */
function expectRoundTrip(e: Expr): void {
  const text = toText(e);
  const back = parseExpression(text);
  if (back !== e) expect(toText(back), `"${text}" re-parsed as a different expression`).toBe(text);
  expect(back).toBe(e);
}

describe("parseExpression(toText(e)) === e", () => {
  const cases: Array<[string, Expr]> = [
    ["reciprocal of zero power", pow(num(0), num(-3))],
    ["zero to a negative fraction", mul(x, pow(num(0), q(-8, 3)))],
    ["irrational reciprocal", mul(num(3), pow(num(2), q(-1, 2)))],
    ["tower", pow(num(2), pow(num(3), x))],
    ["power of a power", pow(pow(x, y), q(1, 2))],
    ["negative base", pow(num(-2), q(1, 2))],
    ["negated power", neg(pow(x, num(2)))],
    ["negated sum", neg(add(neg(x), neg(y)))],
    ["reciprocal base", pow(pow(x, num(-1)), y)],
    ["fraction exponent", pow(x, pow(y, num(-1)))],
    ["symbolic negative exponent", pow(x, neg(y))],
    ["tiny base", pow(num(1e-5), x)],
    ["tiny term", sub(x, num(1e-15))],
    ["big integer", mul(num(10n ** 30n), x)],
    ["awkward fraction", add(x, q(-22, 7))],
    ["coefficient over everything", div(mul(num(-3), add(x, num(1))), mul(num(2), y, pow(add(x, y), q(1, 3))))],
    ["e and pi", mul(sym("pi"), pow(sym("e"), neg(pow(x, num(2)))))],
    ["sigma the symbol beside sigma the function", mul(sym("sigma"), call("sigmoid", add(sym("sigma"), num(1))))],
    ["Greek and subscripted names", add(sym("Delta"), sym("eta"), sym("w_1_2"), sym("alpha_out"), sym("x1"))],
    ["BCE", neg(add(mul(y, call("log", sym("p"))), mul(sub(num(1), y), call("log", sub(num(1), sym("p"))))))],
  ];
  for (const [name, e] of cases) it(name, () => expectRoundTrip(e));

  it("holds for random expressions", () => {
    fc.assert(fc.property(arbExpr(), (e) => expectRoundTrip(e)), { numRuns: 2000 });
  });

  it("holds for random expressions over constants, Greek and subscripted names", () => {
    const symbols = ["x", "e", "pi", "sigma", "eta", "Delta", "lr", "w_1_2", "alpha_out", "x1"];
    fc.assert(fc.property(arbExpr({ symbols, depth: 6 }), (e) => expectRoundTrip(e)), { numRuns: 1000 });
  });

  it("holds for a 999-deep chain (the parser's nesting limit is 1000)", () => {
    let e: Expr = x;
    for (let i = 0; i < 999; i++) e = call("sigmoid", e);
    expectRoundTrip(e);
  });

  it("holds for a sum of 20,000 terms", () => {
    const terms: Expr[] = [];
    for (let i = 0; i < 20_000; i++) terms.push(mul(num((i % 5) - 2 || 1), sym(`x${i}`)));
    expectRoundTrip(add(...terms));
  });
});
