import { describe, expect, it } from "vitest";
import fc from "fast-check";
import katex from "katex";
import { add, call, div, mul, neg, num, pow, sub, sym, Q, type Expr } from "../../src/ast/index.js";
import { toLatex } from "../../src/render/index.js";
import { arbExpr } from "../support/arbitrary.js";

const x = sym("x");
const y = sym("y");
const z = sym("z");
const p = sym("p");
const q = (n: number, d: number) => num(Q.rational(BigInt(n), BigInt(d)));
const sigmoid = (a: Expr) => call("sigmoid", a);

/** KaTeX must accept the string; strict "error" also rejects input that would only warn. */
const renders = (latex: string): string => katex.renderToString(latex, { throwOnError: true, strict: "error" });

describe("toLatex", () => {
  const net = call("tanh", add(mul(sym("w1"), x), sym("b1")));
  const table: Array<[string, Expr, string]> = [
    // the sheet formulas
    ["sigmoid derivative", mul(sigmoid(z), sub(num(1), sigmoid(z))), "\\sigma(z) \\left(1 - \\sigma(z)\\right)"],
    [
      "sigmoid derivative of a sum",
      mul(sigmoid(add(x, y)), sub(num(1), sigmoid(add(x, y)))),
      "\\sigma\\left(x + y\\right) \\left(1 - \\sigma\\left(x + y\\right)\\right)",
    ],
    [
      "BCE loss",
      neg(add(mul(y, call("log", p)), mul(sub(num(1), y), call("log", sub(num(1), p))))),
      "-\\left(y \\log(p) + \\log\\left(1 - p\\right) \\left(1 - y\\right)\\right)",
    ],
    [
      "BCE gradient",
      add(neg(div(y, p)), div(sub(num(1), y), sub(num(1), p))),
      "\\frac{1 - y}{1 - p} - \\frac{y}{p}",
    ],
    ["tanh net", net, "\\tanh\\left(b_{1} + w_{1} x\\right)"],
    ["tanh net derivative", sub(num(1), pow(net, num(2))), "1 - \\tanh\\left(b_{1} + w_{1} x\\right)^{2}"],
    [
      "squared error",
      mul(q(1, 2), pow(sub(y, sym("f_out")), num(2))),
      "\\frac{\\left(y - f_{\\text{out}}\\right)^{2}}{2}",
    ],
    [
      "softmax",
      div(call("exp", sym("z1")), add(call("exp", sym("z1")), call("exp", sym("z2")))),
      "\\frac{e^{z_{1}}}{e^{z_{1}} + e^{z_{2}}}",
    ],
    // layout rules
    ["sum", add(mul(num(2), x), pow(y, num(2)), num(-3)), "2 x + y^{2} - 3"],
    ["positive term leads", sub(num(1), y), "1 - y"],
    ["quotient", div(mul(x, y), mul(z, sym("w"))), "\\frac{x y}{w z}"],
    ["reciprocal", pow(x, num(-1)), "\\frac{1}{x}"],
    ["negative half", mul(q(-1, 2), x), "-\\frac{x}{2}"],
    ["rational coefficient", mul(q(3, 2), x), "\\frac{3 x}{2}"],
    ["coefficient over a product", div(num(3), mul(num(2), x)), "\\frac{3}{2 x}"],
    ["sum in a denominator product", div(x, mul(num(2), add(y, num(1)))), "\\frac{x}{2 \\left(y + 1\\right)}"],
    ["negated sum", neg(add(x, y)), "-\\left(x + y\\right)"],
    ["unary minus and power", neg(pow(x, num(2))), "-x^{2}"],
    ["square root", pow(x, q(1, 2)), "\\sqrt{x}"],
    ["reciprocal root", pow(add(x, num(1)), q(-1, 2)), "\\frac{1}{\\sqrt{x + 1}}"],
    ["rational exponent", pow(x, q(3, 2)), "x^{3/2}"],
    ["zero to a negative power", mul(num(2), pow(num(0), num(-3))), "2 \\cdot 0^{-3}"],
    ["negative base", pow(num(-2), x), "\\left(-2\\right)^{x}"],
    ["fraction base", pow(q(1, 3), x), "\\left(\\frac{1}{3}\\right)^{x}"],
    ["sum base", pow(add(x, num(1)), num(2)), "\\left(x + 1\\right)^{2}"],
    ["power base", pow(pow(x, y), q(1, 3)), "\\left(x^{y}\\right)^{1/3}"],
    ["exp base (no double superscript)", pow(call("exp", x), y), "\\left(e^{x}\\right)^{y}"],
    ["sqrt base", pow(call("sqrt", x), y), "\\left(\\sqrt{x}\\right)^{y}"],
    ["call base", pow(sigmoid(x), num(2)), "\\sigma(x)^{2}"],
    ["abs base", pow(call("abs", add(x, num(1))), num(3)), "\\left|x + 1\\right|^{3}"],
    ["tower", pow(num(2), pow(num(3), x)), "2^{3^{x}}"],
    ["symbolic negative exponent", pow(x, neg(y)), "x^{-y}"],
    ["e and pi", mul(sym("pi"), pow(sym("e"), x)), "e^{x} \\pi"],
    ["dot before a digit", mul(num(2), pow(num(3), x)), "2 \\cdot 3^{x}"],
    ["dot before a decimal", mul(x, pow(num(0.5), y)), "x \\cdot 0.5^{y}"],
    ["dot after a command symbol", mul(sym("sigma"), add(x, num(1))), "\\sigma \\cdot \\left(x + 1\\right)"],
    ["dot after an upright name", mul(sym("lr"), add(x, num(1))), "\\mathrm{lr} \\cdot \\left(x + 1\\right)"],
    ["juxtaposition after a letter", mul(x, add(x, num(1))), "x \\left(x + 1\\right)"],
    ["names", mul(sym("lr"), sym("w12"), sym("alpha1")), "\\alpha_{1} \\mathrm{lr} w_{12}"],
    ["decimal", add(x, num(0.25)), "x + 0.25"],
    ["small number", add(x, num(1e-3)), "x + 0.001"],
    ["scientific", add(x, num(1e-15)), "x + 10^{-15}"],
    ["scientific with mantissa", sub(x, num(2.5e-7)), "x - 2.5 \\cdot 10^{-7}"],
    ["scientific base", pow(num(1e-5), x), "\\left(10^{-5}\\right)^{x}"],
    ["fraction number", sub(x, q(5, 6)), "x - \\frac{5}{6}"],
    ["negative fraction alone", q(-5, 6), "-\\frac{5}{6}"],
    ["relu", call("relu", x), "\\operatorname{relu}(x)"],
    ["unknown function", call("g_out", x, y), "g_{\\text{out}}\\left(x, y\\right)"],
  ];
  for (const [name, e, latex] of table) {
    it(name, () => {
      expect(toLatex(e)).toBe(latex);
      renders(latex);
    });
  }

  it("produces LaTeX KaTeX accepts for every generated expression", () => {
    fc.assert(
      fc.property(arbExpr(), (e) => {
        renders(toLatex(e));
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps odd symbol names inert", () => {
    const odd = ["a}\\x{", "}", "\\href{javascript:alert(1)}{x}", "a%b", "$x$", "x^y_z", "a&b#c", "~ ' \" <>"];
    for (const name of odd) {
      const latex = toLatex(add(mul(sym(name), y), x));
      // `x` must survive: a `%` or an unbalanced brace in the name would swallow or break it
      expect(renders(latex)).toContain(">x<");
      expect(latex).not.toContain("\\href");
    }
  });
});

describe("toLatex on large input", () => {
  it("prints a 1000-deep sigmoid chain", () => {
    let e: Expr = x;
    for (let i = 0; i < 1000; i++) e = sigmoid(e);
    const latex = toLatex(e);
    expect(latex).toBe(`${"\\sigma\\left(".repeat(999)}\\sigma(x)${"\\right)".repeat(999)}`);
  });

  it("prints a 1000-deep exp chain", () => {
    let e: Expr = x;
    for (let i = 0; i < 1000; i++) e = call("exp", e);
    expect(toLatex(e).startsWith("\\exp\\left(\\exp\\left(")).toBe(true);
  });

  it("prints a sum of 100,000 terms", () => {
    const terms: Expr[] = [];
    for (let i = 0; i < 100_000; i++) terms.push(mul(num((i % 5) - 2 || 1), sym(`x${i}`)));
    const latex = toLatex(add(...terms));
    expect(latex.startsWith("x_{2} - 2 x_{0} - x_{1} + x_{3} + 2 x_{4} - 2 x_{5}")).toBe(true);
  });
});
