/**
 * Index-notation derivatives against numbers: every derived entry formula is evaluated at every
 * concrete index combination of random small networks (sizes 1–4, random weights, φ = tanh or
 * sigmoid) and compared with central differences of the matrix program, evaluated by
 * src/numeric/matrix.ts. Deltas evaluate as 1 or 0, so a wrong delta, a wrong contraction or a
 * wrong index order shows up as a wrong number.
 */
import { randomInputs, rng } from "../support/random-inputs.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inlineProgram, parseMatrixProgram } from "../../src/matrix/build.js";
import { evaluateMatrix, type Matrix } from "../../src/numeric/matrix.js";
import { entryDerivative, evaluateIndex, indexToText, parseEntryName, programSizes, programValues, valueInProgram, withFunctions } from "../../src/index-notation/index.js";
import type { Index } from "../../src/index-notation/index.js";

const ACTIVATIONS = ["tanh", "sigmoid"] as const;

/** Every assignment of 1-based values to the indices, consistent when a letter repeats. */
function assignments(indices: readonly Index[], sizes: readonly number[]): Map<string, number>[] {
  let out: Map<string, number>[] = [new Map()];
  indices.forEach((index, m) => {
    const next: Map<string, number>[] = [];
    for (const partial of out) {
      for (let v = 1; v <= sizes[m]!; v++) {
        if (typeof index === "number" && index !== v) continue;
        if (typeof index === "string" && partial.has(index) && partial.get(index) !== v) continue;
        const a = new Map(partial);
        if (typeof index === "string") a.set(index, v);
        next.push(a);
      }
    }
    out = next;
  });
  return out;
}

interface Check {
  /** The program the derivative is taken in. */
  readonly source: string;
  readonly of: string;
  readonly wrt: string;
  /** Another program over the same inputs whose target is the scalar `of` (C1's L), for the differences. */
  readonly numericSource?: string;
  /** ∂of/∂target as numbers, from the values of the program (C1). */
  readonly gradient?: (values: ReadonlyMap<string, Matrix>) => Matrix;
}

/**
 * Checks one derivative at random values: returns how many entries were compared, so that a
 * test can insist that something was.
 */
function checkAgainstDifferences(check: Check, seed: number): number {
  const r = rng(seed);
  const program = parseMatrixProgram(check.source);
  const numericProgram = check.numericSource ? parseMatrixProgram(check.numericSource) : program;
  const functions = new Map([...program.functions].map((f) => [f, ACTIVATIONS[Math.floor(r() * 2)]!] as [string, string]));
  const derived = entryDerivative(program, check.of, check.wrt);
  const ofName = parseEntryName(program, check.of);
  const wrtName = parseEntryName(program, check.wrt);

  const inputs = randomInputs(numericProgram, r);
  const values = programValues(program, inputs, functions);
  const size = programSizes(program, inputs);
  const gradients = check.gradient ? new Map([[check.of, check.gradient(programValues(numericProgram, inputs, functions))]]) : undefined;

  // the value of `of` as a function of the inputs, through the whole program
  const ofBody = check.numericSource ? numericProgram.target : program.definitions.find((d) => d.name === ofName.name)!.body;
  const ofExpr = withFunctions(inlineProgram(numericProgram, ofBody), functions);
  const valueOf = (env: ReadonlyMap<string, Matrix>): Matrix => evaluateMatrix(ofExpr, env);
  const output = valueOf(inputs);

  const x = inputs.get(wrtName.name)!;
  const h = 1e-6;
  let compared = 0;
  const wrtShape = [x.length, x[0]!.length];
  const ofShape = [output.length, output[0]!.length];
  const wrtVector = wrtName.indices.length < 2;
  for (const wrtAt of assignments(wrtName.indices, wrtVector ? [wrtShape[0]!] : wrtShape)) {
    const [row, col] = wrtName.indices.length === 0 ? [1, 1] : wrtName.indices.map((i) => (typeof i === "number" ? i : wrtAt.get(i)!)).concat(wrtVector ? [1] : []);
    const shifted = (delta: number): Matrix => {
      const env = new Map(inputs);
      env.set(wrtName.name, x.map((rowValues, a) => rowValues.map((v, b) => (a === row! - 1 && b === col! - 1 ? v + delta : v))));
      return valueOf(env);
    };
    const plus = shifted(h);
    const minus = shifted(-h);
    const ofIndices = ofName.known ? ofName.indices : [];
    const ofVector = ofIndices.length < 2;
    for (const ofAt of assignments(ofIndices, ofVector ? [ofShape[0]!] : ofShape)) {
      const consistent = [...ofAt].every(([k, v]) => !wrtAt.has(k) || wrtAt.get(k) === v);
      if (!consistent) continue;
      const [a, b] = ofIndices.length === 0 ? [1, 1] : ofIndices.map((i) => (typeof i === "number" ? i : ofAt.get(i)!)).concat(ofVector ? [1] : []);
      const numeric = (plus[a! - 1]![b! - 1]! - minus[a! - 1]![b! - 1]!) / (2 * h);
      const analytic = evaluateIndex(derived.result, { values, indices: new Map([...wrtAt, ...ofAt]), size, functions, ...(gradients ? { gradients } : {}) });
      const where = `∂${check.of}/∂${check.wrt} = ${indexToText(derived.result)} at ${JSON.stringify([...wrtAt, ...ofAt])}, seed ${seed}`;
      expect(Math.abs(analytic - numeric), where).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      compared++;
    }
  }
  return compared;
}

const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** Runs a check at random seeds; at least one entry is compared each time. */
function property(check: Check, numRuns = 12): void {
  fc.assert(
    fc.property(seeds, (seed) => {
      expect(checkAgainstDifferences(check, seed)).toBeGreaterThan(0);
    }),
    { numRuns },
  );
}

const A5 = "W: matrix; x: vector; b: vector; φ: function; z = W x + b; y = φ(z); y";
const A6 = "V: matrix; W: matrix; x: vector; c: vector; b: vector; φ1: function; φ2: function; h = V x + c; a = W φ2(h) + b; y = φ1(a); y";
const A7 =
  "U: matrix; V: matrix; W: matrix; x: vector; d: vector; c: vector; b: vector; φ1: function; φ2: function; φ3: function; " +
  "g = U x + d; h = V φ3(g) + c; a = W φ2(h) + b; y = φ1(a); y";

describe("the derivatives of problems.md against finite differences", () => {
  it.each([
    ["z_i", "x_j"], ["z_i", "w_jk"], ["z_i", "b_j"], ["y_i", "x_j"], ["y_i", "w_jk"], ["y_i", "b_j"],
  ])("A5: ∂%s/∂%s", (of, wrt) => property({ source: A5, of, wrt }));

  it.each([
    ["y_i", "x_j"], ["y_i", "v_jk"], ["y_i", "c_j"], ["y_i", "w_jk"], ["y_i", "b_j"], ["a_i", "v_jk"],
  ])("A6: ∂%s/∂%s", (of, wrt) => property({ source: A6, of, wrt }));

  it.each([
    ["y_i", "x_j"], ["y_i", "u_jk"], ["y_i", "d_j"], ["y_i", "v_jk"], ["h_i", "u_jk"],
  ])("A7: ∂%s/∂%s", (of, wrt) => property({ source: A7, of, wrt }, 8));

  it.each([["W_ij"], ["X_ij"]])("C1: ∂L/∂%s for L = sum(C ⊙ tanh(Y)), Y = W X", (wrt) =>
    property({
      source: "W: matrix(m, n); X: matrix(n, p); C: matrix(m, p); Y = W X; Y",
      numericSource: "W: matrix(m, n); X: matrix(n, p); C: matrix(m, p); Y = W X; L = sum(C ⊙ tanh(Y)); L",
      of: "L",
      wrt,
      // ∂L/∂Y = C ⊙ (1 - tanh(Y)²), computed from the numbers
      gradient: (values) => values.get("C")!.map((row, i) => row.map((c, j) => c * (1 - Math.tanh(values.get("Y")![i]![j]!) ** 2))),
    }),
  );

  it("concrete entries (w_12, y_2) and a repeated index (x_i) at fixed sizes", () => {
    const sized = "W: matrix(3, 2); x: vector(2); b: vector(3); φ: function; z = W x + b; y = φ(z); y";
    for (const [of, wrt] of [["y_2", "w_21"], ["y_i", "w_12"], ["y_1", "w_jk"], ["z_i", "x_i"], ["y_3", "b_3"]] as const) {
      for (const seed of [1, 2, 3]) expect(checkAgainstDifferences({ source: sized, of, wrt }, seed)).toBeGreaterThan(0);
    }
  });
});

describe("other matrix operations entry by entry", () => {
  const cases: [string, string, string][] = [
    ["W: matrix; x: vector; t: vector; r = W x - t; L = ||r||^2; L", "L", "w_jk"],
    ["W: matrix; x: vector; t: vector; r = W x - t; L = ||r||^2; L", "L", "x_j"],
    ["W: matrix; x: vector; t: vector; r = W x - t; L = ||r||; L", "L", "t_j"],
    ["A: matrix(n, n); x: vector(n); q = x^T A x; q", "q", "x_j"],
    ["A: matrix(n, n); x: vector(n); q = x^T A x; q", "q", "a_jk"],
    ["W: matrix; X: matrix; Y = W X; Z = tanh(Y) ⊙ Y; L = sum(Z); L", "L", "W_ij"],
    ["W: matrix; x: vector; s: scalar; z = s W x; y = sigmoid(z) ⊙ z; y", "y_i", "w_jk"],
    ["W: matrix; x: vector; s: scalar; z = s W x; y = sigmoid(z) ⊙ z; y", "y_i", "s"],
    ["A: matrix(n, n); B: matrix(n, n); t = tr(A B^T + I); t", "t", "a_jk"],
    ["x: vector(n); v: vector(n); y = diag(x) v + x ⊙ x; y", "y_i", "x_j"],
    ["W: matrix; X: matrix; Y = tanh(W X); Y", "Y_ab", "W_cd"],
    ["W: matrix; X: matrix; Y = tanh(W X); Y", "Y_ab", "X_cd"],
    ["W: matrix(m, n); x: vector(n); u: vector(m); y = u^T tanh(W x); y", "y", "w_jk"],
    ["x: vector; w: vector; s = x^T x + 1; y = w / s; y", "y_i", "x_j"],
  ];
  it.each(cases)("%s: ∂%s/∂%s", (source, of, wrt) => property({ source, of, wrt }, 10));
});

/** A feed-forward network of the given depth: h1 = W1 x + b1, a1 = φ1(h1), …, y = a_depth. */
function network(depth: number): string {
  const parts: string[] = ["x: vector"];
  for (let l = 1; l <= depth; l++) parts.push(`W${l}: matrix`, `b${l}: vector`, `φ${l}: function`);
  let input = "x";
  for (let l = 1; l <= depth; l++) {
    parts.push(`h${l} = W${l} ${input} + b${l}`, `a${l} = φ${l}(h${l})`);
    input = `a${l}`;
  }
  parts.push(input);
  return parts.join("; ");
}

describe("random networks", () => {
  it("∂y_i/∂(every weight, bias and input entry) of networks of depth 1–3 with random activations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), seeds, (depth, layer, seed) => {
        const source = network(depth);
        const l = Math.min(layer, depth);
        const of = `a${depth}_i`;
        for (const wrt of [`w${l}_jk`, `b${l}_j`, "x_j"]) expect(checkAgainstDifferences({ source, of, wrt }, seed)).toBeGreaterThan(0);
      }),
      { numRuns: 15 },
    );
  });
});

describe("valueInProgram", () => {
  it("evaluates a derivative at given matrices and indices (A5 with φ = tanh, by hand)", () => {
    const program = parseMatrixProgram("W: matrix; x: vector; b: vector; φ: function; z = W x + b; y = φ(z); y");
    const d = entryDerivative(program, "y_i", "w_jk");
    const inputs = new Map([["W", [[0.5, -1], [2, 0.25]]], ["x", [[1], [2]]], ["b", [[0.1], [-0.3]]]]);
    const z2 = 2 * 1 + 0.25 * 2 - 0.3;
    const at = (i: number, j: number, k: number): number => valueInProgram(program, d.result, inputs, new Map([["i", i], ["j", j], ["k", k]]), { functions: new Map([["phi", "tanh"]]) });
    expect(at(2, 2, 1)).toBeCloseTo((1 - Math.tanh(z2) ** 2) * 1, 12);
    expect(at(2, 2, 2)).toBeCloseTo((1 - Math.tanh(z2) ** 2) * 2, 12);
    expect(at(1, 2, 2)).toBe(0);
    expect(() => valueInProgram(program, d.result, inputs, new Map([["i", 1], ["j", 1], ["k", 1]]))).toThrow(/declared function without a formula/);
  });
});

/** The matrix-gradient identities of test/matrix/gradient.test.ts, read entry by entry. */
const MATRIX_PROGRAMS = [
  "W: matrix(m, n); X: matrix(n, k); Y: matrix(m, k); ||W X - Y||^2",
  "A: matrix(n, m); W: matrix(m, n); tr(A W)",
  "W: matrix(m, n); X: matrix(n, k); Y = W X; L = sum(Y ⊙ Y); L",
  "W1: matrix(m, n); W2: matrix(k, m); x: vector(n); b: vector(m); y: vector(k); h = W1 x + b; r = W2 tanh(h) - y; l = 1/2 ||r||^2; l",
  "w: vector(n); x: vector(n); t: scalar; 1/2 (w^T x - t)^2",
  "v: vector(n); norm(v) + sum(exp(v)) + ||v||",
  "A: matrix(n, n); B: matrix(n, n); tr(A^T B A) + sum(A ⊙ B ⊙ A) - 3 tr(A)",
  "W: matrix(m, n); x: vector(n); c: vector(m); sum(softplus(W x) ⊙ c) / (1 + x' x)",
  "X: matrix(n, m); s: scalar; sum(log(1 + exp(s X)))",
  "W: matrix(m, n); x: vector(n); y: vector(m); h = W x; l = 1/2 ||sigmoid(h) - y||^2; l",
];

/** A program ending in an expression gets a name for it (f), so that its entries can be asked for. */
function named(source: string): { source: string; of: string } {
  const cut = source.lastIndexOf(";");
  const last = source.slice(cut + 1).trim();
  if (/^\w+$/.test(last)) return { source, of: last };
  return { source: `${source.slice(0, cut)}; f = ${last}; f`, of: "f" };
}

describe("matrix-gradient identities, entry by entry", () => {
  const cases = MATRIX_PROGRAMS.flatMap((raw) => {
    const { source, of } = named(raw);
    const program = parseMatrixProgram(source);
    return [...program.declarations.values()]
      .filter((d) => d.kind !== "function")
      .map((d) => [source, of, d.kind === "matrix" ? `${d.name}_jk` : d.kind === "vector" ? `${d.name}_j` : d.name] as [string, string, string]);
  });
  it.each(cases)("%s: ∂%s/∂%s", (source, of, wrt) => property({ source, of, wrt }, 6));
});
