/** The LaTeX reader builds the same expressions as the text syntax, with the same names. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseExpression } from "../../src/parse/index.js";
import { simplify } from "../../src/simplify/index.js";
import { sub, ZERO } from "../../src/ast/index.js";
import { Context } from "../../src/verify/context.js";
import { LatexReader } from "../../src/verify/latex/read.js";
import { documentBlocks } from "../../src/verify/latex/document.js";
import { checkDocument, checkInput } from "../../src/verify/index.js";

const read = (latex: string) => new LatexReader(new Context()).side(latex, new Set()).expr;

describe("LaTeX to expressions", () => {
  const same: Array<[string, string]> = [
    ["w_{12} x_1 + w_{22} x_2", "w12*x1 + w22*x2"],
    ["z_{2,\\text{out}}", "z_2_out"],
    ["z_{2,\\mathrm{in}} + f_{\\text{out}}", "z_2_in + f_out"],
    ["\\alpha + \\beta_1", "alpha + beta1"],
    ["\\hat{y} \\log y", "ŷ*log(y)"],
    ["\\sigma(x) \\cdot (1 - \\sigma(x))", "sigmoid(x)*(1 - sigmoid(x))"],
    ["\\sigma\\left( w x + b \\right)", "sigmoid(w*x + b)"],
    ["\\tanh^2(x)", "tanh(x)^2"],
    ["e^{-x}", "e^(-x)"],
    ["\\exp(-x) + \\ln(x) + \\log x", "exp(-x) + log(x) + log(x)"],
    ["\\frac{1}{1 + e^{-x}}", "1/(1 + e^(-x))"],
    ["\\dfrac{a}{b} \\times c", "a/b*c"],
    ["\\sqrt{x} + \\sqrt[3]{x}", "sqrt(x) + x^(1/3)"],
    ["2x(x+1)^2", "2*x*(x + 1)^2"],
    ["-x^2", "-(x^2)"],
    ["\\sum_{i=1}^{3} w_i x_i", "w1*x1 + w2*x2 + w3*x3"],
    ["\\sum_{k=1}^{2} \\sum_{j=1}^{2} w_{jk}", "w11 + w12 + w21 + w22"],
    ["\\operatorname{ReLU}(x) + \\mathrm{softplus}(x)", "relu(x) + softplus(x)"],
    ["\\frac{d}{dx} x^3", "3*x^2"],
    ["\\frac{\\partial}{\\partial w_3} (w_3 x)^2", "2*w3*x^2"],
    ["\\sigma'(z)", "sigmoid(z)*(1 - sigmoid(z))"],
    ["\\left| x \\right|", "abs(x)"],
  ];
  for (const [latex, text] of same) {
    it(`${latex} is ${text}`, () => {
      const a = read(latex);
      const b = parseExpression(text);
      expect(a === b || simplify(sub(a, b)) === ZERO).toBe(true);
    });
  }

  it("\\frac{\\partial L}{\\partial w} differentiates a defined name", () => {
    const context = new Context();
    const reader = new LatexReader(context);
    reader.define("L", "(w x - y)^2");
    const d = reader.side("\\frac{\\partial L}{\\partial w}", new Set()).expr;
    expect(simplify(sub(d, parseExpression("2*x*(w*x - y)")))).toBe(ZERO);
  });
});

describe("documents", () => {
  it("finds display math, skips prose and code, keeps file lines", () => {
    const md = ["# Title", "Some $inline$ prose, `$c = d$` in code.", "```", "$$ a = b $$", "```", "$$", "x = 1", "$$", "$y = 2$", "\\[ z = 3 \\]"].join("\n");
    const blocks = documentBlocks(md, "markdown");
    expect(blocks.map((b) => b.rows.map((r) => [r.line, r.sides.map((s) => s.trim())]))).toEqual([
      [[7, ["x", "1"]]],
      [[9, ["y", "2"]]],
      [[10, ["z", "3"]]],
    ]);
  });

  it("inline math in prose that states an equation is checked at its line; other inline math is left alone", () => {
    const md = [
      "# Notes",
      "The sigmoid at $x = 0.38$ is about $\\sigma(0.38) = 0.59$, and $f(x)$ is smooth.",
      "It costs $5 and $10, but $\\sigma(0) = 1$ is wrong; so is $2 + 2 = 5$.",
      "Inline code `$1 = 2$` and escaped \\$ signs are prose.",
      "$$\\sigma(x) = 0.59$$",
    ].join("\n");
    const report = checkDocument(md, { kind: "markdown" });
    expect(report.steps.map((s) => [s.line, s.verdict, s.claim])).toEqual([
      [2, "valid", "\\sigma(0.38) = 0.59"],
      [3, "invalid", "\\sigma(0) = 1"],
      [3, "invalid", "2 + 2 = 5"],
      [5, "valid", "\\sigma(x) = 0.59"],
    ]);
  });

  it("property: inline equations in prose are found at their exact lines, inline math without = is skipped", () => {
    const kinds = ["prose", "math", "valid", "invalid", "code"] as const;
    const text: Record<(typeof kinds)[number], (k: number) => string> = {
      prose: (k) => `Line ${k} costs $5 and has no math.`,
      math: (k) => `The function $f_{${k}}(x)$ is smooth and $x > ${k}$.`,
      valid: (k) => `We find $${k} + 1 = ${k + 1}$ here.`,
      invalid: (k) => `Then $\\sigma(0) = ${k + 1}$, says the student.`,
      code: (k) => `In code: \`$${k} = 0$\`.`,
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...kinds), { maxLength: 12 }), (lines) => {
        const md = lines.map((kind, i) => text[kind](i)).join("\n");
        const got = checkDocument(md, { kind: "markdown" }).steps.map((s) => [s.line, s.verdict]);
        const want = lines.flatMap((kind, i) => (kind === "valid" || kind === "invalid" ? [[i + 1, kind]] : []));
        expect(got).toEqual(want);
        return true;
      }),
      { numRuns: 60, seed: 41 },
    );
  });

  it("aligned rows with & and \\\\, annotations and \\approx", () => {
    const md = ["$$", "\\begin{aligned}", "(x+1)^2 &= x^2 + 2x + 1 \\quad \\text{(binomial)} \\\\", "&\\approx x^2 + 2x + 1.0,", "\\end{aligned}", "$$"].join("\n");
    const report = checkDocument(md, { kind: "markdown" });
    expect(report.steps.map((s) => [s.line, s.verdict])).toEqual([[3, "valid"], [4, "valid"]]);
  });

  it("a second claim after \\quad is checked; an annotation after \\quad is not", () => {
    const md = ["$$", "\\begin{aligned}", "a &= 1, \\qquad b = 2 \\\\", "a + b &= 3 \\quad \\text{where } c = 4", "\\end{aligned}", "$$", "$$x^2 + x = x(x + 1) \\quad (\\text{factored})$$"].join("\n");
    const report = checkDocument(md, { kind: "markdown" });
    expect(report.steps.map((s) => [s.line, s.verdict, s.claim])).toEqual([[4, "valid", "a + b = 3"], [7, "valid", "x^2 + x = x(x + 1)"]]);
    const wrong = checkDocument("$$a = 1, \\qquad a + 1 = 3$$", { kind: "markdown" });
    expect(wrong.steps.map((s) => [s.line, s.verdict])).toEqual([[1, "invalid"]]);
  });

  it("unsupported and unreadable blocks are unknown at their line; the rest is still checked", () => {
    const md = ["$$\\mathbf{W}^\\top x = y$$", "$$\\sum_{i=1}^{n} x_i = 1$$", "$$x \\foo = 1$$", "$$2 + 2 = 5$$"].join("\n");
    const report = checkDocument(md, { kind: "markdown" });
    // the sum over x_1 … x_n is not 1 for n = 1 (x_1 is any number): invalid, see sums.test.ts
    expect(report.steps.map((s) => [s.line, s.verdict])).toEqual([[1, "unknown"], [2, "invalid"], [3, "unknown"], [4, "invalid"]]);
    expect(report.steps[0]!.reason).toContain("need matrix calculus");
    expect(report.steps[1]!.reason).toContain("for n = 1");
  });

  it("definitions stay in scope; a function definition is applied", () => {
    const md = ["$$f(x_1, x_2) = (x_1 - 6)^2 + x_2^2 - x_1 x_2$$", "$$f(8, 4) = -12$$", "$$\\frac{\\partial f}{\\partial x_2} = 2 x_2 - x_1$$"].join("\n");
    expect(checkDocument(md, { kind: "markdown" }).steps.map((s) => s.verdict)).toEqual(["valid", "valid"]);
  });

  it("f'(x) of a defined function of one variable", () => {
    const md = ["$$g(t) = t^2 \\sin t$$", "$$g'(t) = 2t \\sin t + t^2 \\cos t$$", "$$g'(\\pi) = -\\pi^2$$", "$$g'(1) = 2$$"].join("\n");
    expect(checkDocument(md, { kind: "markdown" }).steps.map((s) => [s.line, s.verdict])).toEqual([[2, "valid"], [3, "valid"], [4, "invalid"]]);
  });

  it("never invalid on rounding alone; a wrong last digit is invalid", () => {
    expect(checkInput("\\sigma(0.1575) = 0.539294").steps[0]!.verdict).toBe("valid");
    expect(checkInput("\\sigma(0.1575) = 0.5393").steps[0]!.verdict).toBe("valid");
    expect(checkInput("\\sigma(0.1575) = 0.54").steps[0]!.verdict).toBe("valid");
    expect(checkInput("\\sigma(0.1575) = 0.539295").steps[0]!.verdict).toBe("invalid");
    expect(checkInput("\\sigma(0.1575) = 0.5392").steps[0]!.verdict).toBe("invalid");
    // numbers with many digits copied from elsewhere may be rounded: no invalid verdict for that
    const copied = checkInput("\\sigma(w_2 \\sigma(w_1 x)) = 0.485174 \\cdot 1.000000", { given: "w1=0.25, w2=-0.11, x=0.63" });
    expect(copied.steps[0]!.verdict).toBe("valid");
    const chain = checkInput("-(1 - \\sigma(0.378436)) \\cdot \\sigma(-0.0593223) = -(1 - 0.593496) \\cdot 0.485174");
    expect(chain.steps[0]!.verdict).toBe("valid");
    // 1/3 written to two places, then carried: 0.33 * 3 = 0.99 is right for the number written
    const report = checkInput("1/3 = 0.33\n0.33 \\cdot 3 = 0.99");
    expect(report.steps.map((s) => s.verdict)).toEqual(["valid", "valid"]);
  });
});
