import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { conditionNumber, symmetricEigenvalues } from "../../src/numeric/eigen.js";
import { DeriveError } from "../../src/errors.js";
import { deriveJson } from "../cli/run.js";

describe("eigenvalues of symmetric matrices", () => {
  it("agree with the closed form for 2×2 matrices", () => {
    const entry = fc.double({ min: -10, max: 10, noNaN: true });
    fc.assert(
      fc.property(entry, entry, entry, (a, b, d) => {
        const mean = (a + d) / 2;
        const radius = Math.hypot((a - d) / 2, b);
        const [l1, l2] = symmetricEigenvalues([[a, b], [b, d]]);
        expect(l1).toBeCloseTo(mean + radius, 8);
        expect(l2).toBeCloseTo(mean - radius, 8);
      }),
      { numRuns: 300 },
    );
  });

  it("gives sheet E1's eigenvalues and condition number", () => {
    const lambdas = symmetricEigenvalues([[1.25, 2], [2, 4.25]]);
    expect(lambdas[0]).toBeCloseTo(5.25, 12);
    expect(lambdas[1]).toBeCloseTo(0.25, 12);
    expect(conditionNumber(lambdas)).toBeCloseTo(21, 10);
    expect(conditionNumber([1, 0])).toBe(Infinity);
  });

  it("refuses non-symmetric or non-finite matrices with a DeriveError", () => {
    expect(() => symmetricEigenvalues([[1, 2], [3, 4]])).toThrow(DeriveError);
    expect(() => symmetricEigenvalues([[NaN, 0], [0, 1]])).toThrow(DeriveError);
    expect(() => symmetricEigenvalues([[1, 2]])).toThrow(DeriveError);
  });

  it("derive hessian --eigen adds eigenvalues and the condition number to the JSON", () => {
    const r = deriveJson(["hessian", "(w1^2*(s^2+mu1^2) + 2*w1*w2*mu1*mu2 + w2^2*(s^2+mu2^2))/2", "--wrt", "w1,w2", "--at", "mu1=1,mu2=2,s=0.5", "--eigen"]);
    expect(r.status).toBe(0);
    const json = r.json as { eigenvalues: number[]; condition: number; values: number[][] };
    expect(json.values).toEqual([[1.25, 2], [2, 4.25]]);
    expect(json.eigenvalues[0]).toBeCloseTo(5.25, 12);
    expect(json.condition).toBeCloseTo(21, 10);
  });
});
