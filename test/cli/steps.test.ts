import { describe, expect, it } from "vitest";
import katex from "katex";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { derive, deriveJson } from "./run.js";
import { parseExpression } from "../../src/parse/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { NETWORK } from "../steps/cases.js";
import { readStep } from "../../src/steps/index.js";

interface StepsJson {
  result: string | Record<string, string>;
  steps: Array<{ rule: string; text: string; latex: string; lhs?: string }>;
  latex: string;
  notes?: string[];
}

describe("derive steps", () => {
  it("writes a rule-by-rule trace whose steps re-parse and are equal in value", () => {
    const r = deriveJson(["steps", "x^2 sin(x)", "--wrt", "x"]);
    expect(r.status).toBe(0);
    const json = r.json as StepsJson;
    expect(json.result).toBe("x*(x*cos(x) + 2*sin(x))");
    expect(json.steps.map((s) => s.rule)).toEqual(["product rule", "derivative of sin", "power rule", "simplification"]);
    const at = new Map([["x", 0.7]]);
    const values = [json.steps[0]!.lhs!, ...json.steps.map((s) => s.text)].map((t) => evaluate(parseExpression(t), at));
    for (const v of values) expect(v).toBeCloseTo(values[0]!, 10);
    katex.renderToString(json.latex, { throwOnError: true, displayMode: true });
    for (const s of json.steps) katex.renderToString(s.latex, { throwOnError: true });
  });

  it("shows that σ' = σ(1 - σ) (sheet A4), ending at the target", () => {
    const r = derive(["steps", "1/(1+exp(-x))", "--wrt", "x", "--target", "sigmoid(x)*(1-sigmoid(x))"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^d\/dx\(1\/\(exp\(-x\) \+ 1\)\) = .*\(power rule\)$/);
    expect(lines[lines.length - 1]).toMatch(/= sigmoid\(x\)\*\(1 - sigmoid\(x\)\) +\(definition of sigmoid\)$/);
  });

  it("says when the target is not the derivative", () => {
    const r = derive(["steps", "x^3", "--wrt", "x", "--target", "x^2"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: the derivative is not equal to the target/);
  });

  it("writes the backprop chain view of sheet B from a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-steps-"));
    const file = join(dir, "net.txt");
    writeFileSync(file, NETWORK + "\n");
    const r = derive(["steps", "--file", file, "--wrt", "c", "--steps", "chain"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^d\/dc\(L\) += d\/df_out\(L\)\*d\/df_in\(f_out\)\*d\/dc\(f_in\) +\(chain rule\)$/m);
    expect(r.stdout).toMatch(/^d\/df_in\(L\) += d\/df_out\(L\)\*d\/df_in\(f_out\) +\(chain rule\)$/m);
    expect(r.stdout.trim().split("\n").pop()).toMatch(/^d\/dc\(L\) += f_out - y +\(substitution of the local derivatives and d\/df_in\(L\)\)$/);
    const all = deriveJson(["steps", "--file", file, "--wrt", "b1,b2,w11,w12,w21,w22,c,u1,u2", "--steps", "chain"]);
    expect(all.status).toBe(0);
    expect(Object.keys((all.json as StepsJson).result as Record<string, string>)).toEqual(["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2"]);
  });

  it("JSON carries the definitions, and every step read back with them equals the one before", () => {
    const r = deriveJson(["steps", "s1 = sigmoid(w1*x); s2 = sigmoid(w2*s1); L = (yhat - w3*s2)^2; L", "--wrt", "w1"]);
    expect(r.status).toBe(0);
    const json = r.json as StepsJson & { definitions: string[] };
    expect(json.definitions).toEqual(["s1 = sigmoid(w1*x)", "s2 = sigmoid(s1*w2)", "L = (yhat - s2*w3)^2"]);
    const at = new Map([["w1", 0.25], ["w2", -0.11], ["w3", 0.78], ["x", 0.63], ["yhat", 128]]);
    const values = [json.steps[0]!.lhs!, ...json.steps.map((s) => s.text)].map((t) => evaluate(readStep(t, json.definitions), at));
    for (const v of values) expect(v).toBeCloseTo(0.856228, 5); // sheet C5: ∂L/∂w1
    // the parser alone reads a defined name inside d/dw1( as a constant: the definitions are needed
    expect(evaluate(parseExpression(json.steps[0]!.lhs!), new Map([...at, ["L", 1]]))).toBe(0);
  });

  it("writes LaTeX, Markdown and a self-contained HTML page", () => {
    const latex = derive(["steps", "tanh(x)^2", "--wrt", "x", "--format", "latex"]);
    expect(latex.stdout.startsWith("\\begin{aligned}")).toBe(true);
    katex.renderToString(latex.stdout, { throwOnError: true, displayMode: true });
    const md = derive(["steps", "tanh(x)^2", "--wrt", "x", "--format", "markdown"]);
    expect(md.stdout).toMatch(/^\$\$\n\\begin\{aligned\}/);
    const html = derive(["steps", "tanh(x)^2", "--wrt", "x", "--format", "html"]);
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain("data:font/woff2;base64,");
    expect(html.stdout).not.toMatch(/(?:src|href)="?https?:/);
  });

  it("rejects unknown levels and formats other commands do not take", () => {
    expect(derive(["steps", "x^2", "--steps", "some"]).status).toBe(2);
    expect(derive(["diff", "x^2", "--format", "markdown"]).status).toBe(2);
  });
});
