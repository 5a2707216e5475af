/**
 * Error messages: every mistake is a DeriveError with the position (1-based line and column,
 * columns in code points), a message naming what was found and what was expected, and as
 * detail the offending line with a caret under the offending text.
 */
import { describe, expect, it } from "vitest";
import { parseExpression, parseProgram } from "../../src/parse/index.js";
import { deriveError } from "./helpers.js";

interface Expected {
  message: string;
  line?: number;
  column?: number;
  detail?: string;
}

function expectError(work: () => unknown, expected: Expected): void {
  const err = deriveError(work);
  expect(err.message).toEqual(expected.message);
  if (expected.line !== undefined) expect(err.position).toEqual({ line: expected.line, column: expected.column });
  if (expected.detail !== undefined) expect(err.detail).toBe(expected.detail);
}

describe("syntax errors", () => {
  it("names the unexpected token and the expected ones, with a caret", () => {
    expectError(() => parseExpression("x + 2*)"), {
      message: 'line 1, column 7: unexpected ")"; expected a number, a name, "(", "[" or "-"',
      line: 1,
      column: 7,
      detail: "x + 2*)\n      ^",
    });
  });

  it("says 'unexpected end of input' at the end", () => {
    expectError(() => parseExpression("x +"), {
      message: 'line 1, column 4: unexpected end of input; expected a number, a name, "(", "[" or "-"',
      line: 1,
      column: 4,
      detail: "x +\n   ^",
    });
    expectError(() => parseExpression("(x"), {
      message: 'line 1, column 3: unexpected end of input; expected an operator, a name, "(", "[" or ")"',
      detail: "(x\n  ^",
    });
  });

  it("after an operand, summarises the operators and says the statement could end", () => {
    expectError(() => parseProgram("a = 1\nb = (a +\n  2))"), {
      message: 'line 3, column 5: unexpected ")"; expected an operator, a name, "(", "[" or the end of the statement',
      line: 3,
      column: 5,
      detail: "  2))\n    ^",
    });
  });

  it("reports unexpected numbers and names by kind", () => {
    expectError(() => parseExpression("2 3"), {
      message: 'line 1, column 3: unexpected number 3; expected an operator, a name, "(", "[" or the end of the statement',
    });
    expectError(() => parseExpression("(x y, z)"), {
      message: 'line 1, column 5: unexpected ","; expected an operator, a name, "(", "[" or ")"',
    });
  });

  it("reports characters that start no token the same way", () => {
    expectError(() => parseExpression("x + $"), {
      message: 'line 1, column 5: unexpected character "$"',
      line: 1,
      column: 5,
      detail: "x + $\n    ^",
    });
    expectError(() => parseExpression("x!"), { message: 'line 1, column 2: unexpected character "!" (factorials are not supported)' });
  });

  it("counts columns in code points", () => {
    expectError(() => parseExpression("α + β +)"), { message: expect.stringMatching(/^line 1, column 8: /) as unknown as string, line: 1, column: 8 });
    // U+1D465 (mathematical italic x) is one code point but two UTF-16 units
    expectError(() => parseExpression("𝑥 + )"), { message: expect.stringMatching(/^line 1, column 5: /) as unknown as string, detail: "𝑥 + )\n    ^" });
  });

  it("keeps tabs in the caret line so the caret stays aligned", () => {
    expectError(() => parseExpression("\tx +\t)"), { line: 1, column: 6, detail: "\tx +\t)\n\t   \t^", message: expect.any(String) as unknown as string });
  });

  it("points at the right line of a program and mentions an unclosed bracket", () => {
    expectError(() => parseProgram("a = (1 +\nb = 2"), {
      message: 'line 2, column 3: unexpected "="; expected an operator, a name, "(", "[" or ")" (the "(" on line 1, column 5 is not closed)',
      line: 2,
      column: 3,
      detail: "b = 2\n  ^",
    });
  });

  it("explains what may stand left of =", () => {
    expectError(() => parseProgram("2x = 3"), {
      message: 'line 1, column 4: unexpected "="; expected an operator, a name, "(", "[" or the end of the statement (only a name or f(x, …) can stand left of "=", at the start of a statement)',
    });
  });

  it("rejects a semicolon inside brackets where it is", () => {
    expectError(() => parseProgram("y = (a; b)"), { message: 'line 1, column 7: unexpected ";"; expected an operator, a name, "(", "[" or ")"' });
  });

  it("shows a window of a very long line", () => {
    const text = "x" + "+x".repeat(200) + " $";
    const err = deriveError(() => parseExpression(text));
    expect(err.message).toBe('line 1, column 403: unexpected character "$"');
    const [line, caret] = err.detail!.split("\n") as [string, string];
    expect(line.startsWith("…")).toBe(true);
    expect(line.endsWith(" $")).toBe(true);
    expect(caret.length).toBe(line.length);
    expect(caret.trim()).toBe("^");
  });

  it("rejects malformed names with a clear message", () => {
    expectError(() => parseExpression("x_{a+b}"), {
      message: 'line 1, column 1: the subscript "{a+b}" in "x_{a+b}" may only contain letters, digits and commas',
      detail: "x_{a+b}\n^^^^^^^",
    });
    expectError(() => parseExpression("y + x_"), { message: 'line 1, column 5: "x_" has an empty subscript (write x_1, w_{12}, f_out)' });
  });

  it("rejects absurd numbers", () => {
    expectError(() => parseExpression("1e999999"), { message: "line 1, column 1: number out of range: 1e999999" });
  });

  it("rejects empty input", () => {
    expectError(() => parseExpression(""), { message: "empty input: expected an expression" });
    expectError(() => parseProgram("# nothing\n\n  \n"), { message: "empty input: expected an expression or definitions followed by one" });
  });
});

describe("name errors", () => {
  it("a built-in function without arguments", () => {
    expectError(() => parseExpression("2 exp + 1"), { message: "line 1, column 3: exp is a function: write exp(…)", detail: "2 exp + 1\n  ^^^" });
    expectError(() => parseExpression("sin x"), { message: "line 1, column 1: sin is a function: write sin(…)" });
    expectError(() => parseExpression("ln"), { message: "line 1, column 1: ln is a function: write ln(…)" });
  });

  it("a user function without arguments", () => {
    expectError(() => parseProgram("f(x) = x^2\nf + 1"), { message: "line 2, column 1: f is a function: write f(…)" });
  });

  it("wrong numbers of arguments", () => {
    expectError(() => parseExpression("sigmoid(x, 2)"), { message: "line 1, column 1: sigmoid takes 1 argument, but 2 are given", detail: "sigmoid(x, 2)\n^^^^^^^" });
    expectError(() => parseExpression("σ(x, y)"), { message: "line 1, column 1: sigmoid takes 1 argument, but 2 are given" });
    expectError(() => parseProgram("g(a, b) = a b\ng(1)"), { message: "line 2, column 1: g takes 2 arguments (a, b), but 1 is given" });
  });

  it("unknown functions with several arguments", () => {
    expectError(() => parseExpression("1 + f(x, y)"), {
      message: 'line 1, column 5: unknown function "f" with 2 arguments; define it first, as in f(x, y) = …',
      detail: "1 + f(x, y)\n    ^",
    });
  });
});

describe("program errors", () => {
  it("redefinition names both lines", () => {
    expectError(() => parseProgram("x = 1\ny = 2\nx = 3\nx + y"), {
      message: "line 3, column 1: x is defined twice: on line 1 and on line 3",
      line: 3,
      column: 1,
      detail: "x = 3\n^",
    });
    // one name, two spellings
    expectError(() => parseProgram("w_{12} = 1\nw12 = 2\nw12"), { message: "line 2, column 1: w12 is defined twice: on line 1 and on line 2" });
    expectError(() => parseProgram("f(x) = x\nf = 2\nf"), { message: "line 2, column 1: f is defined twice: on line 1 and on line 2" });
  });

  it("cycles", () => {
    expectError(() => parseProgram("a = b + 1\nb = 2 c\nc = a^2\na"), { message: "line 1, column 1: definitions form a cycle: a → b → c → a", detail: "a = b + 1\n^" });
    expectError(() => parseProgram("a = a + 1; a"), { message: "line 1, column 1: definitions form a cycle: a → a" });
    expectError(() => parseProgram("f(x) = g(x)\ng(x) = 2 f(x)\nf(1)"), {
      message: "line 2, column 10: function definitions form a cycle: f → g → f",
      detail: "g(x) = 2 f(x)\n         ^",
    });
    expectError(() => parseProgram("f(x) = x f(x - 1)\nf(3)"), { message: "line 1, column 10: f applies itself: recursive functions are not supported" });
    // a cycle through a function application
    expectError(() => parseProgram("f(t) = t + a\na = f(1)\na"), { message: "line 2, column 1: definitions form a cycle: a → a" });
  });

  it("defining built-in names", () => {
    expectError(() => parseProgram("exp = 2\nexp"), { message: "line 1, column 1: cannot define exp: it is a built-in function" });
    expectError(() => parseProgram("ln(x) = x\nln(2)"), { message: "line 1, column 1: cannot define ln: it is a built-in function (another name for log)" });
    expectError(() => parseProgram("σ(x) = x\nσ(2)"), { message: "line 1, column 1: cannot define sigma: it is a built-in function (another name for sigmoid)" });
    expectError(() => parseProgram("pi = 3\n2 pi"), { message: "line 1, column 1: cannot define pi: it is a built-in constant" });
    expectError(() => parseProgram("π = 3\n2 pi"), { message: "line 1, column 1: cannot define pi: it is a built-in constant" });
    expectError(() => parseProgram("e = 2.7\ne"), { message: "line 1, column 1: cannot define e: it is a built-in constant" });
  });

  it("bad parameters", () => {
    expectError(() => parseProgram("f(e) = e\nf(1)"), { message: "line 1, column 3: cannot use e as a parameter: it is a built-in constant" });
    expectError(() => parseProgram("f(exp) = exp\nf(1)"), { message: "line 1, column 3: cannot use exp as a parameter: it is a built-in function" });
    expectError(() => parseProgram("f(x, x) = x\nf(1, 2)"), { message: "line 1, column 6: parameter x appears twice in f(…)" });
    expectError(() => parseProgram("x = 1\nf(x) = x\nf(2)"), { message: "line 2, column 3: parameter x of f is also defined on line 1; use another name for the parameter" });
  });

  it("a bare expression that is not last", () => {
    expectError(() => parseProgram("x + 1\ny = 2\ny"), {
      message: "line 1, column 1: only the last statement can be a bare expression (the expression of interest); define a name for this one, as in name = …",
    });
  });

  it("parseExpression refuses definitions and several statements", () => {
    expectError(() => parseExpression("x = 2"), { message: "line 1, column 1: expected an expression, not a definition of x" });
    expectError(() => parseExpression("f(x) = 2x"), { message: "line 1, column 1: expected an expression, not a definition of f" });
    expectError(() => parseExpression("x + 1\ny"), { message: "line 2, column 1: expected a single expression, but a second statement starts here" });
    expectError(() => parseExpression("x; y"), { message: "line 1, column 4: expected a single expression, but a second statement starts here" });
  });
});
