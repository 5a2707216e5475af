import { describe, expect, it } from "vitest";
import { ONE, ZERO, add, call, dagSize, mul, num, pow, sym, type Expr } from "../../src/ast/index.js";
import { derivative, differentiate, type DiffStep } from "../../src/diff/index.js";
import { simplify } from "../../src/simplify/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { parseExpression as p } from "../../src/parse/index.js";
import { toText } from "../../src/render/index.js";

const x = sym("x");
const y = sym("y");
const d = (text: string, wrt = "x") => toText(simplify(differentiate(p(text), wrt)));

describe("rules", () => {
  it("constants and variables", () => {
    expect(differentiate(num(7), "x")).toBe(ZERO);
    expect(differentiate(y, "x")).toBe(ZERO);
    expect(differentiate(x, "x")).toBe(ONE);
    expect(differentiate(x, x)).toBe(ONE);
  });
  it("sum, constant multiple and product rules", () => {
    expect(d("3*x + y")).toBe("3");
    expect(d("x*y*sin(x)")).toBe("y*(x*cos(x) + sin(x))");
    expect(d("x^2*y^3", "y")).toBe("3*x^2*y^2");
  });
  it("power rules", () => {
    expect(d("x^5")).toBe("5*x^4");
    expect(d("1/x")).toBe("-1/x^2");
    expect(d("x^n")).toBe("n*x^(n - 1)");
    expect(d("2^x")).toBe("log(2)*2^x");
    expect(d("e^x")).toBe("exp(x)");
    // u^v = u^v (v' log u + v u'/u)
    expect(simplify(differentiate(p("x^x"), "x"))).toBe(simplify(p("x^x*(log(x) + 1)")));
  });
  it("chain rule through registry functions", () => {
    expect(d("sigmoid(2*x)")).toBe("-2*sigmoid(2*x)*(sigmoid(2*x) - 1)");
    expect(d("log(tanh(x))")).toBe("1/tanh(x) - tanh(x)");
  });
  it("leaves a raw result built with the canonical constructors", () => {
    expect(toText(differentiate(p("x*x"), "x"))).toBe("x + x");
    expect(toText(differentiate(p("log(x)*x"), "x"))).toBe("x/x + log(x)");
  });
});

describe("trace", () => {
  const trace = (e: Expr, wrt = "x") => {
    const steps: DiffStep[] = [];
    const result = differentiate(e, wrt, { onStep: (s) => steps.push(s) });
    return { steps, result };
  };

  it("records one step per distinct node, children first, ending with the whole", () => {
    const e = p("sigmoid(w*x) + 3");
    const { steps, result } = trace(e);
    expect(steps.map((s) => [s.rule, toText(s.expr)])).toEqual([
      ["variable", "x"],
      ["constant", "w"],
      ["constant multiple rule", "w*x"],
      ["chain rule", "sigmoid(w*x)"],
      ["constant", "3"],
      ["sum rule", "sigmoid(w*x) + 3"],
    ]);
    expect(steps.at(-1)!.result).toBe(result);
    expect(steps.every((s) => s.wrt === "x")).toBe(true);
    const chain = steps[3]!;
    expect(chain.outer!.rule).toBe("derivative of the sigmoid");
    expect(toText(chain.outer!.derivatives[0]!)).toBe("sigmoid(w*x)*(1 - sigmoid(w*x))");
  });

  it("uses the registry's rule name when there is nothing to chain", () => {
    const { steps } = trace(p("tanh(x)"));
    expect(steps.at(-1)!.rule).toBe("derivative of tanh");
  });

  it("names the power, exponential, general power and product rules", () => {
    expect(trace(p("x^3")).steps.at(-1)!.rule).toBe("power rule");
    expect(trace(p("2^x")).steps.at(-1)!.rule).toBe("exponential rule");
    expect(trace(p("x^x")).steps.at(-1)!.rule).toBe("general power rule");
    expect(trace(p("x*sin(x)")).steps.at(-1)!.rule).toBe("product rule");
  });

  it("records a shared subexpression once", () => {
    const u = p("tanh(a*x)");
    const { steps } = trace(add(mul(u, u), call("sigmoid", u)));
    expect(steps.filter((s) => s.expr === u)).toHaveLength(1);
    const exprs = steps.map((s) => s.expr);
    expect(new Set(exprs).size).toBe(exprs.length);
  });

  it("records a constant expression as one step", () => {
    const { steps, result } = trace(p("sin(y)^2"));
    expect(result).toBe(ZERO);
    expect(steps.map((s) => s.rule)).toEqual(["constant"]);
  });
});

describe("DAG sharing", () => {
  const chain = (n: number): Expr => {
    let e: Expr = x;
    for (let i = 0; i < n; i++) e = call("sigmoid", e);
    return e;
  };

  it("the derivative of a depth-n sigmoid chain has a DAG linear in n", () => {
    const sizes = [10, 30, 100].map((n) => dagSize(differentiate(chain(n), x)));
    // exactly 3 new nodes per level: sigmoid(u), 1 - sigmoid(u) (two nodes), plus the product
    expect(sizes[1]! - sizes[0]!).toBe((sizes[2]! - sizes[1]!) * (20 / 70));
    expect(sizes[2]!).toBeLessThan(10 * 100);
  });

  it("simplification keeps it linear", () => {
    const sizes = [10, 30, 100].map((n) => dagSize(simplify(differentiate(chain(n), x))));
    expect(sizes[2]!).toBeLessThan(10 * 100);
    expect((sizes[2]! - sizes[1]!) / 70).toBeCloseTo((sizes[1]! - sizes[0]!) / 20, 5);
  });

  it("the value matches the chain rule computed numerically", () => {
    const n = 30;
    let v = 0.3;
    let dv = 1;
    for (let i = 0; i < n; i++) {
      const s = 1 / (1 + Math.exp(-v));
      dv *= s * (1 - s);
      v = s;
    }
    const got = evaluate(simplify(differentiate(chain(n), x)), { x: 0.3 });
    expect(got).toBeCloseTo(dv, 15);
    expect(Math.abs(got - dv) / dv).toBeLessThan(1e-12);
  });
});

describe("deep expressions", () => {
  it("differentiates and simplifies expressions of depth 1000 without overflowing the stack", () => {
    let e: Expr = x;
    for (let i = 0; i < 1000; i++) e = i % 2 ? add(mul(e, y), num(1)) : call("tanh", add(e, num(i % 7)));
    expect(e.depth).toBeGreaterThan(1000);
    const raw = differentiate(e, x);
    const s = simplify(raw);
    const point = { x: 0.1, y: 0.9 };
    const a = evaluate(raw, point);
    const b = evaluate(s, point);
    expect(Number.isFinite(a)).toBe(true);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.abs(a));
  });
});

describe("higher order", () => {
  it("successive and mixed partials", () => {
    expect(toText(derivative(p("x^3*y^2"), ["x", "x"]))).toBe("6*x*y^2");
    expect(toText(derivative(p("x^3*y^2"), ["x", "y"]))).toBe("6*x^2*y");
    expect(derivative(p("x^3*y^2"), ["y", "x"])).toBe(derivative(p("x^3*y^2"), ["x", "y"]));
    expect(toText(derivative(p("sigmoid(x)"), ["x", "x"]))).toBe("sigmoid(x)*(1 - 2*sigmoid(x))*(1 - sigmoid(x))");
  });
  it("raw keeps the unsimplified result", () => {
    expect(derivative(p("x^2"), ["x"], { raw: true })).toBe(differentiate(p("x^2"), "x"));
  });
  it("an empty sequence is the expression itself", () => {
    expect(derivative(pow(x, num(2)), [])).toBe(pow(x, num(2)));
  });
});
