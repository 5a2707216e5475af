/** sum(expr, i, lo, hi): index sums written out, the index set in subscripts and as a value. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseExpression, parseProgram } from "../../src/parse/index.js";
import { toText } from "../../src/render/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { DeriveError } from "../../src/errors.js";

describe("index sums", () => {
  it("writes the terms out with the index in the subscripts", () => {
    expect(toText(parseExpression("sum(x_i^2, i, 1, 3)"))).toBe("x1^2 + x2^2 + x3^2");
    expect(toText(parseExpression("sum(sum(w_ij*x_j, j, 1, 2), i, 1, 2)"))).toBe(toText(parseExpression("w11*x1 + w12*x2 + w21*x1 + w22*x2")));
    expect(toText(parseExpression("sum(w_{i,j}, i, 1, 2)"))).toBe(toText(parseExpression("w_{1,j} + w_{2,j}")));
  });

  it("uses the index as a value", () => {
    expect(evaluate(parseExpression("sum(i^2, i, 1, 10)"))).toBe(385);
    fc.assert(fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 30 }), (lo, n) => {
      const hi = lo + n;
      const expected = ((hi * (hi + 1)) / 2) - (((lo - 1) * lo) / 2);
      expect(evaluate(parseExpression(`sum(i, i, ${lo}, ${hi})`))).toBe(expected);
    }));
  });

  it("leaves words in subscripts alone (f_in under a sum over i)", () => {
    const program = parseProgram("f_in = 2; sum(f_in*x_i, i, 1, 2)");
    expect(toText(program.target)).toBe("f_in*x1 + f_in*x2");
  });

  it("gives the written-out names as the program's variables", () => {
    expect(parseProgram("L = sum((w*x_i - y_i)^2, i, 1, 2); L").variables).toEqual(["w", "x1", "y1", "x2", "y2"]);
  });

  it("refuses symbolic bounds and bad indices with a caret", () => {
    for (const bad of ["sum(x_i, i, 1, n)", "sum(x_i, 2, 1, 3)", "sum(x_i, i, 1, 20000)", "sum(sum(w_ij, j, 1, 2), i, 1, 12)"]) {
      expect(() => parseExpression(bad)).toThrow(DeriveError);
      try {
        parseExpression(bad);
      } catch (err) {
        expect((err as DeriveError).detail).toContain("^");
      }
    }
  });
});
