import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, call, div, mul, neg, num, pow, sub, sym, Q, type Expr } from "../../src/ast/index.js";
import { toText } from "../../src/render/index.js";
import { arbExpr } from "../support/arbitrary.js";

const x = sym("x");
const y = sym("y");
const z = sym("z");
const w = sym("w");
const q = (n: number, d: number) => num(Q.rational(BigInt(n), BigInt(d)));
const sigmoid = (a: Expr) => call("sigmoid", a);

describe("toText", () => {
  const table: Array<[string, Expr, string]> = [
    // sums: spaces around + and -, a positive term first, numbers last
    ["sum", add(mul(num(2), x), pow(y, num(2)), num(-3)), "2*x + y^2 - 3"],
    ["positive term leads", sub(num(1), y), "1 - y"],
    ["all negative", add(neg(x), neg(y)), "-x - y"],
    ["negative fraction term", sub(x, q(5, 6)), "x - 5/6"],
    ["negative decimal term", sub(x, num(0.25)), "x - 0.25"],
    ["negated sum", neg(add(x, y)), "-(x + y)"],
    ["minus a sum", sub(z, add(x, y)), "z - (x + y)"],
    ["minus a fraction", sub(y, div(x, num(2))), "y - x/2"],
    // products and quotients
    ["product", mul(x, y), "x*y"],
    ["quotient", div(x, y), "x/y"],
    ["quotient of products", div(mul(x, y), mul(z, w)), "x*y/(w*z)"],
    ["reciprocal", pow(x, num(-1)), "1/x"],
    ["negative reciprocal", neg(pow(x, num(-1))), "-1/x"],
    ["half", mul(q(-1, 2), x), "-x/2"],
    ["rational coefficient", mul(q(3, 2), x), "3*x/2"],
    ["decimal coefficient", mul(num(0.5), x), "x/2"],
    ["coefficient over a product", div(num(3), mul(num(2), x)), "3/(2*x)"],
    ["reciprocal square", pow(x, num(-2)), "1/x^2"],
    ["sum over sum", div(add(x, num(1)), add(y, num(1))), "(x + 1)/(y + 1)"],
    ["sum factor", mul(x, add(y, num(1))), "x*(y + 1)"],
    ["denominator with a sum", div(x, mul(num(2), add(y, num(1)))), "x/(2*(y + 1))"],
    ["reciprocal root", pow(x, q(-1, 2)), "1/x^(1/2)"],
    ["zero to a negative power stays a power (0^3 would fold)", pow(num(0), num(-3)), "0^(-3)"],
    ["zero to a negative fraction", mul(x, pow(num(0), q(-8, 3))), "x*0^(-8/3)"],
    ["irrational numeric power", mul(num(3), pow(num(2), q(-1, 2))), "3/2^(1/2)"],
    // powers
    ["square", pow(x, num(2)), "x^2"],
    ["root", pow(x, q(1, 2)), "x^(1/2)"],
    ["decimal-valued exponent as fraction", pow(x, num(0.25)), "x^(1/4)"],
    ["negative base", pow(num(-2), x), "(-2)^x"],
    ["fraction base", pow(q(1, 3), x), "(1/3)^x"],
    ["decimal base", pow(num(0.5), x), "0.5^x"],
    ["tiny base", pow(num(1e-5), x), "(1e-5)^x"],
    ["sum base", pow(add(x, num(1)), num(2)), "(x + 1)^2"],
    ["product base", pow(mul(num(2), x), q(1, 2)), "(2*x)^(1/2)"],
    ["negated base", pow(neg(x), q(1, 2)), "(-x)^(1/2)"],
    ["power base", pow(pow(x, y), q(1, 2)), "(x^y)^(1/2)"],
    ["reciprocal base", pow(pow(x, num(-1)), y), "(1/x)^y"],
    ["negative symbolic exponent", pow(x, neg(y)), "x^(-y)"],
    ["sum exponent", pow(x, add(y, num(1))), "x^(y + 1)"],
    ["fraction exponent", pow(x, pow(y, num(-1))), "x^(1/y)"],
    ["right-associative tower", pow(num(2), pow(num(3), x)), "2^3^x"],
    ["unary minus is looser than ^", neg(pow(x, num(2))), "-x^2"],
    ["e as a symbol", pow(sym("e"), x), "e^x"],
    // calls and names
    ["call", sigmoid(x), "sigmoid(x)"],
    ["call of a sum", call("log", sub(num(1), sym("f"))), "log(1 - f)"],
    ["canonical names", add(sym("w12"), sym("f_out"), sym("z_2_out"), sym("alpha")), "alpha + f_out + w12 + z_2_out"],
    ["sigmoid derivative", mul(sigmoid(z), sub(num(1), sigmoid(z))), "sigmoid(z)*(1 - sigmoid(z))"],
    ["tanh net derivative", sub(num(1), pow(call("tanh", add(mul(sym("w1"), x), sym("b1"))), num(2))), "1 - tanh(b1 + w1*x)^2"],
    // numbers
    ["integer", num(-3), "-3"],
    ["fraction", q(-5, 6), "-5/6"],
    ["small decimal", num(1e-15), "1e-15"],
  ];
  for (const [name, e, text] of table) it(name, () => expect(toText(e)).toBe(text));

  it("spells the BCE loss", () => {
    const p = sym("p");
    const bce = neg(add(mul(y, call("log", p)), mul(sub(num(1), y), call("log", sub(num(1), p)))));
    expect(toText(bce)).toBe("-(y*log(p) + log(1 - p)*(1 - y))");
  });

  it("prints every generated expression without throwing, with balanced parentheses", () => {
    fc.assert(
      fc.property(arbExpr(), (e) => {
        const text = toText(e);
        let depth = 0;
        for (const ch of text) {
          depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
          expect(depth).toBeGreaterThanOrEqual(0);
        }
        expect(depth).toBe(0);
        expect(text).not.toMatch(/\+ -|- -|\*-|\/-|\^-|\( /);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("toText on large input", () => {
  it("prints a 1000-deep sigmoid chain", () => {
    let e: Expr = x;
    for (let i = 0; i < 1000; i++) e = sigmoid(e);
    const text = toText(e);
    expect(text).toBe(`${"sigmoid(".repeat(1000)}x${")".repeat(1000)}`);
  });

  it("prints a 1000-deep mixed chain", () => {
    let e: Expr = x;
    for (let i = 0; i < 1000; i++) {
      e = i % 3 === 0 ? add(pow(e, num(2)), y) : i % 3 === 1 ? div(mul(num(-2), e), z) : call("log", sub(num(1), e));
    }
    const text = toText(e);
    expect(text.startsWith("y + log(2*(y + log(2*(y + log(")).toBe(true);
    expect(text).toContain("(y + log(2*(x^2 + y)/z + 1)^2)/z + 1)^2)/z + 1)^2");
    expect(text.endsWith(")/z + 1)^2")).toBe(true);
  });

  it("prints a sum of 100,000 terms", () => {
    const terms: Expr[] = [];
    for (let i = 0; i < 100_000; i++) terms.push(mul(num((i % 5) - 2 || 1), sym(`x${i}`)));
    const text = toText(add(...terms));
    expect(text.startsWith("x2 - 2*x0 - x1 + x3 + 2*x4 - 2*x5")).toBe(true);
    expect(text.split(/ [+-] /).length).toBe(100_000);
  });

  it("prints a shared DAG as the tree it stands for", () => {
    const s = sigmoid(x);
    expect(toText(mul(s, sub(num(1), s)))).toBe("sigmoid(x)*(1 - sigmoid(x))");
  });
});
