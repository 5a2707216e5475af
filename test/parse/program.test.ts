/** Program semantics: statements, definitions in any order, functions, target and variables. */
import { describe, expect, it } from "vitest";
import { add, call, mul, num, pow, sub, sym } from "../../src/ast/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { parseExpression, parseProgram } from "../../src/parse/index.js";
import { dependencyOrder, inline } from "../../src/program/index.js";

const [x, y] = [sym("x"), sym("y")];

describe("statements", () => {
  it("are separated by line breaks and semicolons; # starts a comment", () => {
    const p = parseProgram("a = 1 # one\n\n# a comment line\nb = 2; c = a + b;\nc # the target");
    expect(p.definitions.map((d) => d.name)).toEqual(["a", "b", "c"]);
    expect(p.target).toBe(sym("c"));
    expect(p.targetName).toBeUndefined();
    expect(evaluate(inline(p))).toBe(3);
  });

  it("continue inside brackets and after a trailing operator, = or ,", () => {
    const p = parseProgram("f(u,\n  v) =\n  u +\n  v\nL = f(\n  x,\n  y\n) * [1 -\n 2]\nL");
    expect(inline(p)).toBe(inline(parseProgram("f(u, v) = u + v\nL = f(x, y) * (1 - 2)\nL")));
  });

  it("a line break ends a statement after an operand", () => {
    expect(() => parseProgram("a = x\n+ y")).toThrow(/unexpected "\+"/);
  });

  it("handles CRLF line ends", () => {
    const p = parseProgram("a = 2\r\nb = a x\r\nb\r\n");
    expect(inline(p)).toBe(mul(num(2), x));
    expect(p.definitions[1]!.position).toEqual({ line: 2, column: 1 });
  });

  it("records where each definition is", () => {
    const p = parseProgram("  alpha = 1\n\n   β = alpha; gamma = β");
    expect(p.definitions.map((d) => [d.name, d.position])).toEqual([
      ["alpha", { line: 1, column: 3 }],
      ["beta", { line: 3, column: 4 }],
      ["gamma", { line: 3, column: 15 }],
    ]);
  });
});

describe("definitions", () => {
  it("may come in any order", () => {
    const forward = parseProgram("z = w x + b\nf = σ(z)\nL = (f - y)^2\nL");
    const backward = parseProgram("L = (f - y)^2\nf = σ(z)\nz = w x + b\nL");
    expect(inline(backward)).toBe(inline(forward));
    expect(dependencyOrder(backward)).toEqual(["z", "f", "L"]);
  });

  it("keep other defined names as symbols (inlining is the caller's choice)", () => {
    const p = parseProgram("z = w x\nf = σ(z)\nf");
    expect(p.definitions[1]!.body).toBe(call("sigmoid", sym("z")));
    expect(inline(p, p.target, new Set(["z"]))).toBe(call("sigmoid", sym("z")));
    expect(inline(p)).toBe(call("sigmoid", mul(sym("w"), x)));
  });

  it("a trailing plain definition is the target, by name", () => {
    const p = parseProgram("z = 2 x\nL = z^2");
    expect(p.target).toBe(sym("L"));
    expect(p.targetName).toBe("L");
    expect(inline(p)).toBe(pow(mul(num(2), x), num(2)));
  });

  it("a value name applied to one argument multiplies", () => {
    const p = parseProgram("a = 3\na(x + 1)");
    expect(inline(p)).toBe(mul(num(3), add(x, num(1))));
  });

  it("sigma alone is a symbol and may be defined; sigma(…) stays the sigmoid", () => {
    const p = parseProgram("σ = 0.5\nx/σ + sigma(x)");
    expect(p.variables).toEqual(["x"]);
    expect(evaluate(inline(p), new Map([["x", 1]]))).toBeCloseTo(2 + 1 / (1 + Math.exp(-1)), 14);
  });

  it("identifiers named like Object's properties are ordinary names", () => {
    const p = parseProgram("constructor = __proto__ + toString\nvalueOf = constructor hasOwnProperty\nvalueOf");
    expect(p.definitions.map((d) => d.name)).toEqual(["constructor", "valueOf"]);
    expect(p.variables).toEqual(["__proto__", "toString", "hasOwnProperty"]);
    const values = new Map([["__proto__", 2], ["toString", 3], ["hasOwnProperty", 5]]);
    expect(evaluate(inline(p), values)).toBe(25);
    expect(parseExpression("__proto__ ^ 2")).toBe(pow(sym("__proto__"), num(2)));
    expect(() => parseProgram("__proto__ = 1\n__proto__ = 2\n1")).toThrow(/__proto__ is defined twice/);
  });
});

describe("function definitions", () => {
  it("are inlined where they are applied", () => {
    const p = parseProgram("f(t) = t^2 + a\na = 3\nf(y + 1)");
    expect(p.target).toBe(add(pow(add(y, num(1)), num(2)), sym("a")));
    expect(inline(p)).toBe(add(pow(add(y, num(1)), num(2)), num(3)));
    expect(p.variables).toEqual(["y"]);
  });

  it("substitute all arguments at once", () => {
    const p = parseProgram("h(a, b) = a - b\nh(b, a)");
    expect(p.target).toBe(sub(sym("b"), sym("a")));
  });

  it("may apply functions defined later", () => {
    const p = parseProgram("g(t) = 2 f(t)\nf(u) = u + 1\ng(x)");
    expect(p.target).toBe(mul(num(2), add(x, num(1))));
  });

  it("may be named with Greek letters that are not built-in (φ for an activation)", () => {
    const p = parseProgram("φ(u) = tanh(u)\ny = φ(w x)");
    expect(inline(p)).toBe(call("tanh", mul(sym("w"), x)));
  });

  it("a trailing function definition is the target: its body, its name, its parameters as variables", () => {
    const p = parseProgram("f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2");
    expect(p.targetName).toBe("f");
    expect(p.target).toBe(p.definitions[0]!.body);
    expect(p.definitions[0]!.params).toEqual(["x1", "x2"]);
    expect(p.variables).toEqual(["x1", "x2"]);
  });

  it("parameters count where they are written, even if the body names them in another order", () => {
    expect(parseProgram("f(b, a) = a + b + c").variables).toEqual(["b", "a", "c"]);
  });

  it("parameters of other functions are not variables", () => {
    expect(parseProgram("sq(t) = t^2\nsq(x) + sq(y)").variables).toEqual(["x", "y"]);
    // unless the same name is also used freely
    expect(parseProgram("sq(t) = t^2\nsq(x) + t").variables).toEqual(["x", "t"]);
  });
});

describe("variables", () => {
  it("are in order of first appearance, without defined names, constants or functions", () => {
    const p = parseProgram("L = (f - y)^2\nf = σ(w x + b) + e^c + pi\nL");
    expect(p.variables).toEqual(["y", "w", "x", "b", "c"]);
  });

  it("are canonical names", () => {
    expect(parseProgram("w_{12} x_1 + w12 α").variables).toEqual(["w12", "x1", "alpha"]);
  });

  it("of a single expression", () => {
    expect(parseProgram("z y x").variables).toEqual(["z", "y", "x"]);
  });
});
