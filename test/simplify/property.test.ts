/**
 * Properties of simplify over random expressions: it keeps the value wherever input and output
 * are both defined, it is idempotent enough to be stable, and it commutes with differentiation
 * numerically.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { postorder, sym, type Expr } from "../../src/ast/index.js";
import { differentiate } from "../../src/diff/index.js";
import { simplify, operatorCount } from "../../src/simplify/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { arbExpr, arbPoint, SYMBOL_NAMES } from "../support/arbitrary.js";
import { sameValue } from "../support/values.js";

function safeEvaluate(e: Expr, point: Map<string, number>): number {
  try {
    return evaluate(e, point);
  } catch {
    return NaN;
  }
}

describe("simplify keeps the value", () => {
  it("at random points, over random expressions", () => {
    let compared = 0;
    let total = 0;
    fc.assert(
      fc.property(arbExpr(), fc.array(arbPoint(), { minLength: 3, maxLength: 3 }), (e, points) => {
        const s = simplify(e);
        for (const p of points) {
          total++;
          const verdict = sameValue(e, s, p);
          if (verdict === "skip") continue;
          compared++;
          if (!verdict) return false;
        }
        return true;
      }),
      { numRuns: 2000, seed: 7 },
    );
    expect(compared).toBeGreaterThan(0.6 * total);
  });

  // Registry identities put signs in canonical places even at the cost of one operator
  // (tan(-x) is -tan(x), so tan(-x) + tan(x) cancels); nothing else may make a result longer.
  it("never makes a random expression longer, but for canonical signs of function calls", () => {
    const calls = (e: Expr) => postorder(e).filter((n) => n.kind === "call").length;
    fc.assert(
      fc.property(arbExpr(), (e) => operatorCount(simplify(e)) <= operatorCount(e) + calls(e)),
      { numRuns: 1000, seed: 8 },
    );
  });

  it("is stable: simplifying twice changes nothing more", () => {
    fc.assert(
      fc.property(arbExpr(), (e) => {
        const once = simplify(e);
        return operatorCount(simplify(once)) <= operatorCount(once);
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});

describe("differentiate(simplify(e)) ≈ differentiate(e)", () => {
  it("numerically, at random points", () => {
    let compared = 0;
    let total = 0;
    const symbols = SYMBOL_NAMES.slice(0, 3);
    const x = sym(symbols[0]!);
    fc.assert(
      fc.property(arbExpr({ symbols }), arbPoint(symbols), (e, p) => {
        total++;
        const a = differentiate(e, x);
        const b = differentiate(simplify(e), x);
        // compare only where the original and its derivative are defined
        if (!Number.isFinite(safeEvaluate(e, p))) return true;
        const verdict = sameValue(a, b, p);
        if (verdict === "skip") return true;
        compared++;
        return verdict;
      }),
      { numRuns: 800, seed: 10 },
    );
    expect(compared).toBeGreaterThan(0.5 * total);
  });
});
