import { describe, expect, it } from "vitest";
import { Q } from "../../src/ast/index.js";
import { parseProgram } from "../../src/parse/index.js";
import { gradientDescent, parseSchedule, programObjective } from "../../src/numeric/descent.js";
import { isExact, scalarText, toNumber, type Scalar } from "../../src/numeric/exact.js";
import { SHEET_A1 } from "../compile/networks.js";

const int = (n: number): Scalar => Q.rational(BigInt(n));
const texts = (xs: readonly Scalar[]): string[] => xs.map(scalarText);
const a1 = programObjective(parseProgram(SHEET_A1), { params: ["x1", "x2"] });

describe("sheet A2: three steps by hand with steps 1/2, 1/3, 1/4", () => {
  it("reproduces the table exactly, in integers", () => {
    const r = gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("1/2, 1/3, 1/4"), maxSteps: 3, table: true });
    const rows = r.table.map((row) => [row.t, texts(row.x), scalarText(row.f), texts(row.gradient), texts(row.next)]);
    expect(rows).toEqual([
      [1, ["6", "6"], "0", ["-6", "6"], ["9", "3"]],
      [2, ["9", "3"], "-9", ["3", "-3"], ["8", "4"]],
      [3, ["8", "4"], "-12", ["0", "0"], ["8", "4"]],
    ]);
    expect(r.table.every((row) => [...row.x, row.f, ...row.gradient, row.step, ...row.next].every(isExact))).toBe(true);
    expect(texts(r.x)).toEqual(["8", "4"]);
    expect(scalarText(r.value)).toBe("-12");
    expect(r.steps).toBe(3);
  });

  it("rational steps stay rational", () => {
    const r = gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("1/3"), maxSteps: 4 });
    expect(r.x.every(isExact)).toBe(true);
    // x1 after the first step: 6 - (1/3)(-6) = 8
    expect(scalarText(gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("1/3"), maxSteps: 1 }).x[0]!)).toBe("8");
  });
});

describe("sheet A3: step α/√t, α = 0.1, at most 10 steps, stop when the decrease < 1e-3", () => {
  it("ends at (7.619735, 4.380265) after 10 steps", () => {
    const r = gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("0.1/sqrt(t)"), maxSteps: 10, tol: 1e-3 });
    expect(toNumber(r.x[0]!)).toBeCloseTo(7.619735, 6);
    expect(toNumber(r.x[1]!)).toBeCloseTo(4.380265, 6);
    expect(r.steps).toBe(10);
    expect(r.stopped).toBe("max-steps");
  });

  it("the same with alpha given separately", () => {
    const r = gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("alpha/sqrt(t)", Q.rational(1n, 10n)), maxSteps: 10, tol: 1e-3 });
    expect(toNumber(r.x[0]!)).toBeCloseTo(7.619735, 6);
  });

  it("variant: constant step 0.1, threshold 1e-4: (7.943505, 4.056495), 10 steps, exactly rational", () => {
    const r = gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("0.1"), maxSteps: 10, tol: 1e-4 });
    expect(toNumber(r.x[0]!)).toBeCloseTo(7.943505, 6);
    expect(toNumber(r.x[1]!)).toBeCloseTo(4.056495, 6);
    expect(r.steps).toBe(10);
    expect(r.x.every(isExact)).toBe(true);
    expect(texts(r.x)).toEqual(["7.9435049502", "4.0564950498"]);
  });

  it("the first irrational step (0.1/sqrt(2)) turns the run into doubles", () => {
    const r = gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("0.1/sqrt(t)"), maxSteps: 2, table: true });
    expect(r.table[0]!.next.every(isExact)).toBe(true);
    expect(texts(r.table[0]!.next)).toEqual(["6.6", "5.4"]);
    expect(r.table[1]!.next.some(isExact)).toBe(false);
  });
});

describe("the stopping rule: stop after the update, keeping the new point, when the decrease < tol", () => {
  it("stops at the first small decrease and keeps that point", () => {
    // f = x^2 from 1 with step 1/4: x halves each step, f quarters; decreases 3/4, 3/16, 3/64, …
    const f = programObjective(parseProgram("x^2"), { params: ["x"] });
    const r = gradientDescent(f, [int(1)], { schedule: parseSchedule("1/4"), maxSteps: 100, tol: 0.01, table: true });
    // decreases: 0.75, 0.1875, 0.046875, 0.01171875, 0.0029296875 < 0.01 at t = 5
    expect(r.steps).toBe(5);
    expect(r.stopped).toBe("tol");
    expect(scalarText(r.x[0]!)).toBe("0.03125"); // exactly 1/32
    expect(r.table).toHaveLength(5);
  });

  it("an increase also stops (the decrease is negative)", () => {
    const f = programObjective(parseProgram("x^2"), { params: ["x"] });
    const r = gradientDescent(f, [int(1)], { schedule: parseSchedule("2"), maxSteps: 10, tol: 0 });
    expect(r.steps).toBe(1);
    expect(scalarText(r.x[0]!)).toBe("-3");
  });
});

describe("step schedules", () => {
  it("constants, formulas in t and lists", () => {
    expect(scalarText(parseSchedule("0.1").at(7))).toBe("0.1");
    expect(scalarText(parseSchedule("0.1/t").at(4))).toBe("0.025");
    expect(scalarText(parseSchedule("1/sqrt(t)").at(4))).toBe("0.5");
    expect(toNumber(parseSchedule("1/sqrt(t)").at(2))).toBeCloseTo(Math.SQRT1_2, 15);
    expect(toNumber(parseSchedule("exp(-t)").at(1))).toBeCloseTo(Math.exp(-1), 15);
    const list = parseSchedule("1/2,1/3,1/4");
    expect(list.length).toBe(3);
    expect(scalarText(list.at(2))).toBe("1/3");
  });

  it("readable errors", () => {
    expect(() => parseSchedule("0.1/s")).toThrow(/only use the iteration number t/);
    expect(() => parseSchedule("1/2,,1/4")).toThrow(/empty entry/);
    expect(() => parseSchedule("1/(")).toThrow(/step schedule/);
    expect(() => gradientDescent(a1, [int(6), int(6)], { schedule: parseSchedule("1,2"), maxSteps: 3 })).toThrow(/2 entries but 3 steps/);
  });
});

describe("objectives with other variables", () => {
  it("fixed values and irrational functions fall back to doubles", () => {
    const f = programObjective(parseProgram("(w - a)^2 + exp(w)"), { params: ["w"], values: new Map([["a", int(1)]]) });
    const r = f.at([int(0)]);
    expect(toNumber(r.value)).toBeCloseTo(2, 15);
    expect(isExact(r.value)).toBe(true); // exp(0) = 1 folds
    const s = f.at([int(1)]);
    expect(isExact(s.value)).toBe(false);
    expect(toNumber(s.gradient[0]!)).toBeCloseTo(Math.E, 14);
  });
});
