import { describe, expect, it } from "vitest";
import { differentiateProgram, gradient, hessian } from "../../src/diff/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { dependencyOrder, valueDefinitions, type Program } from "../../src/program/index.js";
import { parseProgram } from "../../src/parse/index.js";
import { toText } from "../../src/render/index.js";
import { DeriveError } from "../../src/errors.js";

function forward(program: Program, inputs: Record<string, number>): Map<string, number> {
  const values = new Map(Object.entries(inputs));
  const defs = valueDefinitions(program);
  for (const name of dependencyOrder(program)) values.set(name, evaluate(defs.get(name)!.body, values));
  return values;
}

describe("program derivatives", () => {
  const program = parseProgram("h = tanh(w*x + b)\nout = sigmoid(v*h)\nL = (out - y)^2\nL");

  it("defaults to the program's variables in order of appearance", () => {
    expect(program.variables).toEqual(["w", "x", "b", "v", "y"]);
    expect(gradient(program)).toHaveLength(5);
  });

  it("keeps names given in a set, and only those", () => {
    const d = differentiateProgram(program, "b", { keep: new Set(["h"]) });
    expect(toText(d)).toContain("h");
    expect(toText(d)).not.toContain("out");
    expect(toText(d)).toContain("sigmoid");
  });

  it("kept and expanded results agree numerically, first and second order", () => {
    const point = { w: 0.4, x: -1.2, b: 0.3, v: 1.7, y: 0.2 };
    const values = forward(program, point);
    const wrt = ["w", "b", "v"];
    const g1 = gradient(program, wrt);
    const g2 = gradient(program, wrt, { keep: "all" });
    const h1 = hessian(program, wrt);
    const h2 = hessian(program, wrt, { keep: "all" });
    for (let i = 0; i < wrt.length; i++) {
      expect(evaluate(g2[i]!, values)).toBeCloseTo(evaluate(g1[i]!, point), 12);
      for (let j = 0; j < wrt.length; j++) {
        expect(evaluate(h2[i]![j]!, values)).toBeCloseTo(evaluate(h1[i]![j]!, point), 12);
        expect(h1[i]![j]).toBe(h1[j]![i]);
      }
    }
  });

  it("raw results are unsimplified but equal", () => {
    const point = { w: 0.4, x: -1.2, b: 0.3, v: 1.7, y: 0.2 };
    const raw = differentiateProgram(program, "w", { raw: true });
    const simplified = differentiateProgram(program, "w");
    expect(raw).not.toBe(simplified);
    expect(evaluate(raw, point)).toBeCloseTo(evaluate(simplified, point), 12);
  });

  it("a variable the target does not depend on has derivative 0", () => {
    expect(toText(differentiateProgram(program, "q"))).toBe("0");
  });

  it("refuses to keep a name that is not defined", () => {
    expect(() => differentiateProgram(program, "w", { keep: new Set(["nope"]) })).toThrow(DeriveError);
  });

  it("follows a long chain of kept definitions without recursion", () => {
    const n = 200;
    const lines = ["a0 = 2*x"];
    for (let i = 1; i < n; i++) lines.push(`a${i} = ${i % 2 ? "sin" : "tanh"}(a${i - 1}) + x`);
    const chain = parseProgram(lines.join("\n"));
    const kept = differentiateProgram(chain, "x", { keep: "all" });
    const expanded = differentiateProgram(chain, "x");
    const values = forward(chain, { x: 0.3 });
    expect(evaluate(kept, values)).toBeCloseTo(evaluate(expanded, { x: 0.3 }), 10);
  });
});
