/**
 * `derive check` on matrix claims: declarations and values in --given, definitions in the input,
 * derivatives by matrices through the engine's gradients, numbers entry by entry (sheets C1, C2,
 * D4), LaTeX (\mathbf, \top, \odot, \lVert, bmatrix), and the mistakes it names.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkDocument, checkInput, checkText, type StepReport } from "../../src/verify/index.js";
import { parseMatrixProgram } from "../../src/matrix/build.js";
import { matrixGradient } from "../../src/diff/matrix.js";
import { matrixToText } from "../../src/render/matrix.js";
import { simplifyMatrix } from "../../src/simplify/matrix.js";
import * as N from "../../src/matrix/nodes.js";

const steps = (claims: string, given?: string): readonly StepReport[] => checkText(claims, given === undefined ? {} : { given }).steps;
const verdicts = (claims: string, given?: string): string[] => steps(claims, given).map((s) => s.verdict);
const one = (claim: string, given?: string): StepReport => {
  const s = steps(claim, given);
  expect(s, claim).toHaveLength(1);
  return s[0]!;
};

const C2 = "W=[[0.3,0.5],[-0.2,0.4]], X=[[0,2],[3,1]], Yhat=[[0.5,1],[1,-1.5]]";
const C1 = "W: matrix; X: matrix; Yhat: matrix; Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat))";
const D4 = "W1: matrix; W2: matrix; x: vector; b: vector; y: vector; Φ: function; h = W1 x + b; r = W2 Φ(h) - y; δ = Φ'(h) ⊙ (W2^T r); ℓ = 1/2 ||r||^2";
const D4_TANH = "W1: matrix; W2: matrix; x: vector; b: vector; y: vector; h = W1 x + b; r = W2 tanh(h) - y; δ = tanh'(h) ⊙ (W2^T r); ℓ = 1/2 ||r||^2";
const LSQ = "W: matrix; X: matrix; Y: matrix";

describe("sheet C2: numbers through Y = W X", () => {
  it("forward pass, loss, gradient and update are exact", () => {
    const report = steps(
      ["Y = W X = [[1.5, 1.1], [1.2, 0]]", "L = sum((Y - Yhat) ⊙ (Y - Yhat)) = 3.3", "∂L/∂W = 2 (Y - Yhat) X^T = [[0.4, 6.2], [6, 4.2]]", "W - 0.1 ∂L/∂W = [[0.26, -0.12], [-0.8, -0.02]]"].join("\n"),
      C2,
    );
    expect(report.map((s) => [s.line, s.verdict])).toEqual([[1, "valid"], [2, "valid"], [3, "valid"], [3, "valid"], [4, "valid"]]);
    expect(report[0]!.reason).toBe("all 4 entries agree (exactly)");
    expect(report[1]!.reason).toBe("both sides are exactly 3.3");
  });

  it("a wrong entry is named, with the gradient and its value expected", () => {
    const s = steps("L = sum((Y - Yhat) ⊙ (Y - Yhat))\n∂L/∂W = [[0.4, 6.2], [6, 4.3]]", `${C2}, Y = W X`);
    expect(s).toHaveLength(1);
    expect(s[0]!.verdict).toBe("invalid");
    expect(s[0]!.reason).toContain("entry (2, 2): the left side is 4.2, the right side 4.3");
    expect(s[0]!.expected).toBe("2*(Y - Yhat)*X^T = [[0.4, 6.2], [6, 4.2]]");
    expect([s[0]!.lhs, s[0]!.rhs]).toEqual([4.2, 4.3]);
  });

  it("numbers written with few digits: rounding is not a mistake, a wrong digit is", () => {
    expect(one("[[0.3, 0.5], [-0.2, 0.4]] [[0, 2], [3, 1]] = [[1.5, 1.1], [1.2, 0]]").verdict).toBe("valid");
    expect(one("[[1, 2], [3, 4]] [[1], [1]] / 3 = [1, 2.33]").verdict).toBe("valid");
    expect(one("[[1, 2], [3, 4]] [[1], [1]] / 3 = [1, 2.34]").verdict).toBe("invalid");
    const wrong = one("[[0.3, 0.5], [-0.2, 0.4]] [[0, 2], [3, 1]] = [[1.5, 1.1], [1.3, 0]]");
    expect(wrong.verdict).toBe("invalid");
    expect(wrong.reason).toContain("entry (2, 1)");
    expect(one("[[1, 2], [3, 4]] [[1, 0], [0, 1]] = [[1, 2]]").reason).toContain("different shapes");
  });

  it("numbers written rounded in an earlier step carry their rounding into later steps", () => {
    const chain = "[[1, 2], [3, 4]] [[1, 0], [0, 1]] / 3 = [[0.333, 0.667], [1, 1.333]]\n";
    expect(verdicts(`${chain}[[0.333, 0.667], [1, 1.333]] [[3, 0], [0, 3]] = [[1, 2], [3, 4]]`)).toEqual(["valid", "valid"]);
    // without the earlier step 0.333 is taken as exact: 0.999 is not 1
    expect(one("[[0.333, 0.667], [1, 1.333]] [[3, 0], [0, 3]] = [[1, 2], [3, 4]]").verdict).toBe("invalid");
    // the slack is the rounding pushed through, not more
    expect(verdicts(`${chain}[[0.333, 0.667], [1, 1.333]] [[3, 0], [0, 3]] = [[1, 2], [3, 4.1]]`)).toEqual(["valid", "invalid"]);
  });

  it("the update with an untransposed X is invalid", () => {
    const s = one("W - 0.1 * 2 (W X - Yhat) X = [[0.26, -0.12], [-0.8, -0.02]]", C2);
    expect(s.verdict).toBe("invalid");
  });
});

describe("scope", () => {
  it("a scalar defined in the input is known to later matrix claims", () => {
    const s = steps("eta = 0.1\nW - eta * 2 (W X - Yhat) X^T = [[0.26, -0.12], [-0.8, -0.02]]", C2);
    expect(s.map((x) => x.verdict)).toEqual(["valid"]);
    expect(one("W - eta * 2 (W X - Yhat) X^T = [[0.26, -0.12], [-0.8, -0.02]]", C2).verdict).toBe("invalid");
  });

  it("a new name defined as a matrix in the input is a definition", () => {
    expect(steps("v = [1, 2]\nv^T v = 5\nA = [[1, 2], [3, 4]]\nA v = [5, 11]\nA v = [5, 12]").map((x) => [x.line, x.verdict])).toEqual([[2, "valid"], [4, "valid"], [5, "invalid"]]);
  });

  it("a name given again replaces its earlier meaning", () => {
    expect(one("x^T x = ||x||^2", "x: vector").verdict).toBe("valid");
    // x is a scalar now: 2 x is a scalar claim again, decided as before
    expect(one("x + x = 2 x", "x: vector; x: scalar").verdict).toBe("valid");
    expect(one("W x = x W", "W: matrix; x: vector; x: scalar").verdict).toBe("valid");
  });
});

describe("sheet C1: the backward pass through Y = W X", () => {
  it("the engine's two rules, written with ∂L/∂Y", () => {
    expect(verdicts("∂L/∂Y = 2 (Y - Yhat)\n∂L/∂W = ∂L/∂Y X^T\n∂L/∂X = W^T ∂L/∂Y\n∂L/∂W = 2 (W X - Yhat) X^T", C1)).toEqual(["valid", "valid", "valid", "valid"]);
  });

  it("the rules with the factors in the wrong order or untransposed are invalid", () => {
    const swapped = one("∂L/∂W = X^T ∂L/∂Y", C1);
    expect(swapped.verdict).toBe("invalid");
    expect(swapped.reason).toContain("different shapes");
    const plain = one("∂L/∂X = W ∂L/∂Y", C1);
    expect(plain.verdict).toBe("invalid");
    expect(plain.reason).toContain("W should be W^T");
  });
});

describe("d/dW ||W X - Y||^2 and its broken variants", () => {
  it("the gradient is valid symbolically", () => {
    const s = one("d/dW ||W X - Y||^2 = 2*(W X - Y)*X^T", LSQ);
    expect(s.verdict).toBe("valid");
    expect(s.reason).toContain("canonical form");
    expect(one("d/dW ||W X - Y||^2 = 2 W X X^T - 2 Y X^T", LSQ).verdict).toBe("valid");
  });

  it.each([
    ["2*(W X - Y)*X", "a transposed factor: X should be X^T"],
    ["(W X - Y)*X^T", "a factor 2 is missing"],
    ["-2*(W X - Y)*X^T", "the sign is wrong"],
    ["2*(Y - W X)*X^T", "the sign is wrong"],
    ["2*X^T*(W X - Y)", "the factors of 2*X^T*(W*X - Y) are in the wrong order"],
  ])("= %s is invalid: %s", (claimed, mistake) => {
    const s = one(`d/dW ||W X - Y||^2 = ${claimed}`, LSQ);
    expect(s.verdict).toBe("invalid");
    expect(s.reason).toContain(mistake);
    expect(s.expected).toBe("2*(W*X - Y)*X^T");
  });

  it("a counterexample gives the sizes and the first differing entry", () => {
    const s = one("d/dW ||W X - Y||^2 = (W X - Y)*X^T", LSQ);
    expect(s.counterexample).toMatchObject({ row: 1, column: 1 });
    expect(Object.keys(s.counterexample!).length).toBeGreaterThan(2);
    expect(Math.abs(s.lhs! - 2 * s.rhs!)).toBeLessThan(1e-9);
  });

  it("shape mismatches name both shapes", () => {
    const s = one("W X = X^T W^T", LSQ);
    expect(s.verdict).toBe("invalid");
    expect(s.reason).toBe("the sides have different shapes: the left side is rows(W)×cols(X), the right side cols(X)×rows(W)");
    expect(one("W X = (X^T W^T)^T", LSQ).verdict).toBe("valid");
  });

  it("declarations with sizes fix the shapes", () => {
    expect(one("W x = [1, 2]", "W: matrix(2, 3), x: vector").verdict).toBe("invalid");
    const s = one("W x = [1, 2, 3]", "W: matrix(2, 3), x: vector");
    expect(s.verdict).toBe("invalid");
    expect(s.reason).toContain("shape");
  });
});

describe("sheet D4: the backward pass in matrix form", () => {
  it.each([[D4], [D4_TANH]])("the four gradients are valid (%#)", (given) => {
    const phi = given === D4 ? "Φ(h)" : "tanh(h)";
    expect(verdicts(`∂ℓ/∂W2 = r ${phi}^T\n∂ℓ/∂b = δ\n∂ℓ/∂W1 = δ x^T\n∂ℓ/∂x = W1^T δ`, given)).toEqual(["valid", "valid", "valid", "valid"]);
  });

  it("broken gradients are invalid, with the mistake named", () => {
    const cases: Array<[string, string]> = [
      ["∂ℓ/∂W2 = Φ(h) r^T", "transpose of the gradient"],
      ["∂ℓ/∂W1 = x δ^T", "transpose of the gradient"],
      ["∂ℓ/∂x = W1 δ", "W1 should be W1^T"],
      ["∂ℓ/∂b = -δ", "the sign is wrong"],
      ["∂ℓ/∂W1 = 2 δ x^T", "a factor 2 too many"],
    ];
    for (const [claim, mistake] of cases) {
      const s = one(claim, D4);
      expect(s.verdict, claim).toBe("invalid");
      expect(s.reason, claim).toContain(mistake);
    }
    expect(one("∂ℓ/∂W2 = Φ(h) r^T", D4).expected).toBe("r*Phi(h)^T");
  });

  it("a claim that holds for tanh but not for every Φ is not valid", () => {
    // with Φ = tanh, Φ'(h) = 1 - tanh(h)^2; for a generic Φ the stand-ins differ
    expect(one("∂ℓ/∂b = (1 - tanh(h) ⊙ tanh(h)) ⊙ (W2^T r)", D4).verdict).toBe("invalid");
    expect(one("∂ℓ/∂b = (1 - tanh(h) ⊙ tanh(h)) ⊙ (W2^T r)", D4_TANH).verdict).toBe("valid");
  });
});

describe("x^T A x", () => {
  it("d/dx x^T A x = (A + A^T) x; 2 A x only for symmetric A", () => {
    expect(one("d/dx x^T A x = (A + A^T) x", "x: vector; A: matrix").verdict).toBe("valid");
    expect(one("d/dx x^T A x = A x + A^T x", "x: vector; A: matrix").verdict).toBe("valid");
    const s = one("d/dx x^T A x = 2 A x", "x: vector; A: matrix");
    expect(s.verdict).toBe("invalid");
    expect(s.expected).toBe("(A + A^T)*x");
    expect(one("d/dx x^T A x = (A^T + A) x^T", "x: vector; A: matrix").verdict).toBe("invalid");
  });
});

describe("LaTeX matrix claims", () => {
  it("\\frac{\\partial L}{\\partial W}, \\hat Y, ^\\top", () => {
    const given = "W: matrix; X: matrix; Ŷ: matrix; Y = W X; L = ||Y - Ŷ||^2";
    expect(checkInput(String.raw`\frac{\partial L}{\partial W} = 2 (Y - \hat Y) X^\top`, { given }).steps.map((s) => s.verdict)).toEqual(["valid"]);
    const [wrong] = checkInput(String.raw`\frac{\partial L}{\partial W} = 2 (Y - \hat{Y}) X`, { given }).steps;
    expect(wrong!.verdict).toBe("invalid");
    expect(wrong!.reason).toContain("X should be X^T");
    expect(wrong!.display?.expectedLatex).toContain("\\top");
  });

  it("\\nabla_W L is the gradient by W", () => {
    const given = "W: matrix; X: matrix; Y: matrix; L = ||W X - Y||^2";
    expect(checkInput(String.raw`\nabla_{\mathbf{W}} L = 2 (W X - Y) X^\top`, { given }).steps[0]!.verdict).toBe("valid");
    expect(checkInput(String.raw`\nabla_{W} \lVert W X - Y \rVert^2 = 2 (W X - Y) X^\top`, { given }).steps[0]!.verdict).toBe("valid");
    expect(checkInput(String.raw`\nabla_{W} L = 2 (W X - Y) X`, { given }).steps[0]!.verdict).toBe("invalid");
  });

  it("bold names are vectors and matrices; \\odot, \\lVert, bmatrix and pmatrix", () => {
    const verdictOf = (tex: string, given?: string): string => checkInput(tex, given === undefined ? {} : { given }).steps[0]!.verdict;
    expect(verdictOf(String.raw`\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^\top \mathbf{A} \mathbf{x} = (\mathbf{A} + \mathbf{A}^\top) \mathbf{x}`)).toBe("valid");
    expect(verdictOf(String.raw`\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^\top \mathbf{A} \mathbf{x} = 2 \mathbf{A} \mathbf{x}`)).toBe("invalid");
    expect(verdictOf(String.raw`\frac{\partial}{\partial \mathbf{W}} \left\lVert \mathbf{W} \mathbf{X} - \mathbf{Y} \right\rVert^2 = 2 (\mathbf{W}\mathbf{X} - \mathbf{Y}) \mathbf{X}^{\top}`)).toBe("valid");
    expect(verdictOf(String.raw`\mathbf{a} \odot \mathbf{b} = \mathbf{b} \odot \mathbf{a}`)).toBe("valid");
    expect(verdictOf(String.raw`\begin{bmatrix} 0.3 & 0.5 \\ -0.2 & 0.4 \end{bmatrix} \begin{bmatrix} 0 & 2 \\ 3 & 1 \end{bmatrix} = \begin{pmatrix} 1.5 & 1.1 \\ 1.2 & 0 \end{pmatrix}`)).toBe("valid");
    expect(verdictOf(String.raw`\begin{bmatrix} 0.3 & 0.5 \\ -0.2 & 0.4 \end{bmatrix} \begin{bmatrix} 0 & 2 \\ 3 & 1 \end{bmatrix} = \begin{pmatrix} 1.5 & 1.1 \\ 1.2 & 0.1 \end{pmatrix}`)).toBe("invalid");
    const given = `${C2}, Y = W X, L = sum((Y - Yhat) ⊙ (Y - Yhat))`;
    expect(verdictOf(String.raw`\frac{\partial L}{\partial \mathbf{W}} = \begin{bmatrix} 0.4 & 6.2 \\ 6 & 4.2 \end{bmatrix}`, given)).toBe("valid");
  });

  it("a bold first side with a new name is a definition; later steps use it", () => {
    const md = ["Given $\\mathbf{Y} = \\mathbf{W}\\mathbf{X}$ and $L = \\lVert \\mathbf{Y} - \\mathbf{T} \\rVert^2$:", "$$", "\\begin{aligned}", "\\frac{\\partial L}{\\partial \\mathbf{W}} &= 2 (\\mathbf{Y} - \\mathbf{T}) \\mathbf{X}^\\top \\\\", "&= 2 \\mathbf{X}^\\top (\\mathbf{Y} - \\mathbf{T})", "\\end{aligned}", "$$"].join("\n");
    const report = checkDocument(md, { kind: "markdown" });
    expect(report.steps.map((s) => [s.line, s.verdict])).toEqual([[4, "valid"], [5, "invalid"]]);
  });

  it("the gradient by a declared name the expression does not contain is zero", () => {
    expect(one("∂L/∂B = 0", "A: matrix; B: matrix; L = tr(A)").verdict).toBe("valid");
    expect(one("∂L/∂B = B", "A: matrix; B: matrix; L = tr(A)").verdict).toBe("invalid");
  });

  it("a document's matrix steps keep their lines; bold names beside undeclared ones stay unknown", () => {
    const md = ["$$\\mathbf{W}^\\top x = y$$", "", "$$\\frac{\\partial}{\\partial \\mathbf{W}} \\lVert \\mathbf{W} \\mathbf{x} \\rVert^2 = 2 \\mathbf{W} \\mathbf{x} \\mathbf{x}^\\top$$"].join("\n");
    const report = checkDocument(md, { kind: "markdown" });
    expect(report.steps.map((s) => [s.line, s.verdict])).toEqual([[1, "unknown"], [3, "valid"]]);
  });
});

describe("properties", () => {
  const NAMES = ["A", "B", "C"] as const;
  const GIVEN = "A: matrix(n, n); B: matrix(n, n); C: matrix(n, n)";
  // random expressions of square matrices: products, sums, transposes, ⊙ and numeric factors
  const arbMatrix: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...NAMES),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a}) (${b})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a}) + (${b})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a}) ⊙ (${b})`),
      tie("e").map((a) => `(${a})^T`),
      fc.tuple(fc.integer({ min: -3, max: 3 }).filter((k) => k !== 0), tie("e")).map(([k, a]) => `${k} (${a})`),
    ),
  })).e;
  const program = (e: string): ReturnType<typeof parseMatrixProgram> => parseMatrixProgram(`${GIVEN}; ${e}`);

  it("the engine's simplified forms, transposes and gradients are valid; perturbed ones are invalid", () => {
    fc.assert(
      fc.property(arbMatrix, fc.constantFrom(...NAMES), (e, wrt) => {
        const p = program(e);
        const simplified = matrixToText(simplifyMatrix(p.target));
        expect(one(`${e} = ${simplified}`, GIVEN).verdict).toBe("valid");
        expect(one(`(${e})^T = ${matrixToText(N.transpose(p.target))}`, GIVEN).verdict).toBe("valid");
        // the perturbation adds a matrix that is never zero at random values
        expect(one(`${e} = ${simplified} + A ⊙ A + I`, GIVEN).verdict).toBe("invalid");
        if (!e.includes(wrt)) return;
        const f = `tr((${e}) (C + 2 I))`;
        const g = matrixGradient(program(f), [wrt]).get(wrt)!;
        const text = matrixToText(g);
        expect(one(`d/d${wrt} ${f} = ${text}`, GIVEN).verdict).toBe("valid");
        expect(one(`d/d${wrt} ${f} = 2 (${text}) + A`, GIVEN).verdict).toBe("invalid");
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe("declarations in --given", () => {
  it("name an unknown kind as the matrix builder does, exit 2", async () => {
    const { derive } = await import("../cli/run.js");
    const r = derive(["check", "d/dW tr(W) = I", "--given", "W: matr"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown kind "matr"');
  });
});
