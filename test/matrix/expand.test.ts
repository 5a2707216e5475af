/**
 * The entry-by-entry expansion of matrix expressions against the matrix evaluator: at random
 * sizes and values, every entry of the expansion evaluates (as a scalar expression) to the
 * number evaluateMatrix gives for that entry — for random compositions of every operation and
 * through programs' definitions.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inlineProgram, parseMatrixProgram } from "../../src/matrix/build.js";
import { entryName, entryNames, expandMatrix, sizesFromShapes, type ConcreteShape } from "../../src/matrix/expand.js";
import { variables, type MExpr } from "../../src/matrix/nodes.js";
import { evaluateMatrix, type Matrix } from "../../src/numeric/matrix.js";
import { evaluate } from "../../src/numeric/evaluate.js";
import { canonicalName } from "../../src/parse/names.js";
import { DeriveError } from "../../src/errors.js";
import type { Expr } from "../../src/ast/index.js";
import { toText } from "../../src/render/index.js";
import { parseExpression } from "../../src/parse/index.js";
import { createRandom } from "../../src/numeric/random.js";

/** Values for the entry symbols of every variable in `env`. */
function entryBindings(env: ReadonlyMap<string, Matrix>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, m] of env) {
    const names = entryNames(name, { rows: m.length, cols: m[0]!.length });
    m.forEach((row, i) => row.forEach((x, j) => out.set(names[i]![j]!, x)));
  }
  return out;
}

/** Random values of the shapes of e's variables (sizes by name from `sizes`), from a seed. */
function randomEnv(e: MExpr, sizes: ReadonlyMap<string, number>, seed: number): Map<string, Matrix> {
  const random = createRandom(seed);
  const next = (): number => random.uniform();
  const dim = (d: number | string): number => (typeof d === "number" ? d : sizes.get(d)!);
  const env = new Map<string, Matrix>();
  for (const v of variables(e)) {
    if (v.name === "pi") continue;
    env.set(v.name, Array.from({ length: dim(v.shape.rows) }, () => Array.from({ length: dim(v.shape.cols) }, () => Math.round((next() * 2 - 1) * 1000) / 1000)));
  }
  return env;
}

/** Expansion and matrix evaluator agree entry by entry. */
function expectSameNumbers(e: MExpr, env: ReadonlyMap<string, Matrix>, sizesFrom: readonly MExpr[] = []): void {
  const shapes = new Map<string, ConcreteShape>([...env].map(([name, m]) => [name, { rows: m.length, cols: m[0]!.length }]));
  const sizes = new Map([...sizesFrom, e].flatMap((x) => [...sizesFromShapes(x, shapes)]));
  const expanded = expandMatrix(e, sizes);
  const expected = evaluateMatrix(e, env, sizesFrom);
  const bindings = entryBindings(env);
  expect(expanded.length).toBe(expected.length);
  expected.forEach((row, i) => {
    expect(expanded[i]!.length).toBe(row.length);
    row.forEach((x, j) => {
      const got = evaluate(expanded[i]![j]!, bindings);
      // an overflow (exp of a large trace) must overflow the same way in both
      if (!Number.isFinite(x)) {
        expect(got, `entry (${i + 1}, ${j + 1})`).toBe(x);
        return;
      }
      expect(Math.abs(got - x), `entry (${i + 1}, ${j + 1}): ${got} vs ${x}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
    });
  });
}

describe("entry names", () => {
  it("are the canonical names of the subscripted variable, 1-based", () => {
    expect(entryName("W", { rows: 2, cols: 2 }, 1, 2)).toBe("W_1_2");
    expect(entryName("W", { rows: 2, cols: 2 }, 1, 2)).toBe(canonicalName("W_{1,2}"));
    expect(entryName("x", { rows: 3, cols: 1 }, 3, 1)).toBe("x3");
    expect(entryName("s", { rows: 1, cols: 1 }, 1, 1)).toBe("s");
    expect(entryName("r", { rows: 1, cols: 3 }, 1, 2)).toBe("r_1_2");
    expect(entryName("W1", { rows: 12, cols: 2 }, 11, 2)).toBe("W1_11_2");
    expect(entryName("f_out", { rows: 2, cols: 2 }, 2, 1)).toBe("f_out_2_1");
    expect(entryNames("b", { rows: 2, cols: 1 })).toEqual([["b1"], ["b2"]]);
  });

  it("refuses a scalar named like an entry of a vector", () => {
    const program = parseMatrixProgram("x: vector(2); x1 + sum(x)");
    expect(() => expandMatrix(inlineProgram(program))).toThrow(DeriveError);
    expect(() => expandMatrix(inlineProgram(program))).toThrow(/x1 has the name of an entry of x/);
  });

  it("expands entries W[1, 2] and x[2]", () => {
    const [[e]] = expandMatrix(inlineProgram(parseMatrixProgram("W: matrix(2, 2); x: vector(2); W[1, 2] + x[2]"))) as [[Expr]];
    expect(toText(e)).toBe(toText(parseExpression("W_1_2 + x2")));
  });

  it("needs every size", () => {
    const program = parseMatrixProgram("x: vector(d); sum(x)");
    expect(() => expandMatrix(inlineProgram(program))).toThrow(/size d is unknown/);
  });
});

describe("the expansion of a matrix expression", () => {
  it("writes C2's loss as a polynomial in the entries, exactly", () => {
    const program = parseMatrixProgram("Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L", new Map([["W", { rows: 2, cols: 2 }], ["X", { rows: 2, cols: 2 }], ["Yhat", { rows: 2, cols: 2 }]]));
    const [[loss]] = expandMatrix(inlineProgram(program)) as [[import("../../src/ast/index.js").Expr]];
    const bindings = entryBindings(
      new Map([
        ["W", [[0.3, 0.5], [-0.2, 0.4]]],
        ["X", [[0, 2], [3, 1]]],
        ["Yhat", [[0.5, 1], [1, -1.5]]],
      ]),
    );
    expect(evaluate(loss, bindings)).toBeCloseTo(3.3, 12);
  });

  const DEFINED = [
    "W1: matrix(m, n); W2: matrix(k, m); x: vector(n); b: vector(m); y: vector(k); h = W1 x + b; r = W2 sigmoid(h) - y; δ = σ'(h) ⊙ (W2^T r); l = 1/2 ||r||^2 + sum(δ); l",
    "W: matrix(m, n); X: matrix(n, k); Yhat: matrix(m, k); Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)) / k; L",
    "A: matrix(n, n); v: vector(n); B = A + A^T - 2 I; q = v^T B v + tr(A B) + ||diag(v) A||; q",
    "X: matrix(m, n); w: vector(n); t: vector(m); p = tanh(X w); err = p - t; J = err^T err / 2 + sum(ones(m, n) ⊙ X) + pi; J",
  ];
  for (const source of DEFINED) {
    it(`agrees with evaluateMatrix through definitions: ${source}`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1e6 }), (m, n, k, seed) => {
          const program = parseMatrixProgram(source);
          const e = inlineProgram(program);
          const sizes = new Map([["m", m], ["n", n], ["k", k]]);
          expectSameNumbers(e, randomEnv(e, sizes, seed));
          // every definition too, matrices included
          for (const d of program.definitions) expectSameNumbers(inlineProgram(program, d.body), randomEnv(e, sizes, seed), [e]);
        }),
        { numRuns: 25 },
      );
    });
  }

  type Gen = fc.Arbitrary<string>;
  const square: Gen = fc.letrec<{ m: string }>((tie) => ({
    m: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("A", "B", "B - 2 I", "ones(n, n)", "diag(v)", "v v^T"),
      tie("m").map((a) => `(${a})^T`),
      fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) (${b})`),
      fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) + (${b})`),
      fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) - s (${b})`),
      fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) ⊙ (${b})`),
      tie("m").map((a) => `(${a}) ⊙ (${a}) - 1`),
      tie("m").map((a) => `(tr(${a}))^3 (${a})`),
      fc.tuple(fc.constantFrom("tanh", "sigmoid", "sin", "exp", "σ'", "tanh''"), tie("m")).map(([f, a]) => `${f}(${a})`),
    ),
  })).m;
  const scalar = fc.tuple(fc.constantFrom("sum", "tr", "norm", "quad", "entry"), square).map(([r, m]) =>
    r === "norm" ? `||${m}||` : r === "quad" ? `v^T (${m}) v` : r === "entry" ? `[[1, s]] (${m})^T [[s], [2]]` : `${r}(${m})`,
  );

  it("agrees with evaluateMatrix on random compositions of every operation", () => {
    fc.assert(
      fc.property(fc.oneof(square, scalar), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1e6 }), (body, n, seed) => {
        const source = `A: matrix(n, n); B: matrix(n, n); v: vector(n); s: scalar; ${body}`;
        // the literal [[1, s]] (…) [[s], [2]] fixes n = 2
        const size = body.includes("[[1, s]]") ? 2 : n;
        const e = inlineProgram(parseMatrixProgram(source));
        // A tells n even where the expression has no sized variable (sum(ones(n, n)))
        const sizer = inlineProgram(parseMatrixProgram("A: matrix(n, n); B: matrix(n, n); v: vector(n); s: scalar; s (A + B) v"));
        expectSameNumbers(e, randomEnv(sizer, new Map([["n", size]]), seed), [sizer]);
      }),
      { numRuns: 150, seed: 20261126 },
    );
  });

  it("refuses what has no entries: declared functions and expectations", () => {
    expect(() => expandMatrix(inlineProgram(parseMatrixProgram("Φ: function; x: vector(2); sum(Φ(x))")))).toThrow(/declared function without a formula/);
    expect(() => expandMatrix(inlineProgram(parseMatrixProgram("x: vector(2); E[x x^T]")))).toThrow(DeriveError);
  });
});
