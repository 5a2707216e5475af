/**
 * Index-notation results in the forms of the reference problems (problems.md A5–A7, C1), their
 * printers (text, ASCII, LaTeX accepted by KaTeX), the delta rules, and entry-name errors.
 * The numbers behind these forms are checked in numeric.test.ts.
 */
import { describe, expect, it } from "vitest";
import katex from "katex";
import { parseMatrixProgram } from "../../src/matrix/build.js";
import { DeriveError } from "../../src/errors.js";
import { derivativeToLatex, derivativeToText, entryDerivative, equationToLatex, equationToText, indexForm, indexToLatex, indexToText, isEntryName, parseEntryName, targetEntryName } from "../../src/index-notation/index.js";
import { delta, entry, mul, sumOver, add, ONE, ZERO } from "../../src/index-notation/expr.js";

const A5 = "W: matrix; x: vector; b: vector; φ: function; z = W x + b; y = φ(z); y";
const A6 = "V: matrix; W: matrix; x: vector; c: vector; b: vector; φ1: function; φ2: function; h = V x + c; a = W φ2(h) + b; y = φ1(a); y";
const A7 =
  "U: matrix; V: matrix; W: matrix; x: vector; d: vector; c: vector; b: vector; φ1: function; φ2: function; φ3: function; " +
  "g = U x + d; h = V φ3(g) + c; a = W φ2(h) + b; y = φ1(a); y";
const C1 = "W: matrix; X: matrix; Y = W X; Y";

const text = (source: string, of: string, wrt: string, letters?: string[]): string =>
  indexToText(entryDerivative(parseMatrixProgram(source), of, wrt, letters ? { summationLetters: letters } : {}).result);

const renders = (latex: string): string => katex.renderToString(latex, { throwOnError: true, strict: "error" });

describe("the forms of problems.md", () => {
  it.each([
    ["z_i", "x_j", "w_ij"],
    ["z_i", "w_jk", "δ_ij x_k"],
    ["z_i", "b_j", "δ_ij"],
    ["y_i", "x_j", "φ'(z_i) w_ij"],
    ["y_i", "w_jk", "δ_ij φ'(z_i) x_k"],
    ["y_i", "b_j", "δ_ij φ'(z_i)"],
  ])("A5: ∂%s/∂%s = %s", (of, wrt, expected) => {
    expect(text(A5, of, wrt)).toBe(expected);
  });

  it.each([
    ["y_i", "x_j", "φ1'(a_i) Σ_k w_ik φ2'(h_k) v_kj"],
    ["y_i", "v_jk", "φ1'(a_i) w_ij φ2'(h_j) x_k"],
    ["y_i", "c_j", "φ1'(a_i) w_ij φ2'(h_j)"],
  ])("A6: ∂%s/∂%s = %s", (of, wrt, expected) => {
    expect(text(A6, of, wrt)).toBe(expected);
  });

  it.each([
    ["y_i", "x_j", "φ1'(a_i) Σ_k w_ik φ2'(h_k) Σ_l v_kl φ3'(g_l) u_lj"],
    ["y_i", "u_jk", "φ1'(a_i) Σ_l w_il φ2'(h_l) v_lj φ3'(g_j) x_k"],
  ])("A7: ∂%s/∂%s = %s", (of, wrt, expected) => {
    expect(text(A7, of, wrt)).toBe(expected);
  });

  it("A7: ∂y_i/∂d_j, with the sheet's summation letter l (k by default: the same sum)", () => {
    expect(text(A7, "y_i", "d_j", ["l", "m"])).toBe("φ1'(a_i) Σ_l w_il φ2'(h_l) v_lj φ3'(g_j)");
    expect(text(A7, "y_i", "d_j")).toBe("φ1'(a_i) Σ_k w_ik φ2'(h_k) v_kj φ3'(g_j)");
  });

  it("C1: ∂L/∂W_ij = Σ_k (∂L/∂Y_ik) X_jk and ∂L/∂X_ij = Σ_k (∂L/∂Y_kj) W_ki for an unspecified L(Y)", () => {
    expect(text(C1, "L", "W_ij")).toBe("Σ_k (∂L/∂Y_ik) X_jk");
    expect(text(C1, "L", "X_ij")).toBe("Σ_k (∂L/∂Y_kj) W_ki");
    expect(indexToLatex(entryDerivative(parseMatrixProgram(C1), "L", "W_ij").result)).toBe("\\sum_{k} \\frac{\\partial L}{\\partial Y_{ik}} X_{jk}");
  });

  it("writes defined names out entry by entry, keeping the names they use", () => {
    const p = parseMatrixProgram(A5);
    const z = indexForm(p, "z", ["i"]);
    expect(`${indexToText(z.lhs)} = ${indexToText(z.rhs)}`).toBe("z_i = Σ_k w_ik x_k + b_i");
    expect(indexToText(indexForm(p, "y_i").rhs)).toBe("φ(z_i)");
    expect(indexToText(indexForm(p, "z_k").rhs)).toBe("Σ_l w_kl x_l + b_k");
    expect(indexToText(indexForm(parseMatrixProgram(A6), "a_i").rhs)).toBe("Σ_k w_ik φ2(h_k) + b_i");
    expect(indexToText(indexForm(p, "z_i", undefined, { matrixLabels: "declared" }).rhs)).toBe("Σ_k W_ik x_k + b_i");
  });

  it("writes matrix operations entry by entry", () => {
    const form = (source: string, name: string): string => indexToText(indexForm(parseMatrixProgram(source), name).rhs);
    expect(form("A: matrix; B: matrix; C = A B^T; C", "c_ij")).toBe("Σ_k a_ik b_jk");
    // a matrix written with its capital keeps the program's spelling
    expect(form("A: matrix; B: matrix; C = A B^T; C", "C_ij")).toBe("Σ_k A_ik B_jk");
    expect(form("A: matrix; x: vector; q = x^T A x; q", "q")).toBe("Σ_k Σ_l x_k a_kl x_l");
    expect(form("A: matrix(n, n); t = tr(A + I); t", "t")).toBe("Σ_k (a_kk + 1)");
    expect(form("x: vector; v: vector; y = diag(x) v; y", "y_i")).toBe("x_i v_i");
    expect(form("x: vector; n = ||x||; n", "n")).toBe("√(Σ_k x_k^2)");
    expect(form("x: vector; v: vector; y = x ⊙ v - 2 x; y", "y_i")).toBe("x_i v_i - 2 x_i");
  });

  it("concrete entries: a delta between two numbers is 1 or 0", () => {
    expect(text(A5, "y_i", "w_12")).toBe("δ_i1 φ'(z_i) x_2");
    expect(text(A5, "y_1", "w_12")).toBe("φ'(z_1) x_2");
    expect(text(A5, "y_2", "w_12")).toBe("0");
    expect(text(A5, "z_i", "x_3")).toBe("w_i3");
    expect(text(A5, "z_i", "x_i")).toBe("w_ii");
  });

  it("differentiates by a defined name held as a variable, and gives 0 where nothing depends", () => {
    expect(text(A5, "y_i", "z_j")).toBe("δ_ij φ'(z_i)");
    expect(text(A6, "h_i", "w_jk")).toBe("0");
    expect(text(A6, "y_i", "w_jk")).toBe("δ_ij φ1'(a_i) φ2(h_k)");
  });

  it("collects and contracts through products and powers", () => {
    const loss = "W: matrix; x: vector; t: vector; r = W x - t; L = ||r||^2; L";
    expect(text(loss, "L", "w_jk")).toBe("2 r_j x_k");
    expect(text(loss, "L", "x_j")).toBe("2 Σ_k r_k w_kj");
    // numbers leave sums, so ½ · 2 cancels
    expect(text("W: matrix; x: vector; t: vector; r = W x - t; L = 1/2 ||r||^2; L", "L", "x_j")).toBe("Σ_k r_k w_kj");
    expect(text(loss, "L", "t_j")).toBe("-2 r_j");
    expect(text("A: matrix; x: vector; q = x^T A x; q", "q", "x_j")).toBe("Σ_k a_jk x_k + Σ_k x_k a_kj");
  });
});

describe("delta rules of the constructors", () => {
  const x = (i: string | number) => entry("x", "x", [i]);
  it("δ_ii = 1, δ between numbers, δ² = δ, δ_ij = δ_ji in products", () => {
    expect(delta("i", "i")).toBe(ONE);
    expect(delta(2, 2)).toBe(ONE);
    expect(delta(1, 2)).toBe(ZERO);
    expect(mul(delta("i", "j"), delta("j", "i"))).toBe(delta("i", "j"));
  });
  it("Σ_k δ_kj x_k = x_j; Σ_k δ_k2 x_k = x_2; Σ_k (δ_kj + x_k) x_k splits to contract", () => {
    expect(sumOver("k", "n", mul(delta("k", "j"), x("k")))).toBe(x("j"));
    expect(sumOver("k", "n", mul(x("k"), delta(2, "k")))).toBe(x(2));
    const split = sumOver("k", "n", mul(add(delta("k", "j"), x("k")), x("k")));
    expect(indexToText(split)).toBe("x_j + Σ_k x_k^2");
  });
  it("a delta whose partner is bound inside does not contract across the binder", () => {
    // Σ_k x_k Σ_l δ_kl x_l: l is bound inside, so the outer sum cannot use it; the inner one contracts
    const e = sumOver("k", "n", mul(x("k"), sumOver("l", "n", mul(delta("k", "l"), x("l")))));
    expect(indexToText(e)).toBe("Σ_k x_k^2");
  });
});

describe("printing", () => {
  it("ASCII text is plain and unambiguous", () => {
    const p = parseMatrixProgram(A7);
    expect(indexToText(entryDerivative(p, "y_i", "x_j").result, { ascii: true })).toBe("phi1'(a_i)*sum_k(w_ik*phi2'(h_k)*sum_l(v_kl*phi3'(g_l)*u_lj))");
    expect(indexToText(entryDerivative(parseMatrixProgram(A5), "y_i", "w_jk").result, { ascii: true })).toBe("delta_ij*phi'(z_i)*x_k");
  });

  it("LaTeX in the sheets' notation", () => {
    expect(indexToLatex(entryDerivative(parseMatrixProgram(A5), "y_i", "w_jk").result)).toBe("\\delta_{ij} \\varphi'(z_{i}) x_{k}");
    expect(indexToLatex(entryDerivative(parseMatrixProgram(A6), "y_i", "x_j").result)).toBe("\\varphi_{1}'(a_{i}) \\sum_{k} w_{ik} \\varphi_{2}'(h_{k}) v_{kj}");
  });

  it("a Σ that is not the last factor is parenthesised; built-in functions' derivatives are written out", () => {
    const x = (i: string) => entry("x", "x", [i]);
    const e = mul(sumOver("k", "n", mul(x("k"), x("k"))), x("i"));
    expect(indexToText(e)).toBe("(Σ_k x_k^2) x_i");
    expect(indexToLatex(e)).toBe("\\left(\\sum_{k} x_{k}^{2}\\right) x_{i}");
    const sig = entryDerivative(parseMatrixProgram("W: matrix; x: vector; y = sigmoid(W x); y"), "y_i", "w_jk").result;
    // as the matrix gradients and the scalar printers write σ': σ(u) (1 - σ(u))
    expect(indexToText(sig)).toBe("δ_ij σ(Σ_l w_il x_l) (1 - σ(Σ_l w_il x_l)) x_k");
    expect(indexToLatex(sig)).toBe("\\delta_{ij} \\sigma(\\sum_{l} w_{il} x_{l}) \\left(1 - \\sigma(\\sum_{l} w_{il} x_{l})\\right) x_{k}");
    const tanh = entryDerivative(parseMatrixProgram("W: matrix; x: vector; b: vector; z = W x + b; y = tanh(z); y"), "y_i", "x_j").result;
    expect(indexToText(tanh)).toBe("(1 - tanh(z_i)^2) w_ij");
    // a derivative the program writes itself (σ'(h)) keeps its prime, one more each time
    const primed = entryDerivative(parseMatrixProgram("h: vector; y = σ'(h); y"), "y_i", "h_j").result;
    expect(indexToText(primed)).toBe("δ_ij σ''(h_i)");
    expect(indexToLatex(entryDerivative(parseMatrixProgram("x: vector; y = exp(x); y"), "y_i", "x_j").result)).toBe("\\delta_{ij} e^{x_{i}}");
  });

  it("every LaTeX result renders in KaTeX", () => {
    const cases: [string, string, string][] = [
      [A5, "y_i", "w_jk"], [A5, "z_i", "b_j"], [A6, "y_i", "x_j"], [A6, "y_i", "v_jk"], [A7, "y_i", "x_j"], [A7, "y_i", "u_jk"],
      [C1, "L", "W_ij"], [A5, "y_i", "w_12"],
      ["W: matrix; x: vector; t: vector; r = W x - t; L = ||r||^2/2 + tanh(x^T x); L", "L", "x_j"],
      ["W1: matrix; x: vector; α: scalar; y = α W1 x; y", "y_i", "w1_{j,k}"],
      ["x: vector; y = sqrt(x ⊙ x + 1) + abs(x) + exp(x) + relu(x) + softplus(x) + log(x ⊙ x + 1); y", "y_i", "x_j"],
      ["W: matrix; x: vector; y = sigmoid(tanh(W x)); y", "y_i", "w_jk"],
    ];
    for (const [source, of, wrt] of cases) {
      const latex = indexToLatex(entryDerivative(parseMatrixProgram(source), of, wrt).result);
      expect(() => renders(latex), latex).not.toThrow();
    }
    expect(() => renders(indexToLatex(indexForm(parseMatrixProgram("x: vector; n = ||x||; n"), "n").rhs))).not.toThrow();
  });
});

describe("entry names", () => {
  const p = parseMatrixProgram(A5);
  it("match declared and defined names up to case; indices are letters or numbers", () => {
    expect(parseEntryName(p, "w_jk")).toMatchObject({ name: "W", indices: ["j", "k"], known: true, recased: true });
    expect(parseEntryName(p, "W_12")).toMatchObject({ name: "W", indices: [1, 2], recased: false });
    expect(parseEntryName(p, "w_{i,k2}")).toMatchObject({ name: "W", indices: ["i", "k2"] });
    expect(parseEntryName(p, "z_i")).toMatchObject({ name: "z", indices: ["i"] });
    expect(parseEntryName(p, "L")).toMatchObject({ name: "L", indices: [], known: false });
    // w12 = w_12 as in the formula language; for a vector a run of digits is one index
    expect(parseEntryName(p, "w12")).toMatchObject({ name: "W", indices: [1, 2] });
    expect(parseEntryName(p, "x_12")).toMatchObject({ name: "x", indices: [12] });
    expect(parseEntryName(p, "L1")).toMatchObject({ name: "L1", known: false });
  });
  it("tell entry names from whole names", () => {
    expect(["w_jk", "z_i", "w12", "x_3", "W_ij"].map((n) => isEntryName(p, n))).toEqual([true, true, true, true, true]);
    expect(["W", "x", "L", "q_i", "w_j", "+"].map((n) => isEntryName(p, n))).toEqual([false, false, false, false, false, false]);
  });
  it("undeclared scalars of the program are names too", () => {
    const p2 = parseMatrixProgram("W: matrix; x: vector; z = η W x; z_i");
    expect(derivativeToText(entryDerivative(p2, "z_i", "eta"))).toBe("∂z_i/∂η = Σ_k w_ik x_k");
    expect(derivativeToText(entryDerivative(p2, "η", "w_jk"))).toBe("∂η/∂w_jk = 0");
  });
  it("a program may end with the entry it asks about", () => {
    expect(targetEntryName(parseMatrixProgram(A5.replace(/; y$/, "; y_i")))).toBe("y_i");
    expect(targetEntryName(parseMatrixProgram(A5.replace(/; y$/, "; y_2")))).toBe("y2");
    expect(parseEntryName(p, "y2")).toMatchObject({ name: "y", indices: [2] });
    expect(targetEntryName(p)).toBeUndefined();
    expect(targetEntryName(parseMatrixProgram("W: matrix; x: vector; W x"))).toBeUndefined();
  });
  it("say what does not fit", () => {
    expect(() => parseEntryName(p, "w_j")).toThrow(/W is a matrix, with two indices/);
    expect(() => parseEntryName(p, "x_ij")).toThrow(/x is a vector/);
    expect(() => parseEntryName(p, "q_i")).toThrow(/neither declared nor defined/);
    expect(() => parseEntryName(p, "x_0")).toThrow(/start at 1/);
    expect(() => parseEntryName(parseMatrixProgram("x: vector(3); y = 2 x; y"), "x_4")).toThrow(/out of range/);
    expect(() => entryDerivative(p, "y_i", "q")).toThrow(DeriveError);
    expect(() => entryDerivative(parseMatrixProgram("W: matrix; X: matrix; W X"), "L", "W_ij")).toThrow(/needs a name/);
  });
});

describe("fractions", () => {
  it("negative powers are written below a fraction bar in every style", () => {
    const r = entryDerivative(parseMatrixProgram("x: vector; w: vector; s = x^T x + 1; y = w / s; y"), "y_i", "x_j").result;
    expect(indexToText(r)).toBe("-2 x_j w_i/s^2");
    expect(indexToText(r, { ascii: true })).toBe("-2*x_j*w_i/s^2");
    expect(indexToLatex(r)).toBe("-\\frac{2 x_{j} w_{i}}{s^{2}}");
    const n = entryDerivative(parseMatrixProgram("x: vector; n = ||x||; n"), "n", "x_j").result;
    expect(indexToText(n)).toBe("x_j/√(Σ_k x_k^2)");
    expect(indexToText(indexForm(parseMatrixProgram("x: vector; s: scalar; y = x / s; y"), "y_i").rhs)).toBe("x_i/s");
    expect(() => renders(indexToLatex(n))).not.toThrow();
  });
});

describe("equations", () => {
  it("print ∂of/∂wrt = result and name = definition in each style", () => {
    const d = entryDerivative(parseMatrixProgram(A5), "y_i", "w_jk");
    expect(derivativeToText(d)).toBe("∂y_i/∂w_jk = δ_ij φ'(z_i) x_k");
    expect(derivativeToText(d, { ascii: true })).toBe("dy_i/dw_jk = delta_ij*phi'(z_i)*x_k");
    expect(derivativeToLatex(d)).toBe("\\frac{\\partial y_{i}}{\\partial w_{jk}} = \\delta_{ij} \\varphi'(z_{i}) x_{k}");
    const c1 = entryDerivative(parseMatrixProgram(C1), "L", "W_ij");
    expect(derivativeToText(c1)).toBe("∂L/∂W_ij = Σ_k (∂L/∂Y_ik) X_jk");
    const f = indexForm(parseMatrixProgram(A6), "h_i");
    expect(equationToText(f.lhs, f.rhs)).toBe("h_i = Σ_k v_ik x_k + c_i");
    expect(equationToLatex(f.lhs, f.rhs)).toBe("h_{i} = \\sum_{k} v_{ik} x_{k} + c_{i}");
    for (const latex of [derivativeToLatex(d), derivativeToLatex(c1), equationToLatex(f.lhs, f.rhs)]) expect(() => renders(latex)).not.toThrow();
  });
});
