/**
 * The exercise sheets' differentiation problems (/work/shared/problems.md), symbolically and
 * numerically.
 */
import { describe, expect, it } from "vitest";
import { sub, type Expr } from "../../src/ast/index.js";
import { differentiate, differentiateProgram, gradient, hessian } from "../../src/diff/index.js";
import { simplify } from "../../src/simplify/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { dependencyOrder, inline, valueDefinitions, type Program } from "../../src/program/index.js";
import { parseExpression as p, parseProgram } from "../../src/parse/index.js";
import { toText } from "../../src/render/index.js";

const text = (e: Expr) => toText(e);
/** a and b are the same expression: their difference simplifies to 0. */
const expectSame = (a: Expr, b: Expr) => expect(text(simplify(sub(a, b))), `${text(a)} vs ${text(b)}`).toBe("0");

/** Every defined value of a program at a point of its inputs (forward pass). */
function forward(program: Program, inputs: Record<string, number>): Map<string, number> {
  const values = new Map(Object.entries(inputs));
  const defs = valueDefinitions(program);
  for (const name of dependencyOrder(program)) values.set(name, evaluate(defs.get(name)!.body, values));
  return values;
}

describe("A1: f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2", () => {
  const program = parseProgram("f = (x1 - 6)^2 + x2^2 - x1*x2\nf");
  it("gradient", () => {
    expect(gradient(program).map(text)).toEqual(["2*x1 - x2 - 12", "2*x2 - x1"]);
    expect(gradient(program).map((g) => evaluate(g, { x1: 6, x2: 6 }))).toEqual([-6, 6]);
    expect(gradient(program).map((g) => evaluate(g, { x1: 8, x2: 4 }))).toEqual([0, 0]);
  });
  it("Hessian", () => {
    expect(hessian(program).map((row) => row.map(text))).toEqual([
      ["2", "-1"],
      ["-1", "2"],
    ]);
  });
});

describe("A4: σ' and tanh'", () => {
  it("σ'(x) = σ(x)(1 - σ(x)), also from 1/(1 + e^-x)", () => {
    expect(text(simplify(differentiate(p("sigmoid(x)"), "x")))).toBe("sigmoid(x)*(1 - sigmoid(x))");
    expect(text(simplify(differentiate(p("1/(1 + exp(-x))"), "x")))).toBe("sigmoid(x)*(1 - sigmoid(x))");
    expect(text(simplify(differentiate(p("1/(1 + e^(-x))"), "x")))).toBe("sigmoid(x)*(1 - sigmoid(x))");
  });
  it("tanh'(x) = 1 - tanh(x)^2, also via tanh = (e^x - e^-x)/(e^x + e^-x)", () => {
    expect(text(simplify(differentiate(p("tanh(x)"), "x")))).toBe("1 - tanh(x)^2");
    expect(text(simplify(differentiate(p("(exp(x) - exp(-x))/(exp(x) + exp(-x))"), "x")))).toBe("1 - tanh(x)^2");
  });
});

describe("B2: the 2-2-1 network with binary cross-entropy", () => {
  const source = `
    z1_in = b1 + w11*x1 + w21*x2
    z1_out = tanh(z1_in)
    z2_in = b2 + w12*x1 + w22*x2
    z2_out = tanh(z2_in)
    f_in = c + u1*z1_out + u2*z2_out
    f_out = sigmoid(f_in)
    L = -y*log(f_out) - (1 - y)*log(1 - f_out)
  `;
  const program = parseProgram(source);
  const all = { keep: "all" as const };
  const sub_ = (target: string) => parseProgram(`${source}\n${target}`);

  it("∂L/∂f_out = -y/f_out + (1-y)/(1-f_out)", () => {
    expectSame(differentiateProgram(program, "f_out"), p("-y/f_out + (1-y)/(1-f_out)"));
  });
  it("∂f_out/∂f_in = σ(f_in)(1 - σ(f_in)), f_out (1 - f_out) with names kept", () => {
    expect(text(differentiateProgram(sub_("f_out"), "f_in"))).toBe("sigmoid(f_in)*(1 - sigmoid(f_in))");
    expect(text(differentiateProgram(sub_("f_out"), "f_in", all))).toBe("f_out*(1 - f_out)");
  });
  it("∂f_in/∂c = 1, ∂f_in/∂u1 = z1_out, ∂f_in/∂z2_out = u2", () => {
    expect(text(differentiateProgram(sub_("f_in"), "c", all))).toBe("1");
    expect(text(differentiateProgram(sub_("f_in"), "u1", all))).toBe("z1_out");
    expect(text(differentiateProgram(sub_("f_in"), "z2_out", all))).toBe("u2");
  });
  it("∂z2_out/∂z2_in = 1 - tanh(z2_in)^2; ∂z2_in/∂b2 = 1, ∂z2_in/∂w12 = x1, ∂z2_in/∂x1 = w12", () => {
    expect(text(differentiateProgram(sub_("z2_out"), "z2_in"))).toBe("1 - tanh(z2_in)^2");
    expect(text(differentiateProgram(sub_("z2_out"), "z2_in", all))).toBe("1 - z2_out^2");
    expect(text(differentiateProgram(sub_("z2_in"), "b2"))).toBe("1");
    expect(text(differentiateProgram(sub_("z2_in"), "w12"))).toBe("x1");
    expect(text(differentiateProgram(sub_("z2_in"), "x1"))).toBe("w12");
  });
  it("∂L/∂f_in = f_out - y (σ(f_in) - y written out)", () => {
    expect(text(differentiateProgram(program, "f_in", all))).toBe("f_out - y");
    expect(text(differentiateProgram(program, "f_in"))).toBe("sigmoid(f_in) - y");
  });
  it("∂L/∂c and ∂L/∂u1 with the intermediate names kept", () => {
    expect(text(differentiateProgram(program, "c", all))).toBe("f_out - y");
    expect(text(differentiateProgram(program, "c", { keep: new Set(["f_out"]) }))).toBe("f_out - y");
    expect(text(differentiateProgram(program, "u1", all))).toBe("z1_out*(f_out - y)");
  });
  it("∂L/∂b2 and ∂L/∂w12: products along the path through z2", () => {
    expect(text(differentiateProgram(program, "b2", all))).toBe("u2*(f_out - y)*(1 - z2_out^2)");
    expect(text(differentiateProgram(program, "w12", all))).toBe("u2*x1*(f_out - y)*(1 - z2_out^2)");
  });
  it("∂L/∂x1: the sum of the paths through z1 (w11) and z2 (w12)", () => {
    const d = differentiateProgram(program, "x1", all);
    expectSame(d, p("(f_out - y)*(u1*(1 - z1_out^2)*w11 + u2*(1 - z2_out^2)*w12)"));
  });
  it("written out in the inputs", () => {
    const f = inline(program, p("f_out"));
    const L = inline(program);
    expect(differentiateProgram(program, "c")).toBe(simplify(sub(f, p("y"))));
    expectSame(differentiateProgram(program, "c"), differentiate(L, "c"));
    // each expanded answer against the kept one evaluated through the forward pass, and both
    // against the derivative of the fully inlined loss
    const point = { b1: 0.3, b2: -0.4, w11: 0.7, w12: -1.1, w21: 0.2, w22: 0.9, c: 0.1, u1: -0.8, u2: 1.3, x1: 0.5, x2: -1.5, y: 1 };
    const values = forward(program, point);
    for (const w of ["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2", "x1", "x2"]) {
      const expanded = evaluate(differentiateProgram(program, w), point);
      const kept = evaluate(differentiateProgram(program, w, all), values);
      const direct = evaluate(differentiate(L, w), point);
      expect(Math.abs(expanded - kept), w).toBeLessThan(1e-12);
      expect(Math.abs(expanded - direct), w).toBeLessThan(1e-12);
    }
  });
  it("the gradient in parameter order, with names kept", () => {
    const order = ["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2"];
    expect(gradient(program, order, all).map(text)).toEqual([
      "u1*(f_out - y)*(1 - z1_out^2)",
      "u2*(f_out - y)*(1 - z2_out^2)",
      "u1*x1*(f_out - y)*(1 - z1_out^2)",
      "u2*x1*(f_out - y)*(1 - z2_out^2)",
      "u1*x2*(f_out - y)*(1 - z1_out^2)",
      "u2*x2*(f_out - y)*(1 - z2_out^2)",
      "f_out - y",
      "z1_out*(f_out - y)",
      "z2_out*(f_out - y)",
    ]);
  });
});

describe("C4: y = σ(w3 σ(w2 σ(w1 x))) with cross-entropy", () => {
  const program = parseProgram(`
    h1 = sigmoid(w1*x)
    h2 = sigmoid(w2*h1)
    yo = sigmoid(w3*h2)
    L = -(yhat*log(yo) + (1 - yhat)*log(1 - yo))
  `);
  const point = { w1: 0.25, w2: -0.11, w3: 0.78, x: 0.63, yhat: 1 };
  it("values at w1 = 0.25, w2 = -0.11, w3 = 0.78, x = 0.63, ŷ = 1", () => {
    const g = gradient(program, ["w3", "w2", "w1"]);
    const v = g.map((d) => evaluate(d, point));
    expect(v[0]).toBeCloseTo(-0.197225, 6);
    expect(v[1]).toBeCloseTo(-0.0427113, 7);
    expect(v[2]).toBeCloseTo(0.00136364, 8);
  });
  it("∂L/∂w3 = (y - ŷ) σ(w2 σ(w1 x)); with names kept, (yo - yhat) h2", () => {
    expect(text(differentiateProgram(program, "w3", { keep: "all" }))).toBe("h2*(yo - yhat)");
    expectSame(differentiateProgram(program, "w3"), p("(sigmoid(w3*sigmoid(w2*sigmoid(w1*x))) - yhat)*sigmoid(w2*sigmoid(w1*x))"));
  });
});

describe("C5: y = w3 σ(w2 σ(w1 x)), L = (ŷ - y)^2", () => {
  const program = parseProgram(`
    h1 = sigmoid(w1*x)
    h2 = sigmoid(w2*h1)
    yo = w3*h2
    L = (yhat - yo)^2
  `);
  const point = { w1: 0.25, w2: -0.11, w3: 0.78, x: 0.63, yhat: 128 };
  it("values", () => {
    expect(evaluate(inline(program), point)).toBeCloseTo(16287.26, 2);
    const [d3, d2, d1] = gradient(program, ["w3", "w2", "w1"]).map((d) => evaluate(d, point));
    expect(d3).toBeCloseTo(-123.837, 3);
    expect(d2).toBeCloseTo(-26.8184, 4);
    expect(d1).toBeCloseTo(0.856228, 6);
  });
  it("the textbook forms", () => {
    const s1 = "sigmoid(w1*x)";
    const s2 = `sigmoid(w2*${s1})`;
    const y = `w3*${s2}`;
    expectSame(differentiateProgram(program, "w3"), p(`2*(${y} - yhat)*${s2}`));
    expectSame(differentiateProgram(program, "w2"), p(`2*(${y} - yhat)*w3*${s2}*(1 - ${s2})*${s1}`));
    expectSame(differentiateProgram(program, "w1"), p(`2*(${y} - yhat)*w3*${s2}*(1 - ${s2})*w2*${s1}*(1 - ${s1})*x`));
    expect(text(differentiateProgram(program, "w3", { keep: "all" }))).toBe("2*h2*(yo - yhat)");
  });
});

describe("D3 with n = 2: f = (y - σ(z1) - σ(z2))^2, z_i = w_i1 x1 + w_i2 x2 + b_i", () => {
  const program = parseProgram(`
    z1 = w11*x1 + w12*x2 + b1
    z2 = w21*x1 + w22*x2 + b2
    f = (y - sigmoid(z1) - sigmoid(z2))^2
  `);
  const s = (i: number) => `sigmoid(w${i}1*x1 + w${i}2*x2 + b${i})`;
  const residual = `(${s(1)} + ${s(2)} - y)`;
  it("∂f/∂w_i = 2 (Σ_j σ(z_j) - y) σ(z_i)(1 - σ(z_i)) x, ∂f/∂b_i likewise without x", () => {
    for (const i of [1, 2]) {
      const delta = `2*${residual}*${s(i)}*(1 - ${s(i)})`;
      expectSame(differentiateProgram(program, `w${i}1`), p(`${delta}*x1`));
      expectSame(differentiateProgram(program, `w${i}2`), p(`${delta}*x2`));
      expectSame(differentiateProgram(program, `b${i}`), p(delta));
    }
  });
  it("with z1, z2 kept", () => {
    expect(text(differentiateProgram(program, "b1", { keep: "all" }))).toBe(
      text(simplify(p("2*(sigmoid(z1) + sigmoid(z2) - y)*sigmoid(z1)*(1 - sigmoid(z1))"))),
    );
  });
  it("one gradient-descent step", () => {
    const point = { w11: 0.5, w12: -0.3, w21: 0.8, w22: 0.1, b1: 0.2, b2: -0.1, x1: 1.5, x2: -0.7, y: 1 };
    const eta = 0.1;
    const g = gradient(program, ["w11", "w12", "w21", "w22", "b1", "b2"]);
    const before = evaluate(inline(program), point);
    const next: Record<string, number> = { ...point };
    ["w11", "w12", "w21", "w22", "b1", "b2"].forEach((w, i) => (next[w] = point[w as keyof typeof point] - eta * evaluate(g[i]!, point)));
    expect(evaluate(inline(program), next)).toBeLessThan(before);
  });
});
