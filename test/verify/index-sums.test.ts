/**
 * Claims with sums up to a symbolic bound decided through index programs (src/verify/index-sums.ts):
 * both sides at random draws with n from 1 to 6 (valid: a randomised test, not a proof), invalid
 * with a counterexample and, for derivatives, the correct result; the old n = 1..4 expansion for
 * what index programs refuse.
 */
import { describe, expect, it } from "vitest";
import { checkDocument, checkInput } from "../../src/verify/index.js";

const one = (claim: string, given?: string) => checkInput(claim, given === undefined ? {} : { given }).steps[0]!;
const RANDOMISED = "randomised test at sizes 1–6 of every size name; not proved for every";

describe("derivative steps with sums up to n, both notations", () => {
  const valid: Array<[string, string]> = [
    ["least squares by w, LaTeX", String.raw`\frac{\partial}{\partial w} \sum_{i=1}^{n} (y_i - w x_i)^2 = -2 \sum_{i=1}^{n} x_i (y_i - w x_i)`],
    ["least squares by w, text", "d/dw sum((y_i - w*x_i)^2, i, 1, n) = -2 sum(x_i*(y_i - w*x_i), i, 1, n)"],
    ["least squares by w, Σ text", "∂/∂w Σ_{i=1}^{n} (y_i - w x_i)^2 = -2 Σ_{i=1}^{n} x_i (y_i - w x_i)"],
    ["least squares by x_j, LaTeX", String.raw`\frac{\partial}{\partial x_j} \sum_{i=1}^{n} (y_i - w x_i)^2 = -2 w (y_j - w x_j)`],
    ["least squares by x_j, text", "d/dx_j sum((y_i - w*x_i)^2, i, 1, n) = -2 w (y_j - w x_j)"],
    ["MSE with 1/n, LaTeX", String.raw`\frac{\partial}{\partial w} \frac{1}{n} \sum_{i=1}^{n} (y_i - w x_i)^2 = -\frac{2}{n} \sum_{i=1}^{n} x_i (y_i - w x_i)`],
    ["MSE with 1/n, text", "d/dw (1/n) sum((y_i - w*x_i)^2, i, 1, n) = (2/n) sum(x_i*(w*x_i - y_i), i, 1, n)"],
  ];
  it("a linear model with a matrix: the same expression in index notation once differences are oriented", () => {
    const s = one(String.raw`\frac{\partial}{\partial w_{jk}} \sum_{i=1}^{n} \left(y_i - \sum_{l=1}^{d} w_{il} x_l\right)^2 = -2 \left(y_j - \sum_{l=1}^{d} w_{jl} x_l\right) x_k`);
    expect(s.verdict, s.reason).toBe("valid");
    expect(s.reason).toBe("both sides are the same expression in index notation");
  });

  for (const [what, claim] of valid) {
    it(`${what}: valid, randomised`, () => {
      const s = one(claim);
      expect(s.verdict, s.reason).toBe("valid");
      expect(s.reason).toContain(RANDOMISED);
      expect(s.reason).toMatch(/agree at \d+ random draws of (n|d, n|n, d) from 1 to 6/);
    });
  }

  it("the same expression in index notation is valid without sampling", () => {
    const s = one("sum(x_i^2, i, 1, n) = sum(x_k^2, k, 1, n)");
    expect(s.verdict).toBe("valid");
    expect(s.reason).toBe("both sides are the same expression in index notation");
  });

  it("a missing factor 2 is invalid, with n and the values, and the correct derivative in text and LaTeX", () => {
    const s = one(String.raw`\frac{\partial}{\partial w} \sum_{i=1}^{n} (y_i - w x_i)^2 = -\sum_{i=1}^{n} x_i (y_i - w x_i)`);
    expect(s.verdict).toBe("invalid");
    expect(s.reason).toContain("a constant factor is off: the claim is 0.5 times the correct derivative");
    expect(s.reason).toMatch(/for n = \d: the left side is/);
    expect(s.counterexample).toHaveProperty("n");
    expect(s.counterexample).toHaveProperty("w");
    expect(s.counterexample).toHaveProperty("x_1");
    expect(s.counterexample).toHaveProperty("y_1");
    expect(s.lhs! / s.rhs!).toBeCloseTo(2, 9);
    expect(s.expected).toBe("2 Σ_{i=1}^{n} (w x_i - y_i) x_i");
    expect(s.display?.expectedLatex).toContain(String.raw`\sum_{i=1}^{n}`);
  });

  it("a wrong sign is invalid (text notation)", () => {
    const s = one("d/dw (1/n) sum((y_i - w*x_i)^2, i, 1, n) = (2/n) sum(x_i*(y_i - w*x_i), i, 1, n)");
    expect(s.verdict).toBe("invalid");
    expect(s.reason).toMatch(/^sign error: the claim is the negative of the correct derivative; for n = 1: /);
    expect(s.expected).toContain("/n");
  });

  it("a wrong index is invalid, with both indices in the counterexample", () => {
    const s = one(String.raw`\frac{\partial}{\partial x_j} \sum_{i=1}^{n} (y_i - w x_i)^2 = -2 w (y_i - w x_i)`);
    expect(s.verdict).toBe("invalid");
    expect(s.reason).toContain("wrong index: the left side has the free index j, the right side the free index i");
    expect(s.counterexample).toHaveProperty("i");
    expect(s.counterexample).toHaveProperty("j");
    expect(s.expected).toBe("2 (w x_j - y_j) w");
  });

  it("the sigmoid sum of D3, with z_i and f defined in a document", () => {
    const md = [
      String.raw`$$z_i = \sum_{k=1}^{d} w_{ik} x_k + b_i$$`,
      String.raw`$$f = \left(y - \sum_{i=1}^{n} \sigma(z_i)\right)^2$$`,
      String.raw`$$\frac{\partial f}{\partial b_j} = 2 \left(\sum_{i=1}^{n} \sigma(z_i) - y\right) \sigma(z_j)(1 - \sigma(z_j))$$`,
      String.raw`$$\frac{\partial f}{\partial w_{jk}} = 2 \left(\sum_{i=1}^{n} \sigma(z_i) - y\right) \sigma(z_j)(1 - \sigma(z_j)) x_k$$`,
      String.raw`$$\frac{\partial f}{\partial b_j} = 2 \left(\sum_{i=1}^{n} \sigma(z_i) - y\right) \sigma(z_j)$$`,
    ].join("\n");
    const s = checkDocument(md, { kind: "markdown" }).steps;
    expect(s.map((x) => [x.line, x.verdict])).toEqual([[3, "valid"], [4, "valid"], [5, "invalid"]]);
    expect(s[0]!.reason).toContain("d, n from 1 to 6");
    expect(s[2]!.expected).toBe("2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_j) (1 - σ(z_j))");
    expect(s[2]!.display?.expectedLatex).toContain(String.raw`\sigma`);
  });

  it("the sigmoid sum of D3 in text, z_i given", () => {
    const given = "z_i = sum(w_ik*x_k, k, 1, d) + b_i";
    expect(one("d/db_j (y - sum(sigmoid(z_i), i, 1, n))^2 = 2 (sum(sigmoid(z_i), i, 1, n) - y) sigmoid(z_j)(1 - sigmoid(z_j))", given).verdict).toBe("valid");
    const wrong = one("d/db_j (y - sum(sigmoid(z_i), i, 1, n))^2 = 2 (y - sum(sigmoid(z_i), i, 1, n)) sigmoid(z_j)(1 - sigmoid(z_j))", given);
    expect(wrong.verdict).toBe("invalid");
    expect(wrong.reason).toMatch(/^sign error/);
  });
});

describe("chains and plain equalities", () => {
  it("a multi-line chain: the first wrong step is found, later steps judged against the previous side", () => {
    const input = [
      "d/dw (1/n) sum((y_i - w*x_i)^2, i, 1, n)",
      "  = (1/n) sum(2*(y_i - w*x_i)*(-x_i), i, 1, n)",
      "  = (2/n) sum(x_i*(y_i - w*x_i), i, 1, n)",
    ].join("\n");
    const r = checkInput(input);
    expect(r.steps.map((s) => s.verdict)).toEqual(["valid", "invalid"]);
    expect(r.steps[1]!.reason).toMatch(/^sign error/);
    // the chain's derivative is shown as expected for a later wrong step too
    expect(r.steps[1]!.expected).toBe("(2 Σ_{i=1}^{n} (w x_i - y_i) x_i)/n");
  });

  it("a LaTeX chain of a mean, defined with its sum", () => {
    const md = [
      String.raw`$$L = \frac{1}{n} \sum_{i=1}^{n} (y_i - w x_i)^2$$`,
      String.raw`$$\frac{\partial L}{\partial w} = \frac{1}{n} \sum_{i=1}^{n} 2 (y_i - w x_i)(-x_i) = \frac{2}{n} \sum_{i=1}^{n} x_i (w x_i - y_i) = \frac{2}{n} \sum_{i=1}^{n} x_i (y_i - w x_i)$$`,
    ].join("\n");
    const s = checkDocument(md, { kind: "markdown" }).steps;
    expect(s.map((x) => x.verdict)).toEqual(["valid", "valid", "invalid"]);
  });

  it("plain identities: linearity, swapping sums; a square of a sum is invalid at n = 2", () => {
    expect(one(String.raw`\sum_{i=1}^{n} (x_i + y_i) = \sum_{i=1}^{n} x_i + \sum_{i=1}^{n} y_i`).verdict).toBe("valid");
    expect(one("sum(sum(a_ij, j, 1, m), i, 1, n) = sum(sum(a_ij, i, 1, n), j, 1, m)").verdict).toBe("valid");
    const s = one("sum(x_k^2, k, 1, n) = sum(x_k, k, 1, n)^2");
    expect(s.verdict).toBe("invalid");
    expect(s.counterexample).toMatchObject({ n: 2 });
  });
});

describe("the fallback: what index programs refuse is expanded for n = 1, 2, 3, 4", () => {
  it("the index used as a number: unknown when true for n = 1..4, in both notations", () => {
    for (const claim of [String.raw`\sum_{i=1}^{n} i x_i = \sum_{i=1}^{n} x_i i`, "sum(i*x_i, i, 1, n) = sum(x_i*i, i, 1, n)", "sum(i, i, 1, n) = n(n+1)/2"]) {
      const s = one(claim);
      expect(s.verdict, claim).toBe("unknown");
      expect(s.reason).toContain("true for n = 1, 2, 3, 4");
    }
  });

  it("the index used as a number: invalid when some n fails (text notation no longer a parse error)", () => {
    const s = one("sum(i, i, 1, n) = n^2/2");
    expect(s.verdict).toBe("invalid");
    expect(s.counterexample).toEqual({ n: 1 });
  });

  it("a lower bound other than 1", () => {
    const s = one("sum(x_i, i, 0, n) = x_0 + sum(x_i, i, 1, n)");
    expect(s.verdict).toBe("unknown");
    expect(s.reason).toContain("true for n = 1, 2, 3, 4");
  });

  it("a bound given a value is still expanded (text notation)", () => {
    expect(one("sum(x_i, i, 1, n) = x_1 + x_2 + x_3", "n = 3").verdict).toBe("valid");
    expect(one("sum(i, i, 1, n) = 7", "n = 3").verdict).toBe("invalid");
  });
});

describe("a bound with a given value", () => {
  it("is set in Σ's own bound and in the formula alike (Σ_{i=1}^{3}, 3(3+1)/2)", () => {
    const s = one("Σ_{i=1}^{n} i = n(n+1)/2", "n=3");
    expect(s.verdict, s.reason).toBe("valid");
    const wrong = one("Σ_{i=1}^{n} i = n^2/2", "n=3");
    expect(wrong.verdict, wrong.reason).toBe("invalid");
  });
});
