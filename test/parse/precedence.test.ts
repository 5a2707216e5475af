/**
 * Precedence, associativity and implicit multiplication: input → the expression built with the
 * AST constructors, and exactly one parse for each input (the grammar is unambiguous).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, call, div, mul, neg, num, pow, sub, sym, Q, type Expr } from "../../src/ast/index.js";
import { DeriveError } from "../../src/errors.js";
import { parseExpression } from "../../src/parse/index.js";
import { parseCount } from "./helpers.js";

const [a, b, c, d, x, y, z] = ["a", "b", "c", "d", "x", "y", "z"].map((n) => sym(n)) as [Expr, Expr, Expr, Expr, Expr, Expr, Expr];
const e = sym("e");
const n = (v: number) => num(v);
const q = (p: number, r: number) => num(Q.rational(BigInt(p), BigInt(r)));
const sigmoid = (u: Expr) => call("sigmoid", u);
const [x1, x2] = [sym("x1"), sym("x2")];

const TABLE: Array<[string, Expr]> = [
  // sums and products
  ["a + b * c", add(a, mul(b, c))],
  ["(a + b) * c", mul(add(a, b), c)],
  ["a - b - c", add(a, neg(b), neg(c))],
  ["a - (b - c)", sub(a, sub(b, c))],
  ["a / b / c", mul(a, pow(b, n(-1)), pow(c, n(-1)))],
  ["a / b * c", mul(div(a, b), c)],
  ["a / (b * c)", div(a, mul(b, c))],
  ["a + b - c + d", add(a, b, neg(c), d)],
  ["1 + 2 * 3", n(7)],
  ["7 / 2", q(7, 2)],
  // unary minus
  ["-x", neg(x)],
  ["-x^2", neg(pow(x, n(2)))],
  ["-2^2", n(-4)],
  ["(-2)^2", n(4)],
  ["-x * y", neg(mul(x, y))],
  ["x * -y", neg(mul(x, y))],
  ["x / -y", neg(div(x, y))],
  ["x - -y", add(x, y)],
  ["- -x", x],
  ["--x", x],
  ["-(x + y)", neg(add(x, y))],
  // powers
  ["2^3^2", n(512)],
  ["x^y^z", pow(x, pow(y, z))],
  ["(x^y)^z", pow(pow(x, y), z)],
  ["x**2", pow(x, n(2))],
  ["x ** y ** z", pow(x, pow(y, z))],
  ["2^-1", q(1, 2)],
  ["x^-1", pow(x, n(-1))],
  ["x^-y", pow(x, neg(y))],
  ["x^--y", pow(x, y)],
  ["e^-x^2", pow(e, neg(pow(x, n(2))))],
  ["2^-3^2", pow(n(2), n(-9))],
  ["x^2^-1", pow(x, q(1, 2))],
  ["x^(y + 1)", pow(x, add(y, n(1)))],
  ["x^2 * y", mul(pow(x, n(2)), y)],
  // superscripts
  ["x²", pow(x, n(2))],
  ["x³", pow(x, n(3))],
  ["x⁻¹", pow(x, n(-1))],
  ["x²y", mul(pow(x, n(2)), y)],
  ["2x²", mul(n(2), pow(x, n(2)))],
  ["-x²", neg(pow(x, n(2)))],
  ["(x + 1)²", pow(add(x, n(1)), n(2))],
  ["x²^3", pow(pow(x, n(2)), n(3))],
  ["tanh(x)²", pow(call("tanh", x), n(2))],
  // implicit multiplication
  ["2x", mul(n(2), x)],
  ["2(x + 1)", mul(n(2), add(x, n(1)))],
  ["(a + b)(c + d)", mul(add(a, b), add(c, d))],
  ["x y", mul(x, y)],
  ["xy", sym("xy")],
  ["2 x y z", mul(n(2), x, y, z)],
  ["2 sigmoid(x)", mul(n(2), sigmoid(x))],
  ["2x^2", mul(n(2), pow(x, n(2)))],
  ["x^2 y", mul(pow(x, n(2)), y)],
  ["x y^2 z", mul(x, pow(y, n(2)), z)],
  ["a -b", sub(a, b)],
  ["a - b c", sub(a, mul(b, c))],
  ["-a b", neg(mul(a, b))],
  ["a/2x", mul(q(1, 2), a, x)], // one level, left to right: (a/2) x
  ["a/b c", mul(div(a, b), c)],
  ["x(y + 1)", mul(x, add(y, n(1)))], // x is no function: implicit multiplication
  ["x (y + 1)", mul(x, add(y, n(1)))],
  // a power after x(…) binds to the parenthesised factor: x(a)^2 is x*(a^2), not (x*a)^2
  ["2x(x + 1)^2", mul(n(2), x, pow(add(x, n(1)), n(2)))],
  ["x(y + 1)²", mul(x, pow(add(y, n(1)), n(2)))],
  ["x(y)^2^3", mul(x, pow(y, n(8)))],
  ["x(y)^-1", mul(x, pow(y, n(-1)))],
  ["sigmoid(x)^2", pow(sigmoid(x), n(2))],
  ["a(b)(c)", mul(a, b, c)],
  ["(x)(y)", mul(x, y)],
  ["[a + b] c", mul(add(a, b), c)],
  ["[a + b][c + d]", mul(add(a, b), add(c, d))],
  ["2 (3)", n(6)],
  [".5x", mul(q(1, 2), x)],
  ["1e-3 x", mul(q(1, 1000), x)],
  ["σ(x)(1 - σ(x))", mul(sigmoid(x), sub(n(1), sigmoid(x)))],
  ["2(y - ŷ) w3", mul(n(2), sub(y, sym("ŷ")), sym("w3"))],
  ["pi r^2", mul(sym("pi"), pow(sym("r"), n(2)))],
  ["pi(r^2)", mul(sym("pi"), pow(sym("r"), n(2)))],
  ["e(x + 1)", mul(e, add(x, n(1)))],
  // numbers
  ["0.5", q(1, 2)],
  ["1e-3", q(1, 1000)],
  ["2.5E+10", n(25_000_000_000)],
  ["2.", n(2)],
  ["0.1 + 0.2", q(3, 10)],
  // functions, constants, Unicode operators
  ["sigmoid(x)", sigmoid(x)],
  ["σ(x)", sigmoid(x)],
  ["sigma(x)", sigmoid(x)],
  ["σ", sym("sigma")],
  ["σ σ(σ)", mul(sym("sigma"), sigmoid(sym("sigma")))],
  ["ln(x)", call("log", x)],
  ["log(x)", call("log", x)],
  ["exp(-x)", call("exp", neg(x))],
  ["sigmoid(sigmoid(x))", sigmoid(sigmoid(x))],
  ["-sigmoid(x)^2", neg(pow(sigmoid(x), n(2)))],
  ["π", sym("pi")],
  ["pi", sym("pi")],
  ["e", e],
  ["x·y", mul(x, y)],
  ["x × y", mul(x, y)],
  ["x ÷ y", div(x, y)],
  ["x − y", sub(x, y)],
  ["−x", neg(x)],
  ["x_1 + w_{12}", add(sym("x1"), sym("w12"))],
  // the summation operator: its body is the rest of the term (the product it ends)
  ["Σ_{i=1}^{2} x_i - y", sub(add(x1, x2), y)],
  ["Σ_{i=1}^{2} x_i y + z", add(mul(x1, y), mul(x2, y), z)],
  ["a * Σ_{i=1}^2 x_i * c", mul(a, add(mul(x1, c), mul(x2, c)))],
  ["a Σ_{i=1}^2 x_i", mul(a, add(x1, x2))],
  ["2 Σ_{i=1}^2 x_i", mul(n(2), add(x1, x2))],
  ["-Σ_{i=1}^2 x_i", neg(add(x1, x2))],
  ["a - Σ_{i=1}^2 x_i", sub(a, add(x1, x2))],
  ["a -Σ_{i=1}^2 x_i", sub(a, add(x1, x2))],
  ["x * -Σ_{i=1}^2 x_i", neg(mul(x, add(x1, x2)))],
  ["(Σ_{i=1}^2 x_i)^2", pow(add(x1, x2), n(2))],
  ["∑_{i=1}^3 i", n(6)],
  ["Σ_{i = 1}^{2} Σ_{j=1}^{2} i j", n(9)],
  ["Σ + Σ_i", add(sym("Sigma"), sym("Sigma_i"))],
  // whitespace and comments
  ["  x\t+ y  # a comment", add(x, y)],
  ["\n\nx + y\n\n", add(x, y)],
  ["(x +\n y)", add(x, y)],
  ["x +\n y", add(x, y)],
];

describe("precedence and implicit multiplication", () => {
  for (const [input, expected] of TABLE) {
    it(JSON.stringify(input), () => {
      expect(parseExpression(input)).toBe(expected);
    });
  }

  it("every row has exactly one parse", () => {
    for (const [input] of TABLE) expect(parseCount(input), input).toBe(1);
  });

  it("definitions have exactly one parse too", () => {
    for (const input of ["a = b c", "f(x) = x^2", "f(x, y) = x y + f", "a = f(x)(y)", "L = -y log(f) - (1 - y) log(1 - f)"]) {
      expect(parseCount(input), input).toBe(1);
    }
  });

  it("Σ with symbolic or missing bounds has exactly one parse too (the builder refuses it)", () => {
    for (const input of [
      "Σ_{i=1}^{n} (y_i - w x_i)^2",
      "Σ_{i=1}^{n} Σ_{j=1}^{m} w_ij x_j",
      "(1/n) Σ_{i=1}^{n} x_i",
      "Σ_{i=1}^{n} x_i - y",
      "a * Σ_{i=1}^n b * c",
      "a Σ_{i=1}^n b Σ_{j=1}^m c d - e",
      "-Σ_{i=1}^n -x_i",
      "∑_i x_i",
      "L = Σ_{i=1}^{n} (y_i - f(x_i))^2",
      "f(x) = Σ_{i=1}^{3} x^i",
      "Σ: matrix(2, 2)",
    ]) {
      expect(parseCount(input), input).toBe(1);
    }
  });

  it("keeps the operators' canonical forms: a - b is a + (-1) b, a / b is a b^-1", () => {
    expect(parseExpression("a - b")).toBe(add(a, mul(n(-1), b)));
    expect(parseExpression("a / b")).toBe(mul(a, pow(b, n(-1))));
  });

  it("does not allow a number as the right operand of an implicit product", () => {
    expect(() => parseExpression("x 2")).toThrow(DeriveError);
    expect(() => parseExpression("2 3")).toThrow(DeriveError);
  });
});

describe("random token sequences", () => {
  const TOKENS = ["x", "y", "2", "0.5", "+", "-", "*", "/", "^", "**", "²", "(", ")", "[", "]", ",", "σ", "sigmoid(", "exp(", "f(", " ", "=", "·", "Σ_{i=1}^{2}", "∑_{j=1}^n", "Σ", "x_i"];
  it("never parse ambiguously and fail only with a DeriveError", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 }), (parts) => {
        const text = parts.join(" ");
        let count: number | undefined;
        try {
          count = parseCount(text);
        } catch {
          // not a statement: the public API must say so with a DeriveError
        }
        if (count !== undefined) expect(count).toBeLessThanOrEqual(1);
        try {
          parseExpression(text);
        } catch (err) {
          expect(err).toBeInstanceOf(DeriveError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
