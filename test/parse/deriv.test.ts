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

describe("d/dx(u) in a program", () => {
  it("differentiates through the definitions of the names in u", async () => {
    const { parseProgram } = await import("../../src/parse/index.js");
    const { inline } = await import("../../src/program/index.js");
    const { evaluate } = await import("../../src/numeric/index.js");
    const through = parseProgram("f = sigmoid(w*x); d/dw(f)");
    const direct = parseProgram("d/dw(sigmoid(w*x))");
    const at = new Map([["w", 0.3], ["x", -1.2]]);
    expect(evaluate(inline(through), at)).toBeCloseTo(evaluate(direct.target, at), 12);
    // a defined name as the variable is held fixed: L written in f_in
    const held = parseProgram("f_in = c + u*z; f_out = sigmoid(f_in); L = (f_out - y)^2; d/df_in(L)");
    const point = new Map([["c", 0.1], ["u", 0.7], ["z", -0.4], ["y", 1]]);
    const s = 1 / (1 + Math.exp(-(0.1 + 0.7 * -0.4)));
    expect(evaluate(inline(held), point)).toBeCloseTo(2 * (s - 1) * s * (1 - s), 12);
  });

  it("makes every line of a chain-view trace re-parse to the same value with the definitions", async () => {
    const { deriveJson } = await import("../cli/run.js");
    const { parseProgram } = await import("../../src/parse/index.js");
    const { inline } = await import("../../src/program/index.js");
    const { evaluate } = await import("../../src/numeric/index.js");
    const network = "z1 = tanh(b1 + x1*w11 + x2*w21); z2 = tanh(b2 + x1*w12 + x2*w22); f = sigmoid(c + u1*z1 + u2*z2); L = -y*log(f) - (1-y)*log(1-f); L";
    const { json } = deriveJson(["steps", network, "--wrt", "w12", "--steps", "chain"]);
    const { steps, definitions } = json as { steps: Array<{ text: string; lhs?: string }>; definitions: string[] };
    const point = new Map(Object.entries({ b1: 0.1, b2: -0.2, w11: 0.3, w12: 0.5, w21: -0.4, w22: 0.2, c: 0.05, u1: 0.7, u2: -0.6, x1: 1, x2: -1, y: 1 }));
    const value = (text: string): number => evaluate(inline(parseProgram([...definitions, text].join("\n"))), point);
    // each line equals the left-hand side of its equation (a line with "lhs" starts one)
    let lhs = "";
    expect(steps.length).toBeGreaterThan(3);
    for (const st of steps) {
      if (st.lhs) lhs = st.lhs;
      expect(value(st.text), `${lhs} = ${st.text}`).toBeCloseTo(value(lhs), 10);
    }
  });
});
