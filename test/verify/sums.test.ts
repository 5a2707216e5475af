/**
 * Sums with a symbolic bound (\sum_{i=1}^{n}): decided through index programs at random draws with
 * n from 1 to 6 (valid: a randomised test; test/verify/index-sums.test.ts). What index programs
 * refuse (the index used as a number) is expanded for n = 1..4: a value of n where the sides differ
 * makes the step invalid (n is part of the counterexample); agreement for those n is no proof for
 * every n, so such a step is unknown.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkDocument, checkInput } from "../../src/verify/index.js";

const steps = (md: string) => checkDocument(md, { kind: "markdown" }).steps;

describe("sums with a symbolic bound", () => {
  it("identities that hold for every n are valid by a randomised test, or unknown with the values tried when the index is a number", () => {
    const md = [
      String.raw`$$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$`,
      String.raw`$$\sum_{i=1}^{n} (x_i + y_i) = \sum_{i=1}^{n} x_i + \sum_{i=1}^{n} y_i$$`,
      String.raw`$$\sum_{i=1}^{n} \sum_{j=1}^{m} a_{ij} = \sum_{j=1}^{m} \sum_{i=1}^{n} a_{ij}$$`,
      String.raw`$$\frac{\partial}{\partial w_1} \sum_{i=1}^{n} (w_i x_i - y_i)^2 = 2 (w_1 x_1 - y_1) x_1$$`,
    ].join("\n");
    const s = steps(md);
    expect(s.map((x) => [x.line, x.verdict])).toEqual([[1, "unknown"], [2, "valid"], [3, "valid"], [4, "valid"]]);
    expect(s[0]!.reason).toContain("true for n = 1, 2, 3, 4");
    expect(s[0]!.reason).toContain("not proved for every n");
    expect(s[1]!.reason).toContain("randomised test at sizes 1–6");
    expect(s[1]!.reason).toContain("not proved for every n");
    expect(s[2]!.reason).toMatch(/not proved for every (m, n|n, m)\)/);
    // ∂/∂w_1 contracts the sum: the same expression as the right side
    expect(s[3]!.reason).toBe("both sides are the same expression in index notation");
  });

  it("a claim false for some n is invalid at its line, with n in the counterexample", () => {
    const md = [
      "Some prose.",
      String.raw`$$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$`,
      String.raw`$$\sum_{k=1}^{n} x_k^2 = \left(\sum_{k=1}^{n} x_k\right)^2$$`,
      String.raw`$$\sum_{i=1}^{n} i = \frac{n^2}{2}$$`,
    ].join("\n");
    const s = steps(md);
    expect(s.map((x) => [x.line, x.verdict])).toEqual([[2, "unknown"], [3, "invalid"], [4, "invalid"]]);
    expect(s[1]!.reason).toMatch(/^for n = 2: /);
    expect(s[1]!.counterexample).toMatchObject({ n: 2 });
    expect(s[1]!.counterexample).toHaveProperty("x_1");
    expect(s[2]!.counterexample).toEqual({ n: 1 });
  });

  it("a bound given a value is expanded as a number", () => {
    expect(checkInput(String.raw`\sum_{i=1}^{n} i = 6`, { given: "n = 3" }).steps[0]!.verdict).toBe("valid");
    expect(checkInput(String.raw`\sum_{i=1}^{n} i = 7`, { given: "n = 3" }).steps[0]!.verdict).toBe("invalid");
  });

  it("property: Σ (a i + b) against its closed form is never valid nor invalid; a slip in the constant is invalid", () => {
    const int = fc.integer({ min: -9, max: 9 });
    fc.assert(
      fc.property(int, int, int, (a, b, slip) => {
        const sum = String.raw`\sum_{i=1}^{n} (${a} i + (${b}))`;
        const closed = String.raw`\frac{${a} n (n + 1)}{2} + (${b}) n`;
        const right = checkInput(`${sum} = ${closed}`).steps[0]!;
        expect(right.verdict, right.claim).toBe("unknown");
        if (slip !== 0) {
          const wrong = checkInput(`${sum} = ${closed} + (${slip})`).steps[0]!;
          expect(wrong.verdict, wrong.claim).toBe("invalid");
          expect(wrong.reason).toMatch(/^for n = 1: /);
        }
        return true;
      }),
      { numRuns: 40, seed: 31 },
    );
  });
});
