/**
 * The CLI on index programs (sums up to a symbolic n): parse, eval, diff and grad, their JSON
 * fields, values shaped like the variable, and one readable message for bad input.
 */
import { describe, expect, it } from "vitest";
import { derive, deriveJson } from "./run.js";

const MSE = "(1/n) Σ_{i=1}^{n} (y_i - w x_i - b)^2";
const DATA = "x=[1,2,3],y=[2,4,7],w=0.5,b=0";

describe("derive on sums up to n", () => {
  it("diff by a scalar, with the value at a point", () => {
    const r = deriveJson(["diff", "sum((y_i - w*x_i)^2, i, 1, n)", "--wrt", "w", "--at", "x=[1,2,3],y=[2,4,7],w=0.5"]);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({
      wrt: ["w"],
      result: "2 Σ_{i=1}^{n} (w x_i - y_i) x_i",
      ascii: "2*sum((w*x_i - y_i)*x_i, i, 1, n)",
      latex: "2 \\sum_{i=1}^{n} \\left(w x_{i} - y_{i}\\right) x_{i}",
      equation: "∂f/∂w = 2 Σ_{i=1}^{n} (w x_i - y_i) x_i",
      value: -48,
    });
  });

  it("diff by an entry contracts the sum; the value is a vector over the entries", () => {
    const r = deriveJson(["diff", "sum((y_i - w*x_i)^2, i, 1, n)", "--wrt", "x[j]", "--at", "x=[1,2,3],y=[2,4,7],w=0.5"]);
    expect(r.json).toMatchObject({ result: "2 (w x_j - y_j) w", value: [-1.5, -3, -5.5] });
  });

  it("grad: every input, vectors by an entry, values shaped like the variable", () => {
    const r = deriveJson(["grad", MSE, "--wrt", "w,b,x", "--at", DATA]);
    expect(r.status).toBe(0);
    const json = r.json as { entries: Record<string, string>; values: Record<string, unknown>; ascii: Record<string, string> };
    expect(json.entries).toEqual({ w: "w", b: "b", x: "x_j" });
    expect(json.values.w).toBeCloseTo(-16, 12);
    expect(json.values.b).toBeCloseTo(-20 / 3, 12);
    expect(json.values.x).toEqual([-0.5, -1, -11 / 6]);
    // the ASCII results are input again: differentiating its text by w gives the same number
    const again = deriveJson(["eval", json.ascii.w!, "--at", DATA]);
    expect(again.json).toEqual({ value: -16 });
  });

  it("a Jacobian of an entry by an entry has rows by the target's index", () => {
    const r = deriveJson(["diff", "z_i = sum(w_ij*x_j, j, 1, n); z_i", "--wrt", "x_k", "--at", "w=[[1,2],[3,4],[5,6]],x=[1,1]"]);
    expect(r.json).toMatchObject({ result: "w_ik", value: [[1, 2], [3, 4], [5, 6]] });
  });

  it("D3 by index notation, as problems.md writes it", () => {
    const r = derive(["diff", "z_i = Σ_{j=1}^{d} w_ij x_j + b_i; f = (y - Σ_{i=1}^{n} σ(z_i))^2; f", "--wrt", "w_kl"]);
    expect(r.stdout.trim()).toBe("2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k)) x_l");
  });

  it("steps: the chain through the definitions, each line with its rule; JSON steps carry the rules", () => {
    const d3 = "z_i = Σ_{j=1}^{d} w_ij x_j + b_i; f = (y - Σ_{i=1}^{n} σ(z_i))^2; f";
    const r = derive(["steps", d3, "--wrt", "w_kl"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "∂f/∂z_i = 2 (Σ_{j=1}^{n} σ(z_j) - y) σ(z_i) (1 - σ(z_i))    (the derivative of f by z_i)",
      "∂f/∂w_kl = Σ_{i=1}^{n} (∂f/∂z_i) (∂z_i/∂w_kl)    (chain rule through z, entry by entry)",
      "         = Σ_{i=1}^{n} δ_ik (∂f/∂z_i) x_l    (the entries of z differentiated)",
      "         = (∂f/∂z_k) x_l    (the Kronecker deltas pick out single terms of the sums)",
      "         = 2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k)) x_l    (the gradients by z substituted)",
    ]);
    const json = deriveJson(["steps", d3, "--wrt", "w_kl"]).json as { steps: Array<{ rule: string; lhs?: string }>; result: Record<string, string> };
    expect(json.steps.map((s) => s.rule)).toEqual([
      "the derivative of f by z_i",
      "chain rule through z, entry by entry",
      "the entries of z differentiated",
      "the Kronecker deltas pick out single terms of the sums",
      "the gradients by z substituted",
    ]);
    expect(json.result).toEqual({ w_kl: "2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k)) x_l" });
  });

  it("a constant derivative by an entry is still one value per entry; a free index of the input stays free", () => {
    expect(deriveJson(["diff", "sum(x_i, i, 1, n)", "--wrt", "x_j", "--at", "x=[1,2]"]).json).toMatchObject({ result: "1", value: [1, 1] });
    expect(deriveJson(["diff", "Σ_{i=1}^{n} Σ_{i=1}^{n} x_i", "--wrt", "x_j"]).json).toMatchObject({ result: "n" });
    // W_ij under a sum over j is an entry of W; i stays free
    expect(deriveJson(["diff", "sum(W_ij x_j, j, 1, n)", "--wrt", "x_k", "--at", "W=[[1,2],[3,4]],x=[1,1]"]).json).toMatchObject({ result: "W_ik", value: [[1, 2], [3, 4]] });
    // a word made of a sum's index and its size stays a name
    expect(deriveJson(["diff", "sum(f_in*x_i, i, 1, n)", "--wrt", "x_j"]).json).toMatchObject({ result: "f_in" });
  });

  it("hessian: second derivatives by every pair, values and eigenvalues", () => {
    const r = deriveJson(["hessian", MSE, "--wrt", "w,b", "--at", DATA, "--eigen"]);
    expect(r.status, r.stderr).toBe(0);
    const json = r.json as { hessian: string[][]; values: number[][]; eigenvalues: number[] };
    expect(json.hessian).toEqual([["(2 Σ_{i=1}^{n} x_i^2)/n", "(2 Σ_{i=1}^{n} x_i)/n"], ["(2 Σ_{i=1}^{n} x_i)/n", "2"]]);
    expect(json.values[0]![0]).toBeCloseTo(28 / 3, 12);
    expect(json.values[0]![1]).toBeCloseTo(4, 12);
    expect(json.values[1]).toEqual([4, 2]);
    expect(json.eigenvalues).toHaveLength(2);
  });

  it("eval and parse", () => {
    expect(deriveJson(["eval", "sum(x_i^2, i, 1, n)", "--at", "x=[1,2,3]"]).json).toEqual({ value: 14 });
    expect(deriveJson(["eval", "z_i = sum(w_ij*x_j, j, 1, n); z_i", "--at", "w=[[1,2],[3,4],[5,6]],x=[1,1]"]).json).toEqual({ value: [3, 7, 11] });
    const parsed = deriveJson(["parse", "L = (1/n) Σ_{i=1}^{n} (y_i - w x_i)^2; L"]).json;
    expect(parsed).toEqual({
      text: "L = (Σ_{i=1}^{n} (y_i - w x_i)^2)/n",
      latex: "L = \\frac{\\sum_{i=1}^{n} \\left(y_{i} - w x_{i}\\right)^{2}}{n}",
      ascii: "L = sum((y_i - w*x_i)^2, i, 1, n)/n",
    });
  });

  it("a Σ operator at the end of a line takes its body from the next", () => {
    const r = derive(["diff", "-", "--wrt", "w"], { input: "L = Σ_{i=1}^{n}\n  (y_i - w x_i)^2\nL\n" });
    expect(r.stdout.trim()).toBe("2 Σ_{i=1}^{n} (w x_i - y_i) x_i");
  });

  it("bad input: one message, exit 2, no stack trace", () => {
    const cases: Array<[string[], RegExp]> = [
      [["diff", "sum(x_i, i, 0, n)", "--wrt", "x_j"], /line 1, column 1: a sum up to a symbolic bound runs from i = 1[\s\S]*\^\^\^/],
      [["diff", "sum(i*x_i, i, 1, n)", "--wrt", "x_j"], /the index i used as a number/],
      [["diff", "sum(w_i x_i, i, 1, n)", "--wrt", "n"], /n is the size of a sum/],
      [["diff", "sum(w_i x_i, i, 1, n)", "--wrt", "q"], /q does not occur/],
      [["eval", "sum(w_i x_i, i, 1, n)", "--at", "x=[1,2,3],w=[1,1]"], /w has 2 entries and x has 3|x has 3 entries and w has 2/],
      [["eval", "sum(w_i x_i, i, 1, n)", "--at", "x=[1,2,3]"], /no value for w/],
      [["eval", "sum(x_i, i, 1, n)", "--at", "x=[[1,2],[3,4]]"], /x is a vector \(x_i\): give a list such as \[1, 2, 3\], not a 2×2 matrix/],
      [["diff", "sum(x_i, i, 1, n)", "--wrt", "x_j", "--at", "x=[1,2],j=5"], /the index j = 5 is out of range: it runs from 1 to 2/],
      [["eval", "sum(x_i, i, 1, n)", "--at", "n=2.5,x=[1,2]"], /n is the size of a sum: give a whole number/],
      [["diff", "sum(constructor_i * __proto___i, i, 1, n)", "--wrt", "constructor_j"], /./],
      [["diff", "sum(constructor_i * __proto___i, i, 1, n)", "--wrt", "__proto___j"], /./],
    ];
    for (const [args, message] of cases) {
      const r = derive(args);
      if (args[3] === "constructor_j" || args[3] === "__proto___j") {
        // odd names are names like any other, by either side of the product
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout.trim()).toBe(args[3] === "constructor_j" ? "__proto___j" : "constructor_j");
        continue;
      }
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
