/**
 * Properties of the checker: true identities are never invalid (and almost always valid), and a
 * perturbed side is never valid.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, num, Q, type Expr } from "../../src/ast/index.js";
import { differentiate } from "../../src/diff/index.js";
import { simplify } from "../../src/simplify/index.js";
import { toText } from "../../src/render/index.js";
import { checkText } from "../../src/verify/index.js";
import { arbExpr } from "../support/arbitrary.js";

const SYMBOLS = ["x", "y", "w12"] as const;
const FUNCTIONS = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "softplus"];
const arb = arbExpr({ symbols: SYMBOLS, functions: FUNCTIONS, depth: 4 });

function verdict(claim: string): string {
  const report = checkText(claim);
  expect(report.steps).toHaveLength(1);
  return report.steps[0]!.verdict;
}

function tally(run: (e: Expr) => string, runs: number, seed: number): Record<string, number> {
  const counts: Record<string, number> = { valid: 0, invalid: 0, unknown: 0 };
  fc.assert(
    fc.property(arb, (e) => {
      counts[run(e)]!++;
      return true;
    }),
    { numRuns: runs, seed },
  );
  return counts;
}

describe("random identities", () => {
  it("an expression equals its simplified form: never invalid", () => {
    const counts = tally((e) => {
      const v = verdict(`${toText(e)} = ${toText(simplify(e))}`);
      expect(v, `${toText(e)} = ${toText(simplify(e))}`).not.toBe("invalid");
      return v;
    }, 150, 11);
    expect(counts.valid!).toBeGreaterThan(0.85 * 150);
  });

  it("derivative claims built from differentiate are never invalid", () => {
    const counts = tally((e) => {
      const claim = `d/dx (${toText(e)}) = ${toText(simplify(differentiate(e, "x")))}`;
      const v = verdict(claim);
      expect(v, claim).not.toBe("invalid");
      return v;
    }, 120, 12);
    expect(counts.valid!).toBeGreaterThan(0.8 * 120);
  });

  it("a perturbed side is never valid", () => {
    const counts = tally((e) => {
      const claim = `${toText(e)} = ${toText(add(simplify(e), num(Q.rational(1n, 10n))))}`;
      const v = verdict(claim);
      expect(v, claim).not.toBe("valid");
      return v;
    }, 150, 13);
    expect(counts.invalid!).toBeGreaterThan(0.85 * 150);
  });

  it("a derivative with a dropped factor or flipped sign is never valid", () => {
    fc.assert(
      fc.property(arb, fc.boolean(), (e, flip) => {
        const d = simplify(differentiate(e, "x"));
        if (d.kind === "num" && Q.isZero(d.value)) return true;
        const claimed = flip ? `-(${toText(d)})` : `2*(${toText(d)})`;
        const v = verdict(`d/dx (${toText(e)}) = ${claimed}`);
        expect(v).not.toBe("valid");
        return true;
      }),
      { numRuns: 80, seed: 14 },
    );
  });
});
