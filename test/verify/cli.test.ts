/** `derive check` through the real binary: formats, exit statuses, files. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { derive, deriveJson } from "../cli/run.js";
import { SOLUTIONS } from "./solutions.js";

interface Report {
  valid: boolean;
  steps: Array<{ line: number; claim: string; verdict: string; reason: string; counterexample?: Record<string, number>; lhs?: number; rhs?: number; expected?: string }>;
}

describe("derive check", () => {
  it("a valid claim exits 0", () => {
    const r = derive(["check", "d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("line 1: valid");
  });

  it("an invalid claim exits 1 with the counterexample, both values and the expected derivative", () => {
    const r = deriveJson(["check", "d/dx sigmoid(2x) = sigmoid(2x)*(1 - sigmoid(2x))"]);
    expect(r.status).toBe(1);
    const report = r.json as Report;
    expect(report.valid).toBe(false);
    const [step] = report.steps;
    expect(Object.keys(step!).sort()).toEqual(["claim", "counterexample", "expected", "lhs", "line", "reason", "rhs", "verdict"]);
    expect(step!.verdict).toBe("invalid");
    expect(step!.reason).toContain("chain-rule factor is missing");
    expect(step!.counterexample).toHaveProperty("x");
    expect(step!.lhs).toBeCloseTo(2 * step!.rhs!, 10);
  });

  it("∂/∂w12 and mixed-up indices", () => {
    expect(derive(["check", "∂/∂w12 (b2 + w12*x1 + w22*x2) = x1"]).status).toBe(0);
    const r = deriveJson(["check", "∂/∂w12 (b2 + w12*x1 + w21*x2) = x2"]);
    expect(r.status).toBe(1);
    expect((r.json as Report).steps[0]!.reason).toContain("mixed-up indices");
  });

  it("numbers: the tolerance comes from the digits written; --given gives values", () => {
    expect(derive(["check", "(0 + 1.5)^2 = 1.25"]).status).toBe(1);
    expect(derive(["check", "(0 + 1.5)^2 = 2.25"]).status).toBe(0);
    expect(derive(["check", "sigmoid(0.38) = 0.59"]).status).toBe(0);
    expect(derive(["check", "sigmoid(0.38) = 0.41"]).status).toBe(1);
    const r = deriveJson(["check", "sigmoid(w1*x) = 0.539294", "--given", "w1=0.25, x=0.63"]);
    expect(r.status).toBe(0);
    expect((r.json as Report).steps[0]).toMatchObject({ verdict: "valid", rhs: 0.539294 });
  });

  it("definitions in --given: a derivative claim through them", () => {
    const given = "y = sigmoid(w3*sigmoid(w2*sigmoid(w1*x))), L = -(t*log(y) + (1 - t)*log(1 - y)), w1=0.25, w2=-0.11, w3=0.78, x=0.63, t=1";
    const r = deriveJson(["check", "∂L/∂w3 = -(1 - y)*sigmoid(w2*sigmoid(w1*x)) = -0.197225", "--given", given]);
    expect(r.status).toBe(0);
    expect((r.json as Report).steps.map((s) => s.verdict)).toEqual(["valid", "valid"]);
  });

  it("symbolic matrix products are unknown, not a crash", () => {
    const r = deriveJson(["check", "[[1, 0.1]] * x = 2"]);
    expect(r.status).toBe(0);
    expect((r.json as Report).steps[0]).toMatchObject({ verdict: "unknown" });
    expect((r.json as Report).steps[0]!.reason).toContain("need matrix calculus");
    expect((r.json as Report).valid).toBe(false);
  });

  it("chains from standard input: each step against the one before", () => {
    const r = deriveJson(["check", "-"], { input: "x^2 - 1 = (x - 1)(x + 1)\n  = x^2 + 1\n" });
    expect(r.status).toBe(1);
    const report = r.json as Report;
    expect(report.steps.map((s) => [s.line, s.verdict])).toEqual([[1, "valid"], [2, "invalid"]]);
  });

  it("LaTeX claims on the command line", () => {
    expect(derive(["check", "\\frac{d}{dx} \\tanh(x) = 1 - \\tanh^2(x)"]).status).toBe(0);
    const r = deriveJson(["check", "\\frac{d}{dx} \\sigma(x) = 1 - \\sigma(x)^2"]);
    expect(r.status).toBe(1);
    expect((r.json as Report).steps[0]!.reason).toContain("wrong function");
  });

  it("input errors exit 2", () => {
    expect(derive(["check", "(x + * 2) = 1"]).status).toBe(2);
    expect(derive(["check", "x^2"]).status).toBe(2);
    expect(derive(["check", "x = 1", "--format", "latex"]).status).toBe(2);
  });

  it("html is a format of check only", () => {
    const r = derive(["check", "(0 + 1.5)^2 = 1.25", "--format", "html"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^<!doctype html>/i);
    expect(r.stdout).toContain('<tr class="invalid">');
    // self-contained: KaTeX's CSS and fonts inline, no stylesheet or script to fetch
    expect(r.stdout).toContain("data:font/woff2;base64,");
    expect(r.stdout).not.toMatch(/<link|<script/);
    expect(derive(["parse", "x", "--format", "html"]).status).toBe(2);
  });

  it("vectors, Hessians and second derivatives on the command line; display LaTeX stays out of the JSON", () => {
    const given = "f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2";
    expect(derive(["check", "∇f(6, 6) = (-6, 6)", "--given", given]).status).toBe(0);
    expect(derive(["check", "\\nabla^2 f = \\begin{pmatrix} 2 & -1 \\\\ -1 & 2 \\end{pmatrix}", "--given", given]).status).toBe(0);
    const r = deriveJson(["check", "\\nabla f = (2x_1 - x_2 - 12, 2x_2 + x_1)", "--given", given]);
    expect(r.status).toBe(1);
    const [step] = (r.json as Report).steps;
    expect(Object.keys(step!).sort()).toEqual(["claim", "counterexample", "expected", "lhs", "line", "reason", "rhs", "verdict"]);
    expect(step).toMatchObject({ verdict: "invalid", expected: "(2*x1 - x2 - 12, 2*x2 - x1)" });
    expect(step!.reason).toMatch(/^component 2: /);
    expect(derive(["check", "d²/dx² x^3 = 6x"]).status).toBe(0);
  });

  it("Markdown and .tex files: the first wrong step by its file line", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-check-"));
    const b2 = SOLUTIONS.find((s) => s.name === "B2")!;
    const good = join(dir, "b2.md");
    writeFileSync(good, b2.markdown);
    expect(derive(["check", "--file", good]).status).toBe(0);
    const broken = b2.broken[0]!;
    const bad = join(dir, "b2-broken.md");
    writeFileSync(bad, broken.markdown);
    const r = deriveJson(["check", "--file", bad]);
    expect(r.status).toBe(1);
    const first = (r.json as Report).steps.find((s) => s.verdict !== "valid")!;
    expect(first.line).toBe(broken.line);
    const tex = join(dir, "a4.tex");
    writeFileSync(tex, String.raw`\documentclass{article}
\begin{document}
% the sigmoid
\begin{align}
\frac{d}{dx}\sigma(x) &= \sigma(x)(1 - \sigma(x)) \\
\frac{d}{dx}\tanh(x) &= 1 - \tanh(x)
\end{align}
\end{document}
`);
    const t = deriveJson(["check", "--file", tex]);
    expect(t.status).toBe(1);
    expect((t.json as Report).steps.map((s) => [s.line, s.verdict])).toEqual([[5, "valid"], [6, "invalid"]]);
  });
});
