/**
 * The simplifying constructors keep values: random index expressions (entries, deltas, sums that
 * may shadow an index, products, powers) built through the constructors evaluate to what the
 * same tree gives when evaluated naively, at random values and random index assignments.
 * This checks delta contraction, distribution over sums, like-term collection, δ² = δ and the
 * renaming of summation indices independently of differentiation.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, delta, entry, mul, num, pow, sumOver, tidyIndices, type IExpr, type Index } from "../../src/index-notation/expr.js";
import { evaluateIndex, indexToText } from "../../src/index-notation/index.js";

type Spec =
  | { readonly t: "x"; readonly i: Index }
  | { readonly t: "A"; readonly i: Index; readonly j: Index }
  | { readonly t: "d"; readonly i: Index; readonly j: Index }
  | { readonly t: "c"; readonly v: number }
  | { readonly t: "add" | "mul"; readonly a: Spec; readonly b: Spec }
  | { readonly t: "sum"; readonly k: string; readonly body: Spec }
  | { readonly t: "sq"; readonly a: Spec };

const LETTERS = ["i", "j", "k", "l"] as const;
const N = 3;
const index = fc.oneof(fc.constantFrom<Index>(...LETTERS), fc.constantFrom<Index>(1, 2));

/** Trees of about ten nodes, products and sums favoured so that deltas meet the sums they contract. */
const spec = fc.letrec<{ s: Spec }>((tie) => ({
  s: fc.oneof(
    { maxDepth: 5, depthSize: "large", withCrossShrink: true },
    { arbitrary: fc.record({ t: fc.constant("x" as const), i: index }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constant("A" as const), i: index, j: index }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constant("d" as const), i: index, j: index }), weight: 2 },
    { arbitrary: fc.record({ t: fc.constant("c" as const), v: fc.integer({ min: -2, max: 3 }) }), weight: 1 },
    { arbitrary: fc.record({ t: fc.constantFrom("add" as const, "mul" as const, "mul" as const), a: tie("s"), b: tie("s") }), weight: 4 },
    { arbitrary: fc.record({ t: fc.constant("sum" as const), k: fc.constantFrom(...LETTERS), body: tie("s") }), weight: 3 },
    { arbitrary: fc.record({ t: fc.constant("sq" as const), a: tie("s") }), weight: 1 },
  ),
})).s;

/** The value of the tree read literally (sums loop, deltas compare), no simplification. */
function naive(s: Spec, x: readonly number[], A: readonly (readonly number[])[], env: ReadonlyMap<string, number>): number {
  const at = (i: Index): number => (typeof i === "number" ? i : env.get(i)!);
  switch (s.t) {
    case "x":
      return x[at(s.i) - 1]!;
    case "A":
      return A[at(s.i) - 1]![at(s.j) - 1]!;
    case "d":
      return at(s.i) === at(s.j) ? 1 : 0;
    case "c":
      return s.v;
    case "add":
      return naive(s.a, x, A, env) + naive(s.b, x, A, env);
    case "mul":
      return naive(s.a, x, A, env) * naive(s.b, x, A, env);
    case "sq":
      return naive(s.a, x, A, env) ** 2;
    case "sum": {
      let total = 0;
      for (let v = 1; v <= N; v++) total += naive(s.body, x, A, new Map([...env, [s.k, v]]));
      return total;
    }
  }
}

function build(s: Spec): IExpr {
  switch (s.t) {
    case "x":
      return entry("x", "x", [s.i]);
    case "A":
      return entry("A", "a", [s.i, s.j]);
    case "d":
      return delta(s.i, s.j);
    case "c":
      return num(s.v);
    case "add":
      return add(build(s.a), build(s.b));
    case "mul":
      return mul(build(s.a), build(s.b));
    case "sq":
      return pow(build(s.a), 2);
    case "sum":
      return sumOver(s.k, "n", build(s.body));
  }
}

const values = fc.record({
  x: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: N, maxLength: N }),
  A: fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: N, maxLength: N }), { minLength: N, maxLength: N }),
  env: fc.tuple(...LETTERS.map(() => fc.integer({ min: 1, max: N }))),
});

describe("the constructors keep values", () => {
  it("built and tidied expressions evaluate like the naive tree", () => {
    fc.assert(
      fc.property(spec, values, (s, { x, A, env }) => {
        const indices = new Map(LETTERS.map((l, m) => [l, env[m]!] as [string, number]));
        const expected = naive(s, x, A, indices);
        const built = build(s);
        const at = { values: new Map([["x", x.map((v) => [v])], ["A", A.map((r) => [...r])]]), indices, size: () => N };
        expect(evaluateIndex(built, at) + 0, indexToText(built)).toBe(expected + 0); // +0: -0 and 0 are one value here
        expect(evaluateIndex(tidyIndices(built), at) + 0, indexToText(tidyIndices(built))).toBe(expected + 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("a shadowing sum contracts in its own scope: Σ_k x_k a_jl Σ_l δ_kl x_l = Σ_k x_k^2 a_jl", () => {
    // the inner Σ_l binds l while the outer body also uses a free l: the two l are different
    const s: Spec = {
      t: "sum",
      k: "k",
      body: { t: "mul", a: { t: "mul", a: { t: "x", i: "k" }, b: { t: "A", i: "j", j: "l" } }, b: { t: "sum", k: "l", body: { t: "mul", a: { t: "d", i: "k", j: "l" }, b: { t: "x", i: "l" } } } },
    };
    const x = [1, 2, 3];
    const A = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    const indices = new Map([["j", 2], ["l", 3]]);
    const at = { values: new Map([["x", x.map((v) => [v])], ["A", A]]), indices, size: () => N };
    expect(evaluateIndex(build(s), at)).toBe(naive(s, x, A, indices));
    expect(indexToText(tidyIndices(build(s)))).toBe("Σ_k x_k^2 a_jl");
  });

  it("summation indices are renamed apart from the indices of enclosing sums", () => {
    // Σ_i Σ_k (Σ_i x_k) a_ii: the outer i becomes k, so the original k must move on
    const e = sumOver("i", "n", sumOver("k", "n", mul(sumOver("i", "n", entry("x", "x", ["k"])), entry("A", "a", ["i", "i"]))));
    expect(indexToText(tidyIndices(e))).toBe("Σ_k Σ_l (Σ_m x_l) a_kk");
  });
});
