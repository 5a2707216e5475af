import { describe, expect, it } from "vitest";
import katex from "katex";
import { latexName } from "../../src/render/index.js";

const renders = (latex: string): string => katex.renderToString(latex, { throwOnError: true, strict: "error" });

describe("latexName", () => {
  const table: Array<[string, string]> = [
    ["x", "x"],
    ["e", "e"],
    ["alpha", "\\alpha"],
    ["sigma", "\\sigma"],
    ["Sigma", "\\Sigma"],
    ["pi", "\\pi"],
    ["eta", "\\eta"],
    ["varepsilon", "\\varepsilon"],
    ["w12", "w_{12}"],
    ["x1", "x_{1}"],
    ["alpha1", "\\alpha_{1}"],
    ["beta2", "\\beta_{2}"],
    ["f_out", "f_{\\text{out}}"],
    ["z_2_out", "z_{2,\\text{out}}"],
    ["z2_out", "z_{2,\\text{out}}"],
    ["w_1_2", "w_{1,2}"],
    ["x_i", "x_{i}"],
    ["h_theta", "h_{\\theta}"],
    ["lr", "\\mathrm{lr}"],
    ["lr2", "\\mathrm{lr}_{2}"],
    ["Loss_val", "\\mathrm{Loss}_{\\text{val}}"],
    ["x1a", "\\mathrm{x1a}"],
  ];
  for (const [name, latex] of table) {
    it(`${name} → ${latex}`, () => {
      expect(latexName(name)).toBe(latex);
      renders(latex);
    });
  }

  it("knows every Greek letter KaTeX does", () => {
    const letters = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"];
    for (const l of letters) {
      const upper = l[0]!.toUpperCase() + l.slice(1);
      expect(latexName(l)).toBe(`\\${l}`);
      expect(latexName(upper)).toBe(`\\${upper}`);
      renders(`${latexName(l)} ${latexName(upper)}`);
    }
  });

  it("escapes every character of an unconventional name", () => {
    expect(latexName("a}\\x{")).toBe('\\mathrm{a{\\char"7D}{\\char"5C}x{\\char"7B}}');
    expect(latexName("θ_1")).toBe('\\mathrm{{\\theta}{\\char"5F}1}');
    expect(latexName("_x")).toBe('\\mathrm{{\\char"5F}x}');
    expect(latexName("x__y")).toBe('\\mathrm{x{\\char"5F}{\\char"5F}y}');
    expect(latexName("1x")).toBe("\\mathrm{1x}");
    for (let c = 32; c < 127; c++) {
      const name = `a${String.fromCharCode(c)}b`;
      const latex = latexName(name);
      renders(latex);
      // nothing but letters, digits, \mathrm, \char codes and Greek commands
      expect(latex).toMatch(/^(?:[A-Za-z0-9]+|\\mathrm\{(?:[A-Za-z0-9]|\{\\char"[0-9A-F]+\})*\}|[a-z]_\{[a-z]\}|\\mathrm\{[a-z]+\}|[a-z]_\{\\text\{[a-z]+\}\})$/);
    }
  });

  it("escapes non-ASCII characters as code points (valid under KaTeX's default strictness)", () => {
    const latex = latexName("x☺\u0007\n𝑥");
    expect(latex).toBe('\\mathrm{x{\\char"263A}{\\char"7}{\\char"A}{\\char"1D465}}');
    katex.renderToString(latex, { throwOnError: true, strict: "ignore" });
  });
});
