/** Claims in the text syntax: derivative operators, definitions, chains. */
import { describe, expect, it } from "vitest";
import { checkText } from "../../src/verify/index.js";
import { DeriveError } from "../../src/errors.js";

const verdicts = (input: string, given?: string) => checkText(input, given ? { given } : {}).steps.map((s) => s.verdict);

describe("text claims", () => {
  it("d/dx applies to the rest of the side, or to its parenthesised group", () => {
    expect(verdicts("d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))")).toEqual(["valid"]);
    expect(verdicts("d/dx(x^2) + 1 = 2x + 1")).toEqual(["valid"]);
    expect(verdicts("d/dx (x^2 + 1) = 2x")).toEqual(["valid"]);
    expect(verdicts("∂/∂w_12 (w_12 x_1)^2 = 2 w12 x1^2")).toEqual(["valid"]);
  });

  it("Leibniz quotients of defined names, with the variable held fixed when it is defined too", () => {
    const given = "z = w*x + b, f = sigmoid(z), L = (f - y)^2";
    expect(verdicts("∂L/∂f = 2*(f - y)", given)).toEqual(["valid"]);
    expect(verdicts("∂f/∂z = f*(1 - f)", given)).toEqual(["valid"]);
    expect(verdicts("dL/dw = ∂L/∂f * ∂f/∂z * x", given)).toEqual(["valid"]);
    expect(verdicts("dL/dw = 2*(f - y)*f*(1 - f)", given)).toEqual(["invalid"]);
  });

  it("definitions on earlier lines; a self-referring line is a claim", () => {
    expect(verdicts("f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2\nf(6, 6) = 0\nf(8, 4) = -12")).toEqual(["valid", "valid"]);
    expect(verdicts("x = x")).toEqual(["valid"]);
    expect(verdicts("L = (w - 1)^2 = w^2 - 2w + 1 = w^2 + 1")).toEqual(["valid", "invalid"]);
  });

  it("chains continue on lines starting with =; the first wrong step is reported by line", () => {
    const report = checkText("(x + 1)^2\n= x^2 + 2x + 1\n= x^2 + 2x\n= x(x + 2)");
    expect(report.steps.map((s) => [s.line, s.verdict])).toEqual([[2, "valid"], [3, "invalid"], [4, "valid"]]);
  });

  it("input errors are DeriveErrors", () => {
    expect(() => checkText("= x")).toThrow(DeriveError);
    expect(() => checkText("x^2")).toThrow(DeriveError);
    expect(() => checkText("(x + * 2) = 1")).toThrow(DeriveError);
  });

  it("identities that hold only where both sides are defined, and undecidable ones", () => {
    expect(verdicts("log(x*y) = log(x) + log(y)")).toEqual(["valid"]);
    expect(verdicts("sqrt(x^2) = x")).toEqual(["invalid"]);
    expect(verdicts("log(-1 - x^2) = 0")).toEqual(["unknown"]);
  });
});
