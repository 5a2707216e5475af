/** The matrix side of the CLI: sheet C2's numbers, D4's gradients, JSON shapes, shape errors. */
import { describe, expect, it } from "vitest";
import { derive, deriveJson } from "../cli/run.js";

const C2 = "W=[[0.3,0.5],[-0.2,0.4]],X=[[0,2],[3,1]],Yhat=[[0.5,1],[1,-1.5]]";
const C2_LOSS = "Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L";

describe("sheet C2 from the command line", () => {
  it("evaluates Y, the squared errors and L exactly", () => {
    expect(deriveJson(["eval", "W X", "--at", C2]).json).toEqual({ value: [[1.5, 1.1], [1.2, 0]] });
    expect(deriveJson(["eval", "(W X - Yhat) ⊙ (W X - Yhat)", "--at", C2]).json).toEqual({ value: [[1, 0.01], [0.04, 2.25]] });
    expect(deriveJson(["eval", C2_LOSS, "--at", C2]).json).toEqual({ value: 3.3 });
  });

  it("gives the gradient in matrix notation with its value, and the updated W", () => {
    const { status, json } = deriveJson(["grad", C2_LOSS, "--wrt", "W", "--at", C2]);
    expect(status).toBe(0);
    expect(json).toMatchObject({ wrt: ["W"], gradient: { W: "2*(Y - Yhat)*X^T" }, shapes: { W: [2, 2] }, values: { W: [[0.4, 6.2], [6, 4.2]] } });
    expect(deriveJson(["eval", "W - 0.1 * 2 (W X - Yhat) X^T", "--at", C2]).json).toEqual({ value: [[0.26, -0.12], [-0.8, -0.02]] });
  });

  it("writes vectors as lists and scalars as numbers", () => {
    const { json } = deriveJson(["grad", "1/2 ||W x - y||^2", "--wrt", "x,y", "--at", "W=[[1,2],[3,4]],x=[1,1],y=[0,1]"]);
    // r = W x - y = (3, 6); ∂/∂x = Wᵀ r = (21, 30); ∂/∂y = -r
    expect(json).toMatchObject({ gradient: { x: "W^T*(W*x - y)", y: "y - W*x" }, values: { x: [21, 30], y: [-3, -6] } });
  });
});

describe("matrix programs", () => {
  it("writes D4's four gradients in the defined names", () => {
    const program = "W1: matrix; W2: matrix; x: vector; b: vector; y: vector; Φ: function; h = W1 x + b; r = W2 Φ(h) - y; δ = Φ'(h) ⊙ (W2^T r); ℓ = 1/2 ||r||^2; ℓ";
    const { json } = deriveJson(["grad", program, "--wrt", "W2,b,W1,x"]);
    expect(json).toMatchObject({ gradient: { W2: "r*Phi(h)^T", b: "delta", W1: "delta*x^T", x: "W1^T*delta" } });
  });

  it("differentiates x^T A x and tr(A W)", () => {
    expect(derive(["diff", "x: vector; A: matrix; x^T A x", "--wrt", "x"]).stdout.trim()).toBe("(A + A^T)*x");
    expect(derive(["diff", "A: matrix; W: matrix; tr(A W)", "--wrt", "W", "--format", "latex"]).stdout.trim()).toBe("A^{\\top}");
  });

  it("reports a shape mismatch naming both shapes, with a caret, exit 2", () => {
    const r = derive(["eval", "W: matrix(2, 3); x: vector(2); W x"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("2×3 times 2×1");
    expect(r.stderr).toContain("^");
    expect(r.stderr).not.toContain("    at ");
    const sum = derive(["eval", "A + B", "--at", "A=[[1,2]],B=[1,2]"]);
    expect(sum.status).toBe(2);
    expect(sum.stderr).toContain("1×2 and 2×1");
  });

  it("refuses matrix syntax where a command works on scalars, without a stack trace", () => {
    const r = derive(["simplify", "W: matrix; sum(W)"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("matrix syntax");
    expect(r.stderr).not.toContain("    at ");
  });
});

describe("index notation from the command line (A5–A7)", () => {
  it("differentiates an entry by an entry with Kronecker deltas", () => {
    expect(derive(["diff", "W: matrix; x: vector; b: vector; z = W x + b; z_i", "--wrt", "w_jk"]).stdout.trim()).toBe("δ_ij x_k");
    const { json } = deriveJson(["diff", "W: matrix; x: vector; b: vector; φ: function; z = W x + b; y = φ(z); y_i", "--wrt", "w_jk"]);
    expect(json).toMatchObject({ result: "δ_ij φ'(z_i) x_k", ascii: "delta_ij*phi'(z_i)*x_k", latex: "\\delta_{ij} \\varphi'(z_{i}) x_{k}" });
  });

  it("asks for the entry when the program ends with a whole vector", () => {
    const r = derive(["diff", "W: matrix; x: vector; b: vector; z = W x + b; z", "--wrt", "w_jk"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("z_i");
  });
});

describe("derive steps on a matrix program", () => {
  it("writes the backward pass in every format", () => {
    const program = "W: matrix; X: matrix; Yhat: matrix; Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L";
    expect(derive(["steps", program, "--wrt", "W"]).stdout.trim().split("\n")).toEqual(["∂L/∂Y = 2*(Y - Yhat)", "∂L/∂W = ∂L/∂Y*X^T = 2*(Y - Yhat)*X^T"]);
    const { json } = deriveJson(["steps", program, "--wrt", "W"]);
    expect(json).toMatchObject({ result: { W: "2*(Y - Yhat)*X^T" }, definitions: ["Y = W*X", "L = sum((Y - Yhat) ⊙ (Y - Yhat))"] });
    const html = derive(["steps", program, "--wrt", "W", "--format", "html"]).stdout;
    expect(html).toContain("<!doctype html>");
    expect(html).not.toContain("katex-error");
  });
});

describe("entries written with brackets", () => {
  it("reads W[i, j] and z[i] as index notation's entry names, numbers as entries", async () => {
    expect(derive(["diff", "W: matrix; x: vector; b: vector; z = W x + b; z[i]", "--wrt", "w[j, k]"]).stdout.trim()).toBe("δ_ij x_k");
    const { bracketEntriesToNames } = await import("../../src/index-notation/index.js");
    expect(bracketEntriesToNames("w[j, k], x[i], W[1, 12], b[2]")).toBe("w_jk, x_i, W_{1,12}, b_2");
    expect(deriveJson(["eval", "W: matrix(2, 2); W[1, 2] + W[2, 1]", "--at", "W=[[1,2],[3,4]]"]).json).toEqual({ value: 5 });
  });
});

describe("a Hessian by a matrix", () => {
  it("has four indices: written in index notation", () => {
    const r = deriveJson(["hessian", "W: matrix; X: matrix; Y: matrix; L = ||W X - Y||^2; L", "--wrt", "W"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ wrt: ["W"], hessian: "2 δ_ik Σ_m X_lm X_jm", equation: "∂²L/∂W_ij ∂W_kl = 2 δ_ik Σ_m X_lm X_jm", notation: "index" });
    // an unnamed function is f
    expect(deriveJson(["hessian", "W: matrix; sum(W ⊙ W)", "--wrt", "W"]).json).toMatchObject({ hessian: "2 δ_ik δ_jl" });
  });

  it("its entries have values by concrete entries; with symbolic ones the message says so", () => {
    const at = "W=[[1,2],[3,4]],X=[[1,2],[0,1]],Y=[[0,0],[0,0]]";
    expect(deriveJson(["diff", "W: matrix; X: matrix; Y: matrix; L = ||W X - Y||^2; L", "--wrt", "W_12,W_12", "--at", at]).json).toMatchObject({ result: "2 Σ_k X_2k^2", value: 2 });
    const r = derive(["diff", "W: matrix; X: matrix; Y: matrix; L = ||W X - Y||^2; L", "--wrt", "W_ij", "--at", at]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("free indices i, j");
    const h = derive(["hessian", "W: matrix; X: matrix; Y: matrix; L = ||W X - Y||^2; L", "--wrt", "W", "--at", at]);
    expect(h.status).toBe(2);
    expect(h.stderr).toContain("four indices");
  });
});
