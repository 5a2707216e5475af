import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, call, mul, num, sym, type Expr } from "../../src/ast/index.js";
import { differentiate } from "../../src/diff/index.js";
import { compile, compileGradient } from "../../src/compile/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { parseProgram } from "../../src/parse/index.js";
import { inline } from "../../src/program/index.js";
import { arbExpr, arbPoint } from "../support/arbitrary.js";
import { agrees, centralDifference } from "../support/finite-difference.js";
import { SHEET_B, SHEET_B_DATA, SHEET_B_PARAMS, SHEET_C4, chain } from "./networks.js";

const SYMBOLS = ["x", "y", "z"] as const;

function safe(f: () => number): number {
  try {
    return f();
  } catch {
    return NaN;
  }
}

const log = (e: Expr): Expr => call("log", e);
const close = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe("compiled values and gradients agree with evaluate and symbolic derivatives", () => {
  it("at random points of random expressions", () => {
    let compared = 0;
    let skipped = 0;
    fc.assert(
      fc.property(arbExpr({ symbols: SYMBOLS }), arbPoint(SYMBOLS), (e, point) => {
        const params = [...SYMBOLS];
        const x = params.map((p) => point.get(p)!);
        const expected = safe(() => evaluate(e, point));
        const grads = params.map((p) => safe(() => evaluate(differentiate(e, p), point)));
        if (![expected, ...grads].every(Number.isFinite)) {
          skipped++;
          return true;
        }
        compared++;
        const value = compile(e, { params })(x);
        const r = compileGradient(e, { params })(x);
        expect(close(value, expected, 1e-9)).toBe(true);
        expect(close(r.value, expected, 1e-9)).toBe(true);
        // compiled and symbolic derivatives are computed in different orders: allow rounding
        // amplified by cancellation, and compare only where both are well conditioned
        grads.forEach((g, i) => {
          if (!close(r.gradient[i]!, g, 1e-6)) {
            const ref = centralDifference((t) => safe(() => evaluate(e, new Map(point).set(params[i]!, t))), x[i]!);
            // one of the two is off: the finite-difference reference decides, when it is reliable
            if (ref) expect(agrees(r.gradient[i]!, ref)).toBe(true);
          }
        });
        return true;
      }),
      { numRuns: 1500, seed: 7 },
    );
    expect(compared).toBeGreaterThan(0.6 * (compared + skipped));
  });

  it("reverse-mode gradients agree with central finite differences", () => {
    let compared = 0;
    let total = 0;
    fc.assert(
      fc.property(arbExpr({ symbols: SYMBOLS }), arbPoint(SYMBOLS), (e, point) => {
        const params = [...SYMBOLS];
        const x = params.map((p) => point.get(p)!);
        const r = compileGradient(e, { params })(x);
        params.forEach((p, i) => {
          total++;
          const ref = centralDifference((t) => safe(() => evaluate(e, new Map(point).set(p, t))), x[i]!);
          if (!ref || !Number.isFinite(r.gradient[i]!)) return;
          compared++;
          expect(agrees(r.gradient[i]!, ref)).toBe(true);
        });
        return true;
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(compared).toBeGreaterThan(0.6 * total);
  });

  it("the sheet's networks: every component against finite differences", () => {
    const b = parseProgram(SHEET_B);
    const f = compile(b, { params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] });
    const fg = compileGradient(b, { params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }), (p) => {
        const { gradient, value } = fg(p, SHEET_B_DATA);
        expect(value).toBeCloseTo(f(p, SHEET_B_DATA), 12);
        p.forEach((v, i) => {
          const ref = centralDifference((t) => f(p.map((q, j) => (j === i ? t : q)), SHEET_B_DATA), v);
          if (ref) expect(agrees(gradient[i]!, ref)).toBe(true);
        });
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it("sheet C4's gradient values", () => {
    const c4 = parseProgram(SHEET_C4);
    const r = compileGradient(c4, { params: ["w1", "w2", "w3"], values: { x: 0.63, t: 1 } })([0.25, -0.11, 0.78]);
    expect(r.value).toBeCloseTo(0.521725, 6);
    expect(r.gradient[2]).toBeCloseTo(-0.197225, 6);
    expect(r.gradient[1]).toBeCloseTo(-0.0427113, 7);
    expect(r.gradient[0]).toBeCloseTo(0.00136364, 8);
  });
});

describe("batched evaluation over data columns", () => {
  it("mean and sum equal the per-row results combined", () => {
    const b = parseProgram(SHEET_B);
    const point = compileGradient(b, { params: [...SHEET_B_PARAMS, "x1", "x2", "y"] });
    const mean = compileGradient(b, { params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] });
    const sum = compileGradient(b, { params: SHEET_B_PARAMS, data: ["x1", "x2", "y"], reduce: "sum" });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 20 }),
        (p, rows) => {
          const data = { x1: Float64Array.from(rows.map((r) => r[0])), x2: Float64Array.from(rows.map((r) => r[1])), y: Float64Array.from(rows.map((r) => r[2])) };
          let v = 0;
          const g = new Float64Array(9);
          for (const row of rows) {
            const r = point([...p, ...row]);
            v += r.value;
            for (let k = 0; k < 9; k++) g[k]! += r.gradient[k]!;
          }
          const s = sum(p, data);
          const m = mean(p, data);
          expect(close(s.value, v, 1e-12)).toBe(true);
          expect(close(m.value, v / rows.length, 1e-12)).toBe(true);
          for (let k = 0; k < 9; k++) {
            expect(close(s.gradient[k]!, g[k]!, 1e-12)).toBe(true);
            expect(close(m.gradient[k]!, g[k]! / rows.length, 1e-12)).toBe(true);
          }
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });

  it("a result that does not depend on the data counts once per row", () => {
    const e = parseProgram("w^2 + 0*x").target; // 0*x folds away: the result ignores x
    const r = compileGradient(e, { params: ["w"], data: ["x"], reduce: "sum" })([3], { x: new Float64Array(4) });
    expect(r.value).toBe(36);
    expect(r.gradient[0]).toBe(24);
    const m = compileGradient(parseProgram("w*x + w^2").target, { params: ["w"], data: ["x"] })([3], { x: new Float64Array([1, 2, 3]) });
    expect(m.value).toBeCloseTo((3 + 6 + 9) / 3 + 9, 12);
    expect(m.gradient[0]).toBeCloseTo(2 + 6, 12);
  });

  it("rejects missing, mismatched and empty columns, and wrong parameter counts", () => {
    const f = compileGradient(parseProgram("w*x + y").target, { params: ["w"], data: ["x", "y"] });
    expect(() => f([1], { x: new Float64Array(2) })).toThrow(/no data column y/);
    expect(() => f([1], { x: new Float64Array(2), y: new Float64Array(3) })).toThrow(/differ in length/);
    expect(() => f([1], { x: new Float64Array(0), y: new Float64Array(0) })).toThrow(/no data rows/);
    expect(() => f([1, 2], { x: new Float64Array(1), y: new Float64Array(1) })).toThrow(/expected 1 parameter/);
    expect(() => compile(parseProgram("w*x + q").target, { params: ["w"], data: ["x"] })).toThrow(/no value for variable q/);
    expect(() => compile(parseProgram("w*x").target, { params: ["w", "w"] })).toThrow(/twice/);
    expect(() => compile(parseProgram("w*x").target, { params: ["w"], data: ["w"] })).toThrow(/both/);
  });
});

describe("generated code", () => {
  it("computes each shared node once: the depth-30 chain is linear in size", () => {
    const e = inline(parseProgram(chain(30)));
    const params = Array.from({ length: 30 }, (_, k) => `w${k + 1}`);
    const fg = compileGradient(e, { params, values: { x: 0.5 } });
    const lines = fg.source.split("\n").length;
    expect(lines).toBeLessThan(30 * 12);
    const r = fg(params.map(() => 1.1));
    expect(r.value).toBeCloseTo(evaluate(e, new Map([...params.map((p): [string, number] => [p, 1.1]), ["x", 0.5]])), 12);
    // w1 is deepest: its derivative is the product of 30 local derivatives, small but nonzero
    expect(r.gradient[0]).toBeGreaterThan(0);
    const g1 = evaluate(differentiate(e, "w1"), new Map([...params.map((p): [string, number] => [p, 1.1]), ["x", 0.5]]));
    expect(close(r.gradient[0]!, g1, 1e-9)).toBe(true);
  });

  it("odd identifiers never reach the code: inputs are read by index", () => {
    const names = ["constructor", "__proto__", "a);process.exit(1);(", "toString", "x\n}"];
    const [a, b, c, d, x] = names.map(sym) as [Expr, Expr, Expr, Expr, Expr];
    // tanh(constructor) + __proto__ * a);process.exit(1);( + toString^2 * x\n}
    const e = add(call("tanh", a), mul(b, c), mul(d, d, x));
    const fg = compileGradient(e, { params: names.slice(0, 3), data: names.slice(3) });
    for (const n of names) expect(fg.source).not.toContain(n);
    const data = { toString: new Float64Array([4, 5]), "x\n}": new Float64Array([6, 7]) };
    const r = fg([1, 2, 3], data);
    const rows = [0, 1].map((k) =>
      evaluate(e, new Map([["constructor", 1], ["__proto__", 2], ["a);process.exit(1);(", 3], ["toString", data.toString[k]!], ["x\n}", data["x\n}"][k]!]])),
    );
    expect(r.value).toBeCloseTo((rows[0]! + rows[1]!) / 2, 12);
    expect(r.gradient[0]).toBeCloseTo(1 / Math.cosh(1) ** 2, 12);
    expect(r.gradient[1]).toBeCloseTo(3, 12);
    expect(r.gradient[2]).toBeCloseTo(2, 12);
    // a data object whose prototype has the name does not supply the column
    const g = compile(sym("toString"), { params: [], data: ["toString"] });
    expect(() => g([], {})).toThrow(/no data column toString/);
  });

  it("log(sigmoid(u)) and log(1 - sigmoid(u)) are computed as softplus forms", () => {
    const e = parseProgram("-y*log(sigmoid(u)) - (1 - y)*log(1 - sigmoid(u))").target;
    const f = compileGradient(e, { params: ["u"], values: { y: 1 } });
    // log(σ(-800)) underflows to log(0) when computed naively
    expect(evaluate(e, new Map([["u", -800], ["y", 1]]))).toBe(Infinity);
    const r = f([-800]);
    expect(r.value).toBeCloseTo(800, 10);
    expect(r.gradient[0]).toBeCloseTo(-1, 12);
    const g = compileGradient(e, { params: ["u"], values: { y: 0 } })([800]);
    expect(g.value).toBeCloseTo(800, 10);
    expect(g.gradient[0]).toBeCloseTo(1, 12);
    expect(compile(parseProgram("log(1 + exp(u))").target, { params: ["u"] })([1000])).toBeCloseTo(1000, 10);
  });

  it("the guard option adds 1e-15 inside logs, as the sheets do", () => {
    const e = log(sym("p"));
    expect(compile(e, { params: ["p"], guard: 1e-15 })([0])).toBeCloseTo(Math.log(1e-15), 12);
    expect(compile(e, { params: ["p"] })([0])).toBe(-Infinity);
    const r = compileGradient(e, { params: ["p"], guard: 1e-15 })([1]);
    expect(r.gradient[0]).toBeCloseTo(1 / (1 + 1e-15), 15);
  });

  it("named constants, odd roots and general powers", () => {
    const e = parseProgram("pi*x + e^x + x^(1/3) + x^y + 2^x").target;
    const fg = compileGradient(e, { params: ["x", "y"] });
    for (const [x, y] of [[-8, 2], [0.5, 1.5], [2, -1]] as const) {
      const at = new Map([["x", x], ["y", y]]);
      const expected = evaluate(e, at);
      const r = fg([x, y]);
      if (Number.isFinite(expected)) expect(close(r.value, expected, 1e-12)).toBe(true);
      else expect(Number.isFinite(r.value)).toBe(false);
      if (x > 0) {
        expect(close(r.gradient[0]!, evaluate(differentiate(e, "x"), at), 1e-9)).toBe(true);
        expect(close(r.gradient[1]!, evaluate(differentiate(e, "y"), at), 1e-9)).toBe(true);
      }
    }
    expect(compile(parseProgram("x^(1/3)").target, { params: ["x"] })([-8])).toBeCloseTo(-2, 12);
    expect(compile(num(3), { params: [] })([])).toBe(3);
  });
});

