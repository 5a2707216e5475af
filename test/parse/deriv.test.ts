import { describe, expect, it } from "vitest";
import { parseExpression } from "../../src/parse/index.js";
import { differentiate } from "../../src/diff/index.js";
import { sym, mul, pow, num } from "../../src/ast/index.js";

describe("the derivative operator d/dx(u)", () => {
  it("parses to the (unsimplified) derivative of its operand", () => {
    const x = sym("x");
    expect(parseExpression("d/dx(x^3)")).toBe(differentiate(pow(x, num(3)), "x"));
    expect(parseExpression("2*d/dx(x^3)")).toBe(mul(num(2), differentiate(pow(x, num(3)), "x")));
  });
  it("normalises the variable's name and nests", () => {
    expect(parseExpression("d/dw_12(w12*x)")).toBe(sym("x"));
    expect(parseExpression("d/dx(d/dx(x^3))")).toBe(parseExpression("6*x"));
  });
  it("is an operator only when written d/dx( without spaces", () => {
    expect(parseExpression("d / dx(y)")).toBe(parseExpression("d/(dx*y)"));
  });
});
