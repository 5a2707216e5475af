/**
 * Every formula of the exercise sheets (/work/shared/problems.md), typed as people type them,
 * parsed and evaluated against values computed independently (by hand here with Math, or the
 * numbers problems.md gives).
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/numeric/index.js";
import { parseExpression, parseProgram } from "../../src/parse/index.js";
import { inline } from "../../src/program/index.js";

const sig = (t: number) => 1 / (1 + Math.exp(-t));
const at = (values: Record<string, number>) => new Map(Object.entries(values));
const valueOf = (text: string, values: Record<string, number> = {}) => evaluate(parseExpression(text), at(values));
const programValue = (text: string, values: Record<string, number> = {}) => evaluate(inline(parseProgram(text)), at(values));

describe("Sheet A", () => {
  const A1 = "(x1 - 6)^2 + x2^2 - x1*x2";

  it("A1: f and its stationary point", () => {
    expect(valueOf(A1, { x1: 6, x2: 6 })).toBe(0);
    expect(valueOf(A1, { x1: 8, x2: 4 })).toBe(-12);
    expect(valueOf(A1, { x1: 9, x2: 3 })).toBe(-9);
  });

  it("A1 as a function definition: variables are its parameters", () => {
    const p = parseProgram(`f(x1, x2) = ${A1}`);
    expect(p.targetName).toBe("f");
    expect(p.variables).toEqual(["x1", "x2"]);
    expect(evaluate(inline(p), at({ x1: 8, x2: 4 }))).toBe(-12);
  });

  it("A1: the gradient components and the Hessian entries", () => {
    const g1 = "2*x1 - x2 - 12";
    const g2 = "2*x2 - x1";
    expect([valueOf(g1, { x1: 6, x2: 6 }), valueOf(g2, { x1: 6, x2: 6 })]).toEqual([-6, 6]);
    expect([valueOf(g1, { x1: 8, x2: 4 }), valueOf(g2, { x1: 8, x2: 4 })]).toEqual([0, 0]);
    // det of [[2, -1], [-1, 2]] written out
    expect(valueOf("2·2 − (−1)(−1)")).toBe(3);
  });

  it("A2: gradient steps from (6, 6) with steps 1/2, 1/3", () => {
    const step = (x1: number, x2: number, eta: number) => [
      valueOf("x1 - η (2 x1 - x2 - 12)", { x1, x2, eta }),
      valueOf("x2 - η (2 x2 - x1)", { x1, x2, eta }),
    ];
    const [a1, a2] = step(6, 6, 1 / 2);
    expect([a1, a2]).toEqual([9, 3]);
    const [b1, b2] = step(a1!, a2!, 1 / 3);
    expect(b1).toBeCloseTo(8, 12);
    expect(b2).toBeCloseTo(4, 12);
  });

  it("A3: the step size α/√t", () => {
    expect(valueOf("α/sqrt(t)", { alpha: 0.1, t: 4 })).toBeCloseTo(0.05, 15);
  });

  it("A4: σ' and tanh', tanh through exponentials", () => {
    for (const t of [-2, -0.3, 0, 0.7, 3]) {
      expect(valueOf("σ(x)(1 - σ(x))", { x: t })).toBeCloseTo(sig(t) * (1 - sig(t)), 14);
      expect(valueOf("1 - tanh(x)^2", { x: t })).toBeCloseTo(1 - Math.tanh(t) ** 2, 14);
      expect(valueOf("(e^x - e^-x)/(e^x + e^-x)", { x: t })).toBeCloseTo(Math.tanh(t), 14);
      expect(valueOf("1/(1+e^(-x))", { x: t })).toBeCloseTo(sig(t), 14);
    }
  });

  it("A5: one layer written out for two units (φ = tanh)", () => {
    const p = "z_1 = w_{11} x_1 + w_{12} x_2 + b_1\nφ(u) = tanh(u)\ny_1 = φ(z_1)";
    const v = { w11: 0.2, w12: -0.5, x1: 1.5, x2: 0.25, b1: 0.1 };
    expect(programValue(p, v)).toBeCloseTo(Math.tanh(0.2 * 1.5 - 0.5 * 0.25 + 0.1), 14);
    // ∂y_1/∂x_2 = φ'(z_1) w_12
    expect(programValue("z_1 = w_{11} x_1 + w_{12} x_2 + b_1\n(1 - tanh(z_1)^2) w_{12}", v)).toBeCloseTo(
      (1 - Math.tanh(0.2 * 1.5 - 0.5 * 0.25 + 0.1) ** 2) * -0.5,
      14,
    );
  });

  it("A9: Var[XY] for independent X, Y (names for the moments)", () => {
    const v = { VarX: 2, VarY: 3, EX: 0.5, EY: -1 };
    expect(valueOf("VarX EY^2 + VarY EX^2 + VarX VarY", v)).toBe(2 + 3 * 0.25 + 6);
  });

  it("A10: Glorot initialisation (n_{k-1}, n_k written as n0, n1)", () => {
    const p = "a = sqrt(6/(n0 + n1))\nvariance = a^2/3\nvariance";
    expect(programValue(p, { n0: 100, n1: 50 })).toBeCloseTo(2 / 150, 15);
    expect(valueOf("n_{0} Var_w", { n0: 4, Var_w: 0.25 })).toBe(1);
  });
});

describe("Sheet B: the 2-2-1 network", () => {
  const B2 = "z1 = tanh(b1 + x1*w11 + x2*w21); z2 = tanh(b2 + x1*w12 + x2*w22); f = sigmoid(c + u1*z1 + u2*z2); L = -y*log(f) - (1-y)*log(1-f); L";
  const point = { b1: 0.1, b2: -0.2, w11: 0.3, w12: -0.4, w21: 0.5, w22: 0.6, c: 0.05, u1: 0.7, u2: -0.8, x1: 1, x2: -1, y: 1 };
  const byHand = (v: typeof point) => {
    const z1 = Math.tanh(v.b1 + v.x1 * v.w11 + v.x2 * v.w21);
    const z2 = Math.tanh(v.b2 + v.x1 * v.w12 + v.x2 * v.w22);
    const f = sig(v.c + v.u1 * z1 + v.u2 * z2);
    return { z1, z2, f, L: -v.y * Math.log(f) - (1 - v.y) * Math.log(1 - f) };
  };

  it("B2 as one line", () => {
    const p = parseProgram(B2);
    expect(p.definitions.map((d) => d.name)).toEqual(["z1", "z2", "f", "L"]);
    expect(p.targetName).toBeUndefined();
    expect(p.variables).toEqual(["b1", "x1", "w11", "x2", "w21", "b2", "w12", "w22", "c", "u1", "u2", "y"]);
    expect(evaluate(inline(p), at(point))).toBeCloseTo(byHand(point).L, 14);
    expect(evaluate(inline(p), at({ ...point, y: 0 }))).toBeCloseTo(byHand({ ...point, y: 0 }).L, 14);
  });

  it("B2 in the sheet's notation (z_{k,in}, z_{k,out}, f_in, f_out, σ, w_{1k})", () => {
    const text = `
      # a 2-2-1 network, binary cross-entropy
      z_{1,in} = b_1 + w_{11} x_1 + w_{21} x_2
      z_{2,in} = b_2 + w_{12} x_1 + w_{22} x_2
      z_{1,out} = tanh(z_{1,in});  z_{2,out} = tanh(z_{2,in})
      f_in = c + u_1 z_{1,out} + u_2 z_{2,out}
      f_out = σ(f_in)
      L = -y log(f_out) - (1 - y) log(1 - f_out)
    `;
    const p = parseProgram(text);
    expect(p.targetName).toBe("L");
    expect(p.definitions.map((d) => d.name)).toEqual(["z_1_in", "z_2_in", "z_1_out", "z_2_out", "f_in", "f_out", "L"]);
    expect(p.variables).toEqual(["b1", "w11", "x1", "w21", "x2", "b2", "w12", "w22", "c", "u1", "u2", "y"]);
    expect(evaluate(inline(p), at(point))).toBeCloseTo(byHand(point).L, 14);
  });

  it("B2 answers: ∂L/∂f_out, σ', and the simplified ∂L/∂f_in = f_out - y", () => {
    const { f } = byHand(point);
    for (const y of [0, 1]) {
      const dLdf = valueOf("-y/f_out + (1-y)/(1-f_out)", { y, f_out: f });
      expect(dLdf).toBeCloseTo(-y / f + (1 - y) / (1 - f), 14);
      const chain = dLdf * valueOf("σ(f_in)(1-σ(f_in))", { f_in: Math.log(f / (1 - f)) });
      expect(valueOf("f_out - y", { f_out: f, y })).toBeCloseTo(chain, 12);
    }
  });

  it("B3: the guarded loss over one data point", () => {
    const v = { p: 0.25, y: 1 };
    expect(valueOf("-(y log(p + 1e-15) + (1 - y) log(1 - p + 1e-15))", v)).toBeCloseTo(-Math.log(0.25 + 1e-15), 14);
  });
});

describe("Sheet C", () => {
  it("C2: squared error of W X against Ŷ, written out elementwise", () => {
    const text = `
      W_11 = 0.3; W_12 = 0.5; W_21 = -0.2; W_22 = 0.4
      X_11 = 0;   X_12 = 2;   X_21 = 3;    X_22 = 1
      Y_{11} = W_11 X_11 + W_12 X_21;  Y_{12} = W_11 X_12 + W_12 X_22
      Y_{21} = W_21 X_11 + W_22 X_21;  Y_{22} = W_21 X_12 + W_22 X_22
      L = (Y_11 - 0.5)^2 + (Y_12 - 1)^2 + (Y_21 - 1)^2 + (Y_22 + 1.5)^2
    `;
    const p = parseProgram(text);
    expect(p.variables).toEqual([]);
    expect(evaluate(inline(p))).toBeCloseTo(3.3, 12);
    // ∂L/∂W_12 = 2 Σ_j (Y_1j - Ŷ_1j) X_2j = 6.2
    expect(evaluate(inline(p, parseExpression("2((Y_11 - 0.5) X_21 + (Y_12 - 1) X_22)")))).toBeCloseTo(6.2, 12);
  });

  it("C3: σ' is 1/4 at 0", () => {
    expect(valueOf("σ(0)(1 - σ(0))")).toBe(0.25);
  });

  const C4 = "y = σ(w3 σ(w2 σ(w1 x)))\nL = -(ŷ log(y) + (1 - ŷ) log(1 - y))";
  const weights = { w1: 0.25, w2: -0.11, w3: 0.78, x: 0.63 };

  it("C4: the forward values and L = 0.521725", () => {
    const p = parseProgram(C4);
    expect(p.variables).toEqual(["w3", "w2", "w1", "x", "ŷ"]);
    expect(evaluate(inline(p), at({ ...weights, ŷ: 1 }))).toBeCloseTo(0.521725, 6);
    expect(valueOf("w1 x", weights)).toBeCloseTo(0.1575, 12);
    expect(valueOf("σ(w1 x)", weights)).toBeCloseTo(0.539294, 6);
    expect(valueOf("w2 σ(w1 x)", weights)).toBeCloseTo(-0.0593223, 7);
    expect(valueOf("σ(w2 σ(w1 x))", weights)).toBeCloseTo(0.485174, 6);
    expect(valueOf("w3 σ(w2 σ(w1 x))", weights)).toBeCloseTo(0.378436, 6);
    expect(valueOf("σ(w3 σ(w2 σ(w1 x)))", weights)).toBeCloseTo(0.593496, 6);
  });

  it("C4: the gradients, shrinking toward the input", () => {
    const text = (grad: string) => `h1 = σ(w1 x); h2 = σ(w2 h1); y = σ(w3 h2)\n${grad}`;
    const v = { ...weights, ŷ: 1 };
    expect(programValue(text("(y - ŷ) h2"), v)).toBeCloseTo(-0.197225, 6);
    expect(programValue(text("(y - ŷ) w3 h2(1 - h2) h1"), v)).toBeCloseTo(-0.0427113, 7);
    expect(programValue(text("(y - ŷ) w3 h2(1 - h2) w2 h1(1 - h1) x"), v)).toBeCloseTo(0.00136364, 8);
  });

  it("C5: the regression variant, L = 16287.26 and the three gradients", () => {
    const v = { ...weights, ŷ: 128 };
    expect(programValue("y = w3 σ(w2 σ(w1 x))\nL = (ŷ - y)^2", v)).toBeCloseTo(16287.26, 2);
    const y = "w3 σ(w2 σ(w1 x))";
    expect(valueOf(`2(${y} - ŷ) σ(w2 σ(w1 x))`, v)).toBeCloseTo(-123.837, 3);
    expect(valueOf(`2(${y} - ŷ) w3 σ(w2 σ(w1 x))(1 - σ(w2 σ(w1 x))) σ(w1 x)`, v)).toBeCloseTo(-26.8184, 4);
    expect(valueOf(`2(${y} - ŷ) w3 σ(w2 σ(w1 x))(1 - σ(w2 σ(w1 x))) w2 σ(w1 x)(1 - σ(w1 x)) x`, v)).toBeCloseTo(0.856228, 6);
  });
});

describe("Sheet D", () => {
  // D3 with n = 2 units and x in R^2 written out
  const D3 = `
    z_1 = w_{11} x_1 + w_{12} x_2 + b_1
    z_2 = w_{21} x_1 + w_{22} x_2 + b_2
    f = (y - (σ(z_1) + σ(z_2)))^2
  `;
  const v = { w11: 0.4, w12: -0.3, w21: 0.2, w22: 0.9, b1: 0.05, b2: -0.1, x1: 1.2, x2: -0.7, y: 0.8 };
  const z1 = 0.4 * 1.2 - 0.3 * -0.7 + 0.05;
  const z2 = 0.2 * 1.2 + 0.9 * -0.7 - 0.1;

  it("D3: f", () => {
    const p = parseProgram(D3);
    expect(p.targetName).toBe("f");
    expect(p.variables).toEqual(["w11", "x1", "w12", "x2", "b1", "w21", "w22", "b2", "y"]);
    expect(evaluate(inline(p), at(v))).toBeCloseTo((0.8 - sig(z1) - sig(z2)) ** 2, 14);
  });

  it("D3: ∂f/∂b_1 and ∂f/∂w_{12}, and one gradient step", () => {
    const grad = `${D3}\ng = 2 (σ(z_1) + σ(z_2) - y) σ(z_1)(1 - σ(z_1))`;
    const expected = 2 * (sig(z1) + sig(z2) - 0.8) * sig(z1) * (1 - sig(z1));
    expect(programValue(grad, v)).toBeCloseTo(expected, 14);
    expect(programValue(`${grad}\ng x_2`, v)).toBeCloseTo(expected * -0.7, 14);
    expect(programValue(`${grad}\nb_1 - η g`, { ...v, eta: 0.1 })).toBeCloseTo(0.05 - 0.1 * expected, 14);
  });

  it("D4: with Φ the identity, one step for W2 (scalars)", () => {
    const v4 = { W1: 0.5, W2: -1.5, x: 2, b: 0.25, y: 1, eta: 0.1 };
    const h = 0.5 * 2 + 0.25;
    const r = -1.5 * h - 1;
    expect(valueOf("W2 - η (W2 (W1 x + b) - y)(W1 x + b)", v4)).toBeCloseTo(-1.5 - 0.1 * r * h, 14);
    expect(valueOf("1/2 (W2 (W1 x + b) - y)^2", v4)).toBeCloseTo(0.5 * r * r, 14);
  });
});

describe("Sheet E", () => {
  it("E1: eigenvalues and condition number for μ = (1, 2), σ = 0.5 (σ alone is a symbol)", () => {
    const v = { mu1: 1, mu2: 2, sigma: 0.5 };
    expect(valueOf("σ^2 + μ_1^2 + μ_2^2", v)).toBe(5.25);
    expect(valueOf("σ²", v)).toBe(0.25);
    expect(valueOf("1 + (μ_1² + μ_2²)/σ²", v)).toBe(21);
  });

  it("E2: He initialisation keeps the variance: n · (2/n) · 1/2 · v", () => {
    expect(valueOf("n · (2/n) · 1/2 · v", { n: 256, v: 0.7 })).toBeCloseTo(0.7, 14);
  });
});
