/**
 * Every step of a derivation through definitions means what it says on its own terms: its text,
 * read back with the JSON's `definitions` in scope (steps/read.ts), is equal in value to the
 * lines before and after it, the first line's left side is the derivative, and the LaTeX renders.
 * Checked on random programs with definitions, at every level (full, chain, none), at random points.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import katex from "katex";
import { type Expr } from "../../src/ast/index.js";
import { differentiate } from "../../src/diff/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { inline, type Program } from "../../src/program/index.js";
import { parseProgram } from "../../src/parse/index.js";
import { derivation, readStep, type StepsLevel } from "../../src/steps/index.js";
import { stepsToJson } from "../../src/render/steps.js";
import { programToText } from "../../src/render/index.js";
import { arbExpr, arbPoint } from "../support/arbitrary.js";

interface StepsJson {
  result: string | Record<string, string>;
  steps: Array<{ rule: string; text: string; lhs?: string }>;
  definitions: string[];
}

const INPUTS = ["x", "y"] as const;
const FUNCTIONS = ["sigmoid", "tanh", "exp", "sin", "log", "relu"];

/** a = E(x, y); b = E(x, y, a); L = E(x, y, a, b); L as program text (re-parsed, so names are the parser's). */
const arbProgram: fc.Arbitrary<Program> = fc
  .tuple(
    arbExpr({ symbols: INPUTS, functions: FUNCTIONS, depth: 3 }),
    arbExpr({ symbols: [...INPUTS, "a"], functions: FUNCTIONS, depth: 3 }),
    arbExpr({ symbols: [...INPUTS, "a", "b"], functions: FUNCTIONS, depth: 3 }),
  )
  .map(([a, b, l]) => parseProgram(programToText({ definitions: [], target: a, variables: [] }).replace(/^/, "a = ") + `\nb = ${programToText({ definitions: [], target: b, variables: [] })}\nL = ${programToText({ definitions: [], target: l, variables: [] })}\nL`));

function value(e: Expr, point: ReadonlyMap<string, number>): number {
  try {
    return evaluate(e, point);
  } catch {
    return NaN;
  }
}
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The chain of values a JSON derivation states, one array per equation (a new `lhs` starts one):
 * [lhs, step, step, …], each read back with the definitions; false when a line does not equal the
 * one before it at `point` (lines whose value is not finite there are skipped, not compared).
 */
function chainsHold(json: StepsJson, point: ReadonlyMap<string, number>): { ok: boolean; compared: number; first?: number } {
  let previous = NaN;
  let compared = 0;
  let first: number | undefined;
  for (const s of json.steps) {
    if (s.lhs !== undefined) {
      previous = value(readStep(s.lhs, json.definitions), point);
      first ??= previous;
    }
    const v = value(readStep(s.text, json.definitions), point);
    if (Number.isFinite(previous) && Number.isFinite(v)) {
      compared++;
      if (!close(previous, v)) return { ok: false, compared };
    }
    previous = v;
  }
  return { ok: true, compared, ...(first !== undefined ? { first } : {}) };
}

describe("steps through definitions, read back with the definitions in scope", () => {
  const levels: StepsLevel[] = ["full", "chain", "none"];
  for (const level of levels) {
    it(`${level}: each line equals its neighbours and the first is the derivative`, () => {
      let compared = 0;
      fc.assert(
        fc.property(arbProgram, arbPoint(INPUTS), (program, point) => {
          const json = stepsToJson(derivation(program, ["x"], { level })) as unknown as StepsJson & { latex: string };
          katex.renderToString(json.latex, { throwOnError: true, strict: "ignore", displayMode: true });
          // the definitions re-parse to the program's own, in order
          const reread = parseProgram([...json.definitions, "0"].join("\n")).definitions;
          expect(reread.map((d) => [d.name, d.body])).toEqual(program.definitions.map((d) => [d.name, d.body]));
          const held = chainsHold(json, point);
          if (!held.ok) return false;
          compared += held.compared;
          const expected = value(differentiate(inline(program), "x"), point);
          if (held.first !== undefined && Number.isFinite(expected) && Number.isFinite(held.first) && !close(held.first, expected)) return false;
          return true;
        }),
        { numRuns: 150, seed: 11 },
      );
      expect(compared).toBeGreaterThan(100);
    });
  }

  it("reads a defined name inside d/dx( as its definition, and holds a defined variable fixed", () => {
    const defs = ["f = sigmoid(w*x)", "L = (f - y)^2"];
    const at = new Map([["w", 0.4], ["x", 1.3], ["y", 0.2]]);
    const f = 1 / (1 + Math.exp(-0.52));
    expect(value(readStep("d/dw(f)", defs), at)).toBeCloseTo(f * (1 - f) * 1.3, 12);
    expect(value(readStep("2*d/dw(f)*(f - y)", defs), at)).toBeCloseTo(2 * f * (1 - f) * 1.3 * (f - 0.2), 12);
    expect(value(readStep("d/df(L)", defs), at)).toBeCloseTo(2 * (f - 0.2), 12);
    // nested: d/dx of a line that itself holds an operator
    expect(value(readStep("d/dx(d/dx(x^3))", []), new Map([["x", 2]]))).toBeCloseTo(12, 12);
  });
});
