/**
 * Vectors, matrices and higher derivatives in claims: gradients as tuples, Hessians as matrices
 * (brackets, pmatrix, bmatrix), second derivatives in LaTeX and text, compared entrywise.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Q } from "../../src/ast/index.js";
import { differentiate } from "../../src/diff/index.js";
import { simplify } from "../../src/simplify/index.js";
import { toText } from "../../src/render/index.js";
import { checkDocument, checkInput, checkText } from "../../src/verify/index.js";
import { arbExpr } from "../support/arbitrary.js";
import { entryTexts } from "../../src/verify/latex/read.js";

const F = "f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2";
const FL = String.raw`$$f(x_1, x_2) = (x_1 - 6)^2 + x_2^2 - x_1 x_2$$`;

const text = (claims: string) => checkText(`${F}\n${claims}`).steps.map((s) => [s.line, s.verdict]);
const latex = (claims: string) => checkDocument(`${FL}\n${claims}`, { kind: "markdown" }).steps;

describe("gradients and Hessians as tuples and matrices", () => {
  const valid: string[] = [
    String.raw`$$\nabla f(6, 6) = (-6, 6)$$`,
    String.raw`$$\nabla f = (2x_1 - x_2 - 12, 2x_2 - x_1)$$`,
    String.raw`$$\nabla f = \left(2(x_1 - 6) - x_2,\; 2 x_2 - x_1\right) = (2x_1 - x_2 - 12, 2x_2 - x_1)$$`,
    String.raw`$$\nabla^2 f = \begin{pmatrix} 2 & -1 \\ -1 & 2 \end{pmatrix}$$`,
    String.raw`$$\nabla^2 f(8, 4) = \begin{bmatrix} 2 & -1 \\ -1 & 2 \end{bmatrix}$$`,
    String.raw`$$\nabla^{2} f = [[2, -1], [-1, 2]]$$`,
    String.raw`$$\nabla f(8, 4) = 0$$`,
    String.raw`$$\nabla f(6, 6) = \begin{pmatrix} -6 \\ 6 \end{pmatrix}$$`,
    String.raw`$$(6, 6) - \frac{1}{2} \nabla f(6, 6) = (9, 3)$$`,
    String.raw`$$(9, 3) - \frac{1}{3} \nabla f(9, 3) = (8, 4)$$`,
    String.raw`$$(0.41, 0.59) = \left(\sigma(-0.38), \sigma(0.38)\right)$$`,
    String.raw`$$\nabla f(6, 6) = \begin{bmatrix} -6 & 6 \end{bmatrix}$$`,
  ];
  for (const claim of valid) {
    it(`valid: ${claim}`, () => {
      const steps = latex(claim);
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.map((s) => [s.line, s.verdict, s.reason])).toEqual(steps.map((s) => [2, "valid", s.reason]));
    });
  }

  const invalid: Array<[string, string]> = [
    [String.raw`$$\nabla f(6, 6) = (-6, 7)$$`, "component 2"],
    [String.raw`$$\nabla f(6, 6) = (6, -6)$$`, "component 1"],
    [String.raw`$$\nabla f = (2x_1 - x_2 - 12, 2x_2 + x_1)$$`, "component 2"],
    [String.raw`$$\nabla^2 f = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}$$`, "entry (1, 2)"],
    [String.raw`$$\nabla f(6, 6) = (-6, 6, 0)$$`, "a vector with 2 components, the right side a vector with 3"],
    [String.raw`$$\nabla^2 f = (2, -1)$$`, "2×2 matrix"],
    [String.raw`$$\begin{pmatrix} 1 & 2 \end{pmatrix} = [[1, 2], [3, 4]]$$`, "a 1×2 matrix, the right side a 2×2 matrix"],
    [String.raw`$$(6, 6) - \frac{1}{2} \nabla f(6, 6) = (3, 9)$$`, "component 1"],
    [String.raw`$$(0.41, 0.59) = \left(\sigma(-0.38), \sigma(0.30)\right)$$`, "component 2"],
  ];
  for (const [claim, reason] of invalid) {
    it(`invalid at line 2: ${claim}`, () => {
      const steps = latex(claim);
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({ line: 2, verdict: "invalid" });
      expect(steps[0]!.reason).toContain(reason);
    });
  }

  it("exchanged components are named; a single wrong component is not called an exchange", () => {
    const [swapped] = latex(String.raw`$$\nabla f = (2x_2 - x_1, 2x_1 - x_2 - 12)$$`);
    expect(swapped!.reason).toMatch(/^components 1 and 2 are exchanged; component 1: /);
    const [single] = latex(String.raw`$$\nabla f(6, 6) = (-6, 7)$$`);
    expect(single!.reason).not.toContain("exchanged");
  });

  it("a wrong symbolic gradient names the correct one", () => {
    const [step] = latex(String.raw`$$\nabla f = (2x_1 - x_2 - 12, 2x_2 + x_1)$$`);
    expect(step!.expected).toBe("(2*x1 - x2 - 12, 2*x2 - x1)");
    expect(step!.counterexample).toHaveProperty("x1");
  });

  it("the variables of ∇ of a defined name follow their first appearance in its definition", () => {
    const md = ["$$L = (w b - 1)^2 + b$$", "$$\\nabla L = (2 b (w b - 1), 2 w (w b - 1) + 1)$$", "$$\\nabla L = (2 w (w b - 1) + 1, 2 b (w b - 1))$$"].join("\n");
    expect(checkDocument(md, { kind: "markdown" }).steps.map((s) => s.verdict)).toEqual(["valid", "invalid"]);
  });

  it("the text syntax: tuples, [[…]], ∇ and ∇²", () => {
    expect(text("∇f(6, 6) = (-6, 6)\n∇f = (2*x1 - x2 - 12, 2*x2 - x1)\n∇²f = [[2, -1], [-1, 2]]\n∇^2 f(8, 4) = [[2, -1], [-1, 2]]\n(6, 6) - 1/2*∇f(6, 6) = (9, 3)")).toEqual([
      [2, "valid"], [3, "valid"], [4, "valid"], [5, "valid"], [6, "valid"],
    ]);
    expect(text("∇f(6, 6) = (-6, 6)\n∇f(9, 3) = (3, 3)\n∇²f = [[2, -1], [1, 2]]")).toEqual([[2, "valid"], [3, "invalid"], [4, "invalid"]]);
  });

  it("products with undeclared symbols, vectors plus numbers and vectors of vectors are unknown", () => {
    for (const claim of ["[[1, 0.1]] * x = 2", "x*(1, 2) = (x, 2x)", "(1, 2) + 1 = (2, 3)", "sigmoid((1, 2)) = 1", "d/dx 2*(x, 1) = (0, 0)"]) {
      const [step] = checkText(claim).steps;
      expect(step!.verdict, claim).toBe("unknown");
    }
    const [dvec] = checkDocument(String.raw`$$\frac{d}{dx} 2 (x, 1) = (0, 0)$$`, { kind: "markdown" }).steps;
    expect(dvec!.verdict).toBe("unknown");
    // bold names are matrices and vectors now (test/verify/matrices.test.ts): W^T x is not (1, 2) for every W and x
    const [bold] = checkDocument(String.raw`$$\mathbf{W}^\top \mathbf{x} = (1, 2)$$`, { kind: "markdown" }).steps;
    expect(bold!.verdict).toBe("invalid");
    expect(bold!.reason).toContain("entry");
  });

  it("a claim with a matrix environment given directly is a claim, not a document", () => {
    const [step] = checkInput(String.raw`\nabla^2 f = \begin{pmatrix} 2 & -1 \\ -1 & 2 \end{pmatrix}`, { given: F }).steps;
    expect(step!.verdict).toBe("valid");
  });

  it("a .tex align with a pmatrix over several lines: rows keep their file lines, the claim is reported on one line", () => {
    const tex = [
      "\\begin{align}",
      "f(x_1, x_2) &= (x_1 - 6)^2 + x_2^2 - x_1 x_2 \\\\",
      "\\nabla^2 f &= \\begin{pmatrix}",
      "  2 & -1 \\\\",
      "  -1 & 2",
      "\\end{pmatrix} \\\\",
      "\\nabla f(6, 6) &= \\begin{pmatrix} -6 \\\\ 7 \\end{pmatrix}",
      "\\end{align}",
    ].join("\n");
    const steps = checkDocument(tex, { kind: "tex" }).steps;
    expect(steps.map((s) => [s.line, s.verdict])).toEqual([[3, "valid"], [7, "invalid"]]);
    expect(steps[0]!.claim).toBe("\\nabla^2 f = \\begin{pmatrix} 2 & -1 \\\\ -1 & 2 \\end{pmatrix}");
  });

  it("never invalid on rounding alone: an entry may carry the rounding of a number written rounded earlier", () => {
    const md = ["$$\\sigma(0.38) = 0.5939$$", "$$(\\sigma(0.38) \\cdot 3, 1) = \\left(0.5939 \\cdot 3, 1\\right)$$", "$$\\begin{pmatrix} \\sigma(0.38) \\cdot 3 \\\\ 1 \\end{pmatrix} = \\begin{pmatrix} 0.5939 \\cdot 3 \\\\ 1 \\end{pmatrix}$$", "$$(\\sigma(0.38) \\cdot 3, 1) = (0.5938 \\cdot 3, 1)$$"].join("\n");
    expect(checkDocument(md, { kind: "markdown" }).steps.map((s) => [s.line, s.verdict])).toEqual([[1, "valid"], [2, "valid"], [3, "valid"], [4, "invalid"]]);
    const text = checkText("sigmoid(0.38) = 0.5939\n(sigmoid(0.38)*3, 1) = (0.5939*3, 1)\n(sigmoid(0.38)*3, 1) = (0.5938*3, 1)");
    expect(text.steps.map((s) => s.verdict)).toEqual(["valid", "valid", "invalid"]);
  });

  it("entry texts of a side that is one tuple or matrix as written", () => {
    expect(entryTexts("\\left(a, \\frac{1}{2}\\right)")!.map((t) => t.trim())).toEqual(["a", "\\frac{1}{2}"]);
    expect(entryTexts("[[1, 2], [3, 4]]")!.map((t) => t.trim())).toEqual(["1", "2", "3", "4"]);
    expect(entryTexts("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}")!.map((t) => t.trim())).toEqual(["1", "2", "3", "4"]);
    expect(entryTexts("(6, 6) - (1, 2)")).toBeUndefined();
    expect(entryTexts("\\nabla f")).toBeUndefined();
  });

  it("empty entries are input errors", () => {
    for (const claim of ["[] = 1", "(1,) = (1, 2)", "∇f(6,) = (-6, 6)"]) expect(() => checkText(`${F}\n${claim}`), claim).toThrow(/empty/);
  });

  it("numeric factors may come from given values", () => {
    const [step] = checkText(`${F}\n(6, 6) - eta*∇f(6, 6) = (9, 3)`, { given: "eta = 1/2" }).steps;
    expect(step!.verdict).toBe("valid");
  });
});

describe("second derivatives", () => {
  it("LaTeX: \\partial^2 with one or two variables, d^2/dx^2", () => {
    const steps = latex([
      String.raw`$$\frac{\partial^2 f}{\partial x_1^2} = 2$$`,
      String.raw`$$\frac{\partial^2 f}{\partial x_1 \partial x_2} = -1$$`,
      String.raw`$$\frac{\partial^{2} f}{\partial x_2^{2}} = 2$$`,
      String.raw`$$\frac{d^2}{dx^2} \sigma(x) = \sigma(x)(1 - \sigma(x))(1 - 2\sigma(x))$$`,
      String.raw`$$\frac{\partial^2}{\partial x \partial y} x^2 y^3 = 6 x y^2$$`,
      String.raw`$$\frac{\partial^2 f}{\partial x_1 \partial x_2} = 1$$`,
      String.raw`$$\frac{d^2}{dx^2} \tanh(x) = -2\tanh(x)$$`,
    ].join("\n"));
    expect(steps.map((s) => [s.line, s.verdict])).toEqual([[2, "valid"], [3, "valid"], [4, "valid"], [5, "valid"], [6, "valid"], [7, "invalid"], [8, "invalid"]]);
    expect(steps[5]!.reason).toContain("sign error");
  });

  it("text: d²/dx², ∂^2/∂x∂y, ∂²f/∂x1∂x2", () => {
    expect(text("∂²f/∂x1∂x2 = -1\n∂^2 f/∂x1^2 = 2\nd²/dx² (x^3) = 6x\nd^2/dx^2 (x^3) = 3x^2\n∂²/∂x∂y (x^2 y^3) = 6 x y^2")).toEqual([
      [2, "valid"], [3, "valid"], [4, "valid"], [5, "invalid"], [6, "valid"],
    ]);
  });

  it("an order that does not match the denominator is an input error", () => {
    expect(() => checkText("∂²f/∂x1 = 2")).toThrow(/order 2/);
    const [step] = checkDocument(String.raw`$$\frac{\partial^2 f}{\partial x} = 2$$`, { kind: "markdown" }).steps;
    expect(step!.verdict).toBe("unknown");
    expect(step!.reason).toContain("order 2");
  });
});

const arb = arbExpr({ symbols: ["x", "y"], functions: ["exp", "sin", "tanh", "sigmoid"], depth: 3 });

describe("properties", () => {
  it("∇ of a random function against its componentwise derivatives: never invalid; swapped components never valid", () => {
    fc.assert(
      fc.property(arb, (e) => {
        const g = ["x", "y"].map((v) => toText(simplify(differentiate(e, v))));
        const def = `g(x, y) = ${toText(e)}`;
        const right = checkText(`${def}\n∇g = (${g[0]}, ${g[1]})`).steps[0]!;
        expect(right.verdict, right.claim).not.toBe("invalid");
        const swapped = checkText(`${def}\n∇g = (${g[1]}, ${g[0]})`).steps[0]!;
        const same = checkText(`(${g[0]}) = (${g[1]})`).steps[0]!.verdict === "valid";
        if (!same) expect(swapped.verdict, swapped.claim).not.toBe("valid");
        return true;
      }),
      { numRuns: 40, seed: 21 },
    );
  });

  it("d²/dx² of a random function: the engine's second derivative is never invalid, one off by 1/10 never valid", () => {
    fc.assert(
      fc.property(arb, (e) => {
        const d2 = simplify(differentiate(differentiate(e, "x"), "x"));
        const ok = checkText(`d²/dx² (${toText(e)}) = ${toText(d2)}`).steps[0]!;
        expect(ok.verdict, ok.claim).not.toBe("invalid");
        // (a relative slip like 2·d2 is missed where d2 is below 1e-9 everywhere: the sampler's floor)
        const wrong = checkText(`d²/dx² (${toText(e)}) = ${toText(d2)} + 1/10`).steps[0]!;
        expect(wrong.verdict, wrong.claim).not.toBe("valid");
        return true;
      }),
      { numRuns: 40, seed: 22 },
    );
  });

  it("numeric tuples: the rounded values are valid to the digits written; one digit off in any component is invalid", () => {
    const arbVector = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(arbVector, fc.integer({ min: 1, max: 5 }), fc.nat(), (values, decimals, pick) => {
        const exact = values.map((v) => Q.toText(Q.parseDecimal(v.toFixed(12))));
        const rounded = values.map((v) => Number(v.toFixed(12)).toFixed(decimals));
        const good = checkText(`(${exact.join(", ")}) = (${rounded.join(", ")})`).steps[0]!;
        expect(good.verdict, good.claim).toBe("valid");
        const k = pick % values.length;
        // two units in the last place: beyond rounding
        const off = rounded.map((r, i) => (i === k ? (Number(r) + 2 * 10 ** -decimals).toFixed(decimals) : r));
        const bad = checkText(`(${exact.join(", ")}) = (${off.join(", ")})`).steps[0]!;
        expect(bad.verdict, bad.claim).toBe("invalid");
        expect(bad.reason).toContain(`component ${k + 1}`);
        return true;
      }),
      { numRuns: 60, seed: 23 },
    );
  });
});
