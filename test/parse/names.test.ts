import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sym } from "../../src/ast/index.js";
import { parseExpression } from "../../src/parse/index.js";
import { lookupFunction } from "../../src/functions/index.js";
import { canonicalName, isGreekLetterName, NameError } from "../../src/parse/names.js";

describe("canonicalName", () => {
  const table: Array<[string, string]> = [
    ["x", "x"],
    ["xy", "xy"],
    ["w12", "w12"],
    ["w_12", "w12"],
    ["w_{12}", "w12"],
    ["x_1", "x1"],
    ["x_{ 1 }", "x1"],
    ["f_out", "f_out"],
    ["f_{out}", "f_out"],
    ["z_{2,out}", "z_2_out"],
    ["z_{2, out}", "z_2_out"],
    ["z_2_out", "z_2_out"],
    ["w_{1,2}", "w_1_2"],
    ["w_1_2", "w_1_2"],
    ["α", "alpha"],
    ["β", "beta"],
    ["γ", "gamma"],
    ["δ", "delta"],
    ["ε", "epsilon"],
    ["ϵ", "epsilon"],
    ["η", "eta"],
    ["θ", "theta"],
    ["λ", "lambda"],
    ["μ", "mu"],
    ["µ", "mu"], // the micro sign
    ["σ", "sigma"],
    ["τ", "tau"],
    ["φ", "phi"],
    ["ϕ", "phi"],
    ["ω", "omega"],
    ["π", "pi"],
    ["Δ", "Delta"],
    ["Σ", "Sigma"],
    ["Φ", "Phi"],
    ["Ω", "Omega"],
    ["σ_1", "sigma1"],
    ["θ_{k}", "theta_k"],
    ["x_α", "x_alpha"],
    ["η0", "eta0"],
    ["ŷ", "ŷ"],
    ["y\u0302", "ŷ"], // y + combining circumflex is NFC-normalised
    ["__proto__", "__proto__"],
    ["_tmp", "_tmp"],
    ["constructor", "constructor"],
  ];
  for (const [raw, canonical] of table) {
    it(`${raw} → ${canonical}`, () => expect(canonicalName(raw)).toBe(canonical));
  }

  it("w_12, w_{12} and w12 are one name", () => {
    expect(new Set(["w_12", "w_{12}", "w12"].map(canonicalName))).toEqual(new Set(["w12"]));
  });

  it("rejects what is not a name", () => {
    for (const bad of ["", "1x", "x_", "x__1", "x_{}", "x_{a+b}", "x_{1", "_", "x-1"]) {
      expect(() => canonicalName(bad), bad).toThrow(NameError);
    }
  });

  it("is idempotent on every row of the table", () => {
    for (const [, canonical] of table) expect(canonicalName(canonical)).toBe(canonical);
  });

  it("is idempotent on random subscripted names", () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9αβσμΔ]{1,4}$/);
    const head = fc.stringMatching(/^[a-zA-Zαβσμθ][a-zA-Z0-9]{0,3}$/);
    const raw = fc.tuple(head, fc.array(fc.tuple(fc.boolean(), fc.array(part, { minLength: 1, maxLength: 3 })), { maxLength: 3 })).map(
      ([h, subs]) => h + subs.map(([braced, parts]) => (braced ? `_{${parts.join(",")}}` : `_${parts.join("_")}`)).join(""),
    );
    // names of built-in functions (exp, log, tanh, …) are not variables
    const variableName = raw.filter((r) => !lookupFunction(canonicalName(r)) || isGreekLetterName(canonicalName(r)));
    fc.assert(
      fc.property(variableName, (r) => {
        const c = canonicalName(r);
        expect(canonicalName(c)).toBe(c);
        // and the parser reads the canonical spelling as that very name
        expect(parseExpression(c)).toBe(sym(c));
        expect(parseExpression(r)).toBe(sym(c));
      }),
      { numRuns: 500 },
    );
  });
});

describe("names in expressions", () => {
  it("normalises names as the parser reads them", () => {
    expect(parseExpression("w_{12}")).toBe(sym("w12"));
    expect(parseExpression("z_{2,out}")).toBe(sym("z_2_out"));
    expect(parseExpression("θ")).toBe(sym("theta"));
    expect(parseExpression("π")).toBe(sym("pi"));
  });
});
