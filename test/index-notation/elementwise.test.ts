/**
 * Elementwise derivations of matrix gradients (C1 style): every line after the first, at every
 * entry, has the value of the gradient, measured by central differences of the whole program at
 * random sizes and values; the adjoints ∂L/∂Y the lines mention are the backward pass's, so a
 * wrong local derivative, delta or contraction shows up as a wrong number. And C1 as the sheet
 * writes it.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomInputs, rng } from "../support/random-inputs.js";
import { inlineProgram, parseMatrixProgram } from "../../src/matrix/build.js";
import { evaluateMatrix, type Matrix } from "../../src/numeric/matrix.js";
import { matrixBackwardPass, adjointName } from "../../src/diff/matrix.js";
import { elementwiseDerivation } from "../../src/index-notation/elementwise.js";
import { entryDerivative, evaluateIndex, programSizes, programValues, valueInProgram, withFunctions } from "../../src/index-notation/index.js";
import { elementwiseEquations } from "../../src/render/matrix.js";


const C1 = "W: matrix; X: matrix; Yhat: matrix; Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L";
const D4 = "W1: matrix; W2: matrix; x: vector; b: vector; y: vector; Φ: function; h = W1 x + b; r = W2 Φ(h) - y; ℓ = 1/2 ||r||^2; ℓ";
const QUADRATIC = "A: matrix(m, m); x: vector(m); f = x^T A x; f";
const NORM = "W: matrix; X: matrix; Y: matrix; L = ||W X - Y||^2; L";
const TWO_USERS = "W: matrix(n, n); x: vector(n); u = W x; v = W^T x; L = sum(tanh(u) ⊙ v); L";

/** Checks every line of every derivation of the program against central differences; returns the count. */
function check(source: string, wrt: readonly string[], seed: number): number {
  const r = rng(seed);
  const program = parseMatrixProgram(source);
  const functions = new Map([...program.functions].map((f) => [f, "tanh"] as [string, string]));
  const inputs = randomInputs(program, r, 3);
  const values = programValues(program, inputs, functions);
  const size = programSizes(program, inputs);
  const f = program.targetName ?? (program.target.kind === "var" ? program.target.name : "f");
  const fBody = withFunctions(inlineProgram(program, program.definitions.find((d) => d.name === f)?.body ?? program.target), functions);
  let compared = 0;
  for (const name of wrt) {
    const d = elementwiseDerivation(program, name);
    // the adjoints the lines mention, from the backward pass, as numbers
    const pass = matrixBackwardPass(program, program.definitions.map((x) => x.name).filter((n) => n !== f));
    const env = new Map(values);
    const gradients = new Map<string, Matrix>();
    for (const s of pass) {
      const v = evaluateMatrix(withFunctions(inlineProgram(program, s.result), functions), values);
      gradients.set(`${d.of}/${s.name}`, v);
      env.set(adjointName(s.name), v);
    }
    const x = inputs.get(name)!;
    for (let i = 1; i <= x.length; i++) {
      for (let j = 1; j <= x[0]!.length; j++) {
        const shifted = (h: number): number => {
          const e = new Map(inputs);
          e.set(name, x.map((row, a) => row.map((v, b) => (a === i - 1 && b === j - 1 ? v + h : v))));
          return evaluateMatrix(fBody, e)[0]![0]!;
        };
        const numeric = (shifted(1e-6) - shifted(-1e-6)) / 2e-6;
        const indices = new Map<string, number>(d.wrt.indices.length === 2 ? [["i", i], ["j", j]] : d.wrt.indices.length === 1 ? [["i", i]] : []);
        d.lines.slice(1).forEach((line, k) => {
          const analytic =
            line.kind === "index"
              ? evaluateIndex(line.rhs, { values, indices, size, functions, gradients })
              : evaluateMatrix(withFunctions(inlineProgram(program, line.rhs), functions), env)[i - 1]![j - 1]!;
          expect(Math.abs(analytic - numeric), `${source}: ∂/∂${name} line ${k + 2} (${line.rule}) at (${i}, ${j}), seed ${seed}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
          compared++;
        });
      }
    }
  }
  return compared;
}

describe("elementwise derivations of matrix gradients", () => {
  it("C1 as the sheet writes it: chain rule, deltas, contraction, matrix form", () => {
    const lines = elementwiseEquations(elementwiseDerivation(parseMatrixProgram(C1), "W")).map((l) => l.text.trim());
    expect(lines).toEqual([
      "∂L/∂W_ij = Σ_k Σ_l (∂L/∂Y_kl) (∂Y_kl/∂W_ij)",
      "= Σ_k Σ_l δ_ki (∂L/∂Y_kl) X_jl",
      "= Σ_k (∂L/∂Y_ik) X_jk",
      "= (∂L/∂Y*X^T)_ij",
      "= (2*(Y - Yhat)*X^T)_ij",
    ]);
    const x = elementwiseEquations(elementwiseDerivation(parseMatrixProgram(C1), "X")).map((l) => l.text.trim());
    expect(x.slice(2)).toEqual(["= Σ_k (∂L/∂Y_kj) W_ki", "= (W^T*∂L/∂Y)_ij", "= (2*W^T*(Y - Yhat))_ij"]);
  });

  it("every line has the gradient's value, at random sizes and values", () => {
    const cases: Array<[string, string[]]> = [
      [C1, ["W", "X"]],
      [D4, ["W2", "b", "W1", "x"]],
      [QUADRATIC, ["x", "A"]],
      [NORM, ["W"]],
      [TWO_USERS, ["W", "x"]],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        for (const [source, wrt] of cases) expect(check(source, wrt, seed)).toBeGreaterThan(0);
      }),
      { numRuns: 10, seed: 42 },
    );
  });

  it("a name used by two definitions goes through both", () => {
    const d = elementwiseDerivation(parseMatrixProgram(TWO_USERS), "W");
    expect(d.lines[0]!.rule).toBe("chain rule through u, v, entry by entry");
  });
});

describe("second derivatives by entries (the Hessian by a matrix)", () => {
  const programs = [NORM, D4.replace("Φ: function; ", "").replace(/Φ/g, "tanh"), QUADRATIC];
  it("∂²f/∂a∂b by concrete entries agrees with differences of the first derivative", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(...programs), (seed, source) => {
        const r = rng(seed);
        const program = parseMatrixProgram(source);
        const inputs = randomInputs(program, r, 3);
        const f = program.targetName ?? (program.target.kind === "var" ? program.target.name : "f");
        const names = [...inputs.keys()].filter((n) => inputs.get(n)!.length * inputs.get(n)![0]!.length > 0);
        const pick = (): { name: string; text: string; row: number; col: number } => {
          const name = names[Math.floor(r() * names.length)]!;
          const m = inputs.get(name)!;
          const row = 1 + Math.floor(r() * m.length);
          const col = 1 + Math.floor(r() * m[0]!.length);
          const arity = program.declarations.get(name)!.kind === "matrix" ? 2 : program.declarations.get(name)!.kind === "vector" ? 1 : 0;
          return { name, row, col, text: arity === 2 ? `${name}_{${row},${col}}` : arity === 1 ? `${name}_{${row}}` : name };
        };
        const a = pick();
        const b = pick();
        const second = entryDerivative(program, f, [a.text, b.text]).result;
        const first = entryDerivative(program, f, a.text).result;
        const firstAt = (t: number): number => {
          const env = new Map(inputs);
          env.set(b.name, inputs.get(b.name)!.map((row, i) => row.map((v, j) => (i === b.row - 1 && j === b.col - 1 ? t : v))));
          return valueInProgram(program, first, env, new Map());
        };
        const x = inputs.get(b.name)![b.row - 1]![b.col - 1]!;
        const numeric = (firstAt(x + 1e-6) - firstAt(x - 1e-6)) / 2e-6;
        const analytic = valueInProgram(program, second, inputs, new Map());
        expect(Math.abs(analytic - numeric), `${source}: ∂²/∂${a.text}∂${b.text} = ${analytic} vs ${numeric}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
      }),
      { numRuns: 60 },
    );
  });
});
