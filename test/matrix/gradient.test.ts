/**
 * Matrix-notation gradients against numbers: every identity of issue #6 and random compositions
 * of matrix operations, checked entry by entry against central differences at random sizes and
 * values; printed results re-parse to the same expression.
 */
import { createRandom } from "../../src/numeric/random.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseMatrixProgram, inlineProgram, type MatrixProgram } from "../../src/matrix/build.js";
import { matrixGradient } from "../../src/diff/matrix.js";
import { evaluateMatrix, type Matrix } from "../../src/numeric/matrix.js";
import { matrixToText } from "../../src/render/matrix.js";
import type { MExpr } from "../../src/matrix/nodes.js";

/** Uniforms from the engine's seeded generator, so failures reproduce from the seed. */
function rng(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.uniform();
}

const randomMatrix = (r: () => number, rows: number, cols: number): Matrix =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round((r() * 2 - 1) * 1000) / 1000));

/** Random values for every input of the program, of the declared sizes (size names from `sizes`). */
function randomInputs(program: MatrixProgram, sizes: Record<string, number>, r: () => number): Map<string, Matrix> {
  const env = new Map<string, Matrix>();
  const dim = (d: number | string): number => (typeof d === "number" ? d : sizes[d] ?? 1);
  for (const v of inlineVariables(program)) env.set(v.name, randomMatrix(r, dim(v.shape.rows), dim(v.shape.cols)));
  return env;
}

function inlineVariables(program: MatrixProgram): { name: string; shape: { rows: number | string; cols: number | string } }[] {
  const seen = new Map<string, { name: string; shape: { rows: number | string; cols: number | string } }>();
  const visit = (e: MExpr): void => {
    if (e.kind === "var") {
      if (!["pi", "e"].includes(e.name)) seen.set(e.name, { name: e.name, shape: e.shape });
      return;
    }
    const kids = "args" in e ? e.args : "arg" in e ? [e.arg] : "base" in e ? [e.base] : "entries" in e ? e.entries.flat() : [];
    for (const k of kids) visit(k);
  };
  visit(inlineProgram(program));
  return [...seen.values()];
}

const scalarValue = (e: MExpr, env: Map<string, Matrix>): number => evaluateMatrix(e, env)[0]![0]!;

/** Checks ∂f/∂name entry by entry against central differences. */
function checkGradient(program: MatrixProgram, name: string, env: Map<string, Matrix>): void {
  const f = inlineProgram(program);
  const g = matrixGradient(program, [name]).get(name)!;
  const analytic = evaluateMatrix(inlineProgram(program, g), env, [f]);
  const x = env.get(name)!;
  const h = 1e-6;
  x.forEach((row, i) =>
    row.forEach((_, j) => {
      const at = (delta: number): number => {
        const copy = new Map(env);
        copy.set(name, x.map((r, a) => r.map((v, b) => (a === i && b === j ? v + delta : v))));
        return scalarValue(f, copy);
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      const value = analytic.length === 1 && analytic[0]!.length === 1 && (x.length > 1 || row.length > 1) ? NaN : analytic[i]![j]!;
      expect(Math.abs(value - numeric), `${name}[${i}][${j}]: ${value} vs ${numeric} in ${matrixToText(g)}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
    }),
  );
}

const IDENTITIES: ReadonlyArray<{ source: string; wrt: string[]; expected?: Record<string, string> }> = [
  { source: "W: matrix(m, n); X: matrix(n, k); Y: matrix(m, k); ||W X - Y||^2", wrt: ["W", "X", "Y"], expected: { W: "2*(W*X - Y)*X^T" } },
  { source: "x: vector(n); A: matrix(n, n); x^T A x", wrt: ["x", "A"], expected: { x: "(A + A^T)*x" } },
  { source: "A: matrix(n, m); W: matrix(m, n); tr(A W)", wrt: ["W"], expected: { W: "A^T" } },
  { source: "W: matrix(m, n); X: matrix(n, k); Y = W X; L = sum(Y ⊙ Y); L", wrt: ["W", "X", "Y"], expected: { W: "2*Y*X^T", X: "2*W^T*Y" } },
  {
    source: "W1: matrix(m, n); W2: matrix(k, m); x: vector(n); b: vector(m); y: vector(k); h = W1 x + b; r = W2 tanh(h) - y; l = 1/2 ||r||^2; l",
    wrt: ["W2", "b", "W1", "x", "y"],
    expected: { W2: "r*tanh(h)^T", y: "-r" },
  },
  {
    source: "W1: matrix(m, n); W2: matrix(k, m); x: vector(n); b: vector(m); y: vector(k); h = W1 x + b; r = W2 sigmoid(h) - y; δ = σ'(h) ⊙ (W2^T r); l = 1/2 ||r||^2; l",
    wrt: ["W2", "b", "W1", "x"],
    expected: { W2: "r*sigmoid(h)^T", b: "delta", W1: "delta*x^T", x: "W1^T*delta" },
  },
  { source: "w: vector(n); x: vector(n); t: scalar; 1/2 (w^T x - t)^2", wrt: ["w", "x", "t"], expected: { w: "(w^T*x - t)*x" } },
  { source: "v: vector(n); norm(v) + sum(exp(v)) + ||v||", wrt: ["v"] },
  { source: "A: matrix(n, n); B: matrix(n, n); tr(A^T B A) + sum(A ⊙ B ⊙ A) - 3 tr(A)", wrt: ["A", "B"] },
  { source: "W: matrix(m, n); x: vector(n); c: vector(m); sum(softplus(W x) ⊙ c) / (1 + x' x)", wrt: ["W", "x", "c"] },
  { source: "X: matrix(n, m); s: scalar; sum(log(1 + exp(s X)))", wrt: ["X", "s"] },
  // entries: W[1, 1], W11 and x[1] are the same kind of node; their gradient is a unit matrix
  { source: "W: matrix(m, n); x: vector(n); W[1, 1]^2 * sum(W) + W[1, 1] * x[1] + entry(W x, 1)", wrt: ["W", "x"] },
];

describe("matrix-notation gradients", () => {
  for (const { source, wrt, expected } of IDENTITIES) {
    it(`${source} by ${wrt.join(", ")}`, () => {
      const program = parseMatrixProgram(source);
      if (expected) {
        const g = matrixGradient(program, Object.keys(expected));
        for (const [name, text] of Object.entries(expected)) expect(matrixToText(g.get(name)!)).toBe(text);
      }
      const r = rng(source.length);
      for (let trial = 0; trial < 4; trial++) {
        const sizes = { m: 1 + Math.floor(r() * 4), n: 1 + Math.floor(r() * 4), k: 1 + Math.floor(r() * 3) };
        const env = randomInputs(program, sizes, r);
        for (const name of wrt) if (env.has(name)) checkGradient(program, name, env);
      }
    });
  }

  it("writes results that re-parse to the same expression (with the program's declarations)", () => {
    for (const { source, wrt } of IDENTITIES) {
      const program = parseMatrixProgram(source);
      const declarations = source.split(";").filter((s) => s.includes(":")).join(";");
      const definitions = source.split(";").filter((s) => s.includes("=") && !s.includes(":"));
      for (const [, g] of matrixGradient(program, wrt)) {
        const again = parseMatrixProgram([declarations, ...definitions, matrixToText(g)].filter((s) => s.trim()).join(";"));
        expect(matrixToText(again.target)).toBe(matrixToText(g));
        expect(again.target).toBe(g);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Random compositions

const SQUARE = ["A", "B", "C"];
type Gen = fc.Arbitrary<string>;
const matrixExpr: Gen = fc.letrec<{ m: string }>((tie) => ({
  m: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...SQUARE),
    tie("m").map((a) => `(${a})^T`),
    fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) (${b})`),
    fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) + (${b})`),
    fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) - 2 (${b})`),
    fc.tuple(tie("m"), tie("m")).map(([a, b]) => `(${a}) ⊙ (${b})`),
    fc.tuple(fc.constantFrom("tanh", "sigmoid", "sin"), tie("m")).map(([f, a]) => `${f}(${a})`),
  ),
})).m;
const scalarOf = fc.tuple(fc.constantFrom("sum", "tr", "norm2", "quad"), matrixExpr).map(([r, m]) =>
  r === "norm2" ? `||${m}||^2` : r === "quad" ? `v^T (${m}) v` : `${r}(${m})`,
);

describe("random compositions of matrix operations", () => {
  it("agree with central differences for every variable", () => {
    fc.assert(
      fc.property(scalarOf, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1e6 }), (body, n, seed) => {
        const program = parseMatrixProgram(`A: matrix(n, n); B: matrix(n, n); C: matrix(n, n); v: vector(n); ${body}`);
        const env = randomInputs(program, { n }, rng(seed));
        for (const v of inlineVariables(program)) checkGradient(program, v.name, env);
      }),
      { numRuns: 60 },
    );
  });
});

describe("Jacobians and Hessians in matrix form", () => {
  /** Central differences of a vector function g at w, column by column. */
  function numericJacobian(program: MatrixProgram, g: MExpr, w: string, env: Map<string, Matrix>): number[][] {
    const x = env.get(w)!;
    const h = 1e-6;
    const columns = x.map((_, j) => {
      const at = (delta: number): number[] => {
        const copy = new Map(env);
        copy.set(w, x.map((row, i) => [row[0]! + (i === j ? delta : 0)]));
        return evaluateMatrix(inlineProgram(program, g), copy).map((row) => row[0]!);
      };
      const plus = at(h);
      const minus = at(-h);
      return plus.map((p, i) => (p - minus[i]!) / (2 * h));
    });
    return columns[0]!.map((_, i) => columns.map((col) => col[i]!));
  }

  const HESSIANS: ReadonlyArray<{ source: string; wrt: string; expected?: string }> = [
    { source: "w: vector(n); x: vector(n); t: scalar; 1/2 (w^T x - t)^2", wrt: "w", expected: "x*x^T" },
    { source: "x: vector(n); A: matrix(n, n); x^T A x", wrt: "x", expected: "A + A^T" },
    { source: "W: matrix(m, n); x: vector(n); b: vector(m); c: vector(m); sum(c ⊙ tanh(W x + b)) + 1/2 ||x||^2", wrt: "x" },
    { source: "W: matrix(m, n); x: vector(n); y: vector(m); h = W x; l = 1/2 ||sigmoid(h) - y||^2; l", wrt: "x" },
  ];
  for (const { source, wrt, expected } of HESSIANS) {
    it(`Hessian of ${source} by ${wrt}`, async () => {
      const { matrixHessian, matrixGradient: gradientOf } = await import("../../src/diff/matrix.js");
      const program = parseMatrixProgram(source);
      const hessian = matrixHessian(program, wrt);
      if (expected) expect(matrixToText(hessian)).toBe(expected);
      const gradient = gradientOf(program, [wrt]).get(wrt)!;
      const r = rng(source.length + 7);
      for (let trial = 0; trial < 3; trial++) {
        const env = randomInputs(program, { m: 1 + Math.floor(r() * 3), n: 1 + Math.floor(r() * 3) }, r);
        const numeric = numericJacobian(program, gradient, wrt, env);
        const analytic = evaluateMatrix(inlineProgram(program, hessian), env, [inlineProgram(program)]);
        numeric.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(analytic[i]![j]! - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)))));
      }
    });
  }

  it("E1: the Hessian of E[½ (wᵀx - t)²] is E[x xᵀ]", async () => {
    const { matrixHessian } = await import("../../src/diff/matrix.js");
    const program = parseMatrixProgram("w: vector; x: vector; v: vector; t = v^T x + eps; J = E[1/2 (w^T x - t)^2]; J");
    expect(matrixToText(matrixHessian(program, "w"))).toBe("E[x*x^T]");
    expect(matrixToText(matrixGradient(program, ["w"]).get("w")!)).toBe("E[(w^T*x - t)*x]");
  });

  it("Jacobian of a layer y = tanh(W x + b) by x is diag(1 - y ⊙ y) W", async () => {
    const { matrixJacobian } = await import("../../src/diff/matrix.js");
    const program = parseMatrixProgram("W: matrix(m, n); x: vector(n); b: vector(m); z = W x + b; y = tanh(z); y");
    const jacobian = matrixJacobian(program, program.target, "x");
    expect(matrixToText(jacobian)).toBe("diag(1 - y ⊙ y)*W");
    const env = randomInputs(program, { m: 3, n: 2 }, rng(5));
    const numeric = numericJacobian(program, program.target, "x", env);
    const analytic = evaluateMatrix(inlineProgram(program, jacobian), env);
    numeric.forEach((row, i) => row.forEach((v, j) => expect(analytic[i]![j]!).toBeCloseTo(v, 6)));
  });
});

describe("the backward pass as a derivation", () => {
  it("writes C1's ∂L/∂W = ∂L/∂Y Xᵀ and D4's δ, each line equal to the gradient", async () => {
    const { matrixBackwardPass, adjointName } = await import("../../src/diff/matrix.js");
    const { backwardPassLines } = await import("../../src/render/matrix.js");
    const { rewrite } = await import("../../src/matrix/nodes.js");
    const c1 = parseMatrixProgram("W: matrix(m, n); X: matrix(n, k); Yhat: matrix(m, k); Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L");
    const lines = backwardPassLines(matrixBackwardPass(c1, ["W", "X"]), "L").map((l) => l.text);
    expect(lines).toEqual(["∂L/∂Y = 2*(Y - Yhat)", "∂L/∂W = ∂L/∂Y*X^T = 2*(Y - Yhat)*X^T", "∂L/∂X = W^T*∂L/∂Y = 2*W^T*(Y - Yhat)"]);
    const d4 = parseMatrixProgram("W1: matrix; W2: matrix; x: vector; b: vector; y: vector; Φ: function; h = W1 x + b; r = W2 Φ(h) - y; δ = Φ'(h) ⊙ (W2^T r); ℓ = 1/2 ||r||^2; ℓ");
    const steps = matrixBackwardPass(d4, ["W2", "b", "W1", "x"]);
    expect(backwardPassLines(steps, "ℓ").map((l) => l.text)).toContain("∂ℓ/∂W1 = ∂ℓ/∂h*x^T = delta*x^T");

    // numerically: every local form, with the earlier results put in, has the gradient's value
    const program = parseMatrixProgram("W1: matrix(m, n); W2: matrix(k, m); x: vector(n); b: vector(m); y: vector(k); h = W1 x + b; r = W2 tanh(h) - y; l = 1/2 ||r||^2; l");
    const pass = matrixBackwardPass(program, ["W2", "b", "W1", "x"]);
    const results = new Map(pass.map((s) => [s.name, s.result]));
    const env = randomInputs(program, { m: 3, n: 2, k: 2 }, rng(11));
    const gradient = matrixGradient(program, ["W2", "b", "W1", "x"]);
    for (const s of pass) {
      const filled = rewrite(s.local ?? s.result, (n) => (n.kind === "var" && n.name.startsWith(adjointName("")) ? results.get(n.name.slice(1)) : undefined));
      const value = evaluateMatrix(inlineProgram(program, filled), env, [inlineProgram(program)]);
      const expected = gradient.get(s.name);
      if (expected) expect(value).toEqual(evaluateMatrix(inlineProgram(program, expected), env, [inlineProgram(program)]).map((r) => r.map((v) => expect.closeTo(v, 9))));
    }
  });
});
