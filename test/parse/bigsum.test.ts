/** Σ_{i=1}^{n} body (also ∑): the summation operator as input syntax, the same as sum(body, i, lo, hi). */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, mul, neg, num, pow, sub, sym, type Expr } from "../../src/ast/index.js";
import { parseMatrixProgram } from "../../src/matrix/build.js";
import { tokenize } from "../../src/parse/lexer.js";
import { parseExpression, parseProgram, parseStatements } from "../../src/parse/index.js";
import type { BigSumNode, Syntax } from "../../src/parse/syntax.js";
import { toText } from "../../src/render/index.js";
import { deriveError, parseCount } from "./helpers.js";

const s = (name: string): Expr => sym(name);
const [a, b, c, w, y] = ["a", "b", "c", "w", "y"].map(s) as [Expr, Expr, Expr, Expr, Expr];
const [x1, x2, x3] = ["x1", "x2", "x3"].map(s) as [Expr, Expr, Expr];

/** The syntax tree of a one-expression input. */
function syntaxOf(text: string): Syntax {
  const [st] = parseStatements(text);
  if (st?.type !== "expression") throw new Error("expected an expression");
  return st.expr;
}

describe("the bigsum token", () => {
  it("reads ∑ with a subscript and an optional upper bound, braced or not", () => {
    for (const text of ["∑_{i=1}^{n}", "∑_{i=1}^n", "∑_{i=1}^{3}", "∑_i", "∑_{i}", "∑_{i = 1}^{10}", "∑_{i=1}^n_1", "∑_i^n"]) {
      const tokens = tokenize(`${text} x_i`);
      expect(tokens[0]!.type, text).toBe("bigsum");
      expect(tokens[0]!.text, text).toBe(text);
    }
  });

  it("reads Σ as the operator only with \"=\" inside braces", () => {
    for (const text of ["Σ_{i=1}^{n}", "Σ_{i=1}^n", "Σ_{i = 1}^{10}", "Σ_{k=0}^{d}"]) {
      expect(tokenize(`${text} x`)[0]).toMatchObject({ type: "bigsum", text });
    }
    for (const text of ["Σ", "Σ_i", "Σ_{12}", "Σ_k"]) expect(tokenize(text)[0]).toMatchObject({ type: "name", text });
  });

  it("ends an unbraced upper bound at the end of its digits or name", () => {
    expect(tokenize("Σ_{i=1}^3x_i").map((t) => t.text)).toEqual(["Σ_{i=1}^3", "x_i"]);
    expect(tokenize("Σ_{i=1}^{n}x_i").map((t) => t.text)).toEqual(["Σ_{i=1}^{n}", "x_i"]);
  });

  it("gives the node the index and the bounds as typed, trimmed", () => {
    const node = syntaxOf("Σ_{ i = 1 }^{ n } x_i y_i") as BigSumNode;
    expect(node).toMatchObject({ type: "bigsum", index: "i", lower: "1", upper: "n" });
    expect(node.token.text).toBe("Σ_{ i = 1 }^{ n }");
    expect(node.body).toMatchObject({ type: "binary", op: "implicit" });
    expect(syntaxOf("∑_i x_i")).toMatchObject({ type: "bigsum", index: "i", lower: null, upper: null });
    expect(syntaxOf("∑_{j}^m x_j")).toMatchObject({ type: "bigsum", index: "j", lower: null, upper: "m" });
    expect(syntaxOf("Σ_{k=0}^n_1 x_k")).toMatchObject({ type: "bigsum", index: "k", lower: "0", upper: "n_1" });
  });
});

describe("Σ is sum(…)", () => {
  it("writes the terms out as sum(…) does", () => {
    expect(parseExpression("Σ_{i=1}^{3} x_i^2")).toBe(parseExpression("sum(x_i^2, i, 1, 3)"));
    expect(parseExpression("∑_{i=1}^3 x_i^2")).toBe(add(pow(x1, num(2)), pow(x2, num(2)), pow(x3, num(2))));
    expect(parseExpression("Σ_{i = 1}^{10} i^2")).toBe(num(385));
    expect(parseExpression("Σ_{i=-2}^{2} i")).toBe(num(0));
    expect(parseExpression("Σ_{i=3}^{1} x_i")).toBe(parseExpression("sum(x_i, i, 3, 1)"));
    expect(parseExpression("Σ_{i=1}^3x_i")).toBe(add(x1, x2, x3));
  });

  it("gives the same expression as sum(…) for random bounds and bodies", () => {
    // products: the body of Σ is the rest of the term (a sum in parentheses)
    const bodies = ["x_i", "x_i^2", "i x_i", "(y_i - w x_i)^2", "(w_i x_i + b)", "σ(w x_i) y_i / 2", "-i^2 x_i", "2^i"];
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -1, max: 6 }), fc.constantFrom("Σ", "∑"), (body, lo, n, symbol) => {
        const hi = lo + n;
        const braced = `${symbol}_{i=${lo}}^{${hi}} ${body}`;
        expect(parseExpression(braced), braced).toBe(parseExpression(`sum(${body}, i, ${lo}, ${hi})`));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("nests, inside out", () => {
    expect(parseExpression("Σ_{i=1}^{2} Σ_{j=1}^{2} w_ij x_j")).toBe(parseExpression("sum(sum(w_ij*x_j, j, 1, 2), i, 1, 2)"));
    expect(parseExpression("Σ_{i=1}^{2} Σ_{j=1}^{3} w_ij x_j")).toBe(parseExpression("w11 x1 + w12 x2 + w13 x3 + w21 x1 + w22 x2 + w23 x3"));
    // Σ inside sum(…) and the other way round: the indices of both are known to each
    expect(parseExpression("sum(Σ_{j=1}^{2} w_ij x_j, i, 1, 2)")).toBe(parseExpression("sum(sum(w_ij*x_j, j, 1, 2), i, 1, 2)"));
    expect(parseExpression("Σ_{i=1}^{2} sum(w_ij x_j, j, 1, 2)")).toBe(parseExpression("sum(sum(w_ij*x_j, j, 1, 2), i, 1, 2)"));
  });

  it("leaves words in subscripts alone and gives the written-out names as the program's variables", () => {
    expect(toText(parseProgram("f_in = 2; Σ_{i=1}^{2} f_in x_i").target)).toBe("f_in*x1 + f_in*x2");
    expect(parseProgram("L = Σ_{i=1}^{2} (w x_i - y_i)^2; L").variables).toEqual(parseProgram("L = sum((w*x_i - y_i)^2, i, 1, 2); L").variables);
    expect(parseProgram("L = Σ_{i=1}^{2} (w x_i - y_i)^2; L").variables).toEqual(["w", "x1", "y1", "x2", "y2"]);
  });
});

describe("the body of Σ is the rest of the term", () => {
  const sumX = add(x1, x2);
  const TABLE: Array<[string, Expr]> = [
    ["Σ_{i=1}^{2} x_i y_i + 1", add(mul(x1, s("y1")), mul(x2, s("y2")), num(1))],
    ["Σ_{i=1}^{2} x_i - y", sub(sumX, y)],
    ["a * Σ_{i=1}^2 b_i * c", mul(a, add(mul(s("b1"), c), mul(s("b2"), c)))],
    ["a Σ_{i=1}^2 x_i", mul(a, sumX)],
    ["2 Σ_{i=1}^2 x_i", mul(num(2), sumX)],
    ["(1/n) Σ_{i=1}^{2} x_i", mul(pow(s("n"), num(-1)), sumX)],
    ["Σ_{i=1}^{2} x_i / 2", parseExpression("x1/2 + x2/2")], // the whole product: Σ (x_i / 2)
    ["Σ_{i=1}^{2} (y_i - w x_i)^2", add(pow(sub(s("y1"), mul(w, x1)), num(2)), pow(sub(s("y2"), mul(w, x2)), num(2)))],
    ["-Σ_{i=1}^2 x_i", neg(sumX)],
    ["- -Σ_{i=1}^2 x_i", sumX],
    ["a - Σ_{i=1}^2 x_i", sub(a, sumX)],
    ["a -Σ_{i=1}^2 x_i", sub(a, sumX)],
    ["a * -Σ_{i=1}^2 x_i", neg(mul(a, sumX))],
    ["Σ_{i=1}^2 -x_i", parseExpression("-x1 - x2")],
    ["Σ_{i=1}^2 x_i Σ_{j=1}^2 y_j", parseExpression("x1 (y1 + y2) + x2 (y1 + y2)")],
    ["(Σ_{i=1}^2 x_i)^2", pow(sumX, num(2))],
    ["Σ_{i=1}^2 x_i^2 + Σ_{i=1}^2 i", add(pow(x1, num(2)), pow(x2, num(2)), num(3))],
    ["exp(Σ_{i=1}^2 x_i)", parseExpression("exp(x1 + x2)")],
    ["b + Σ_{i=1}^{2} w_i x_i", add(b, mul(s("w1"), x1), mul(s("w2"), x2))],
  ];
  for (const [input, expected] of TABLE) {
    it(JSON.stringify(input), () => {
      expect(parseCount(input)).toBe(1);
      expect(parseExpression(input)).toBe(expected);
    });
  }

  it("parses symbolic bounds once (the builder refuses them)", () => {
    for (const input of ["Σ_{i=1}^{n} (y_i - w x_i)^2", "Σ_{i=1}^{n} Σ_{j=1}^{m} w_ij x_j", "(1/n) Σ_{i=1}^{n} x_i", "Σ_{i=1}^{n} x_i - y", "∑_i x_i"]) {
      expect(parseCount(input), input).toBe(1);
    }
  });

  it("is no operand of a power or a factor in front of others: a * Σ … * c is a * Σ(… * c)", () => {
    expect(syntaxOf("a * Σ_{i=1}^n b * c")).toMatchObject({ type: "binary", op: "*", left: { type: "name" }, right: { type: "bigsum", body: { type: "binary", op: "*" } } });
    expect(() => parseExpression("x^Σ_{i=1}^2 x_i")).toThrow(/unexpected "Σ_\{i=1\}\^2"/);
  });
});

describe("errors at the Σ token", () => {
  it("refuses a symbolic bound as sum(…) does, with a caret", () => {
    const err = deriveError(() => parseExpression("y + Σ_{i=1}^{n} x_i"));
    expect(err.message).toBe("line 1, column 5: Σ_{i=1}^{n} needs whole-number bounds here (sums up to a symbolic n are read in index notation by parse, eval, diff, grad, hessian, steps and sheets)");
    expect(err.position).toEqual({ line: 1, column: 5 });
    expect(err.detail).toBe("y + Σ_{i=1}^{n} x_i\n    ^^^^^^^^^^^");
    expect(deriveError(() => parseExpression("sum(x_i, i, 1, n)")).message).toContain("needs whole-number bounds here (sums up to a symbolic n are read in index notation");
  });

  it("asks for the bounds when they are missing", () => {
    const err = deriveError(() => parseProgram("a = 1\nL = ∑_i x_i"));
    expect(err.message).toMatch(/^line 2, column 5: ∑_i needs its bounds: write them, as in ∑_\{i=1\}\^\{n\}/);
    expect(err.detail).toBe("L = ∑_i x_i\n    ^^^");
    expect(deriveError(() => parseExpression("Σ_{i=1} x_i")).message).toMatch(/^line 1, column 1: Σ_\{i=1\} needs both bounds: write them, as in Σ_\{i=1\}\^\{n\}/);
    expect(deriveError(() => parseExpression("∑_i^3 x_i")).message).toContain("needs both bounds");
  });

  it("refuses malformed operators at the token", () => {
    const cases: Array<[string, string, string]> = [
      ["Σ_{ij=1}^{n} x", 'line 1, column 1: the index of Σ is a single lower-case letter, as in Σ_{i=1}^{n}, not "ij"', "Σ_{ij=1}^{n} x\n^^^^^^^^^^^^"],
      ["x + ∑_{12}^3 x", 'line 1, column 5: the index of ∑ is a single lower-case letter, as in ∑_{i=1}^{n}, not "12"', "x + ∑_{12}^3 x\n    ^^^^^^^^"],
      ["Σ_{i=1}^ x", 'line 1, column 1: "^" after Σ needs the upper bound, as in Σ_{i=1}^{n}', "Σ_{i=1}^ x\n^^^^^^^^"],
      ["Σ_{i=1}^{ } x", 'line 1, column 1: "^" after Σ needs the upper bound, as in Σ_{i=1}^{n}', "Σ_{i=1}^{ } x\n^^^^^^^^^^^"],
      ["Σ_{i=}^{3} x", 'line 1, column 1: the lower bound of Σ goes after "=", as in Σ_{i=1}^{n}', "Σ_{i=}^{3} x\n^^^^^^^^^^"],
      ["∑ x", "line 1, column 1: ∑ needs an index (and bounds), as in ∑_{i=1}^{n}", "∑ x\n^"],
    ];
    for (const [input, message, detail] of cases) {
      const err = deriveError(() => parseExpression(input));
      expect(err.message, input).toBe(message);
      expect(err.detail, input).toBe(detail);
    }
  });

  it("refuses a sum too long to write out, at the Σ", () => {
    const err = deriveError(() => parseExpression("Σ_{i=1}^{20000} x_i"));
    expect(err.message).toBe("line 1, column 1: Σ_{i=1}^{20000} would have more than 10000 terms");
    expect(err.detail).toContain("^^^^^^^^^^^^^^^");
  });

  it("is refused in matrix programs as sum(body, i, lo, hi) is, at the token", () => {
    const err = deriveError(() => parseMatrixProgram("W: matrix(2, 2)\nL = Σ_{i=1}^{2} x_i + sum(W)\nL"));
    expect(err.message).toMatch(/^line 2, column 5: Σ_\{i=1\}\^\{2\} \(an index sum\) is not supported in matrix programs/);
    expect(err.detail).toBe("L = Σ_{i=1}^{2} x_i + sum(W)\n    ^^^^^^^^^^^");
  });
});

describe("Σ is still a name", () => {
  it("as before: Σ, Σ_i, Σ + 1, Σ: matrix(2, 2)", () => {
    expect(parseExpression("Σ + 1")).toBe(add(s("Sigma"), num(1)));
    expect(parseExpression("Σ_i")).toBe(s("Sigma_i"));
    expect(parseExpression("Σ_i x_i")).toBe(mul(s("Sigma_i"), s("x_i")));
    expect(parseExpression("2Σ")).toBe(mul(num(2), s("Sigma")));
    expect(parseCount("Σ: matrix(2,2)")).toBe(1);
    const program = parseMatrixProgram("Σ: matrix(2,2)\nx: vector(2)\nx' Σ x");
    expect([...program.declarations.keys()]).toEqual(["Sigma", "x"]);
  });

  it("next to the operator", () => {
    expect(parseProgram("Σ = 3; Σ_{i=1}^{2} Σ x_i").target).toBe(parseProgram("Σ = 3; Σ x1 + Σ x2").target);
    expect(parseProgram("Σ = 3; Σ_{i=1}^{2} Σ x_i").variables).toEqual(["x1", "x2"]);
  });
});
