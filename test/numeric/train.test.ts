import { describe, expect, it } from "vitest";
import { parseProgram } from "../../src/parse/index.js";
import { finiteDifferenceCheck } from "../../src/numeric/fdcheck.js";
import { createRandom } from "../../src/numeric/random.js";
import { gridPredictions, train } from "../../src/numeric/train.js";
import { parseSchedule } from "../../src/numeric/descent.js";
import { loadData, parseCsv, parseGrid, parseInlineData, parseJsonData } from "../../src/numeric/data.js";
import { sym } from "../../src/ast/index.js";
import { SHEET_B, SHEET_B_DATA, SHEET_B_PARAMS, SHEET_B_INLINE } from "../compile/networks.js";

const b = parseProgram(SHEET_B);

describe("sheet B3: gradient check of the mean BCE over the 5 points", () => {
  for (const guard of [1e-15, undefined]) {
    it(`every component within 1e-5 of central differences (guard ${guard ?? "none: softplus forms"})`, () => {
      const random = createRandom(42);
      for (let trial = 0; trial < 20; trial++) {
        const at = SHEET_B_PARAMS.map(() => random.normal());
        const r = finiteDifferenceCheck(b, { params: SHEET_B_PARAMS, data: ["x1", "x2", "y"], dataColumns: SHEET_B_DATA, at, guard });
        expect(r.pass).toBe(true);
        for (const c of r.components) expect(c.absError).toBeLessThan(1e-5);
        expect(Math.max(...r.components.map((c) => c.absError))).toBeLessThan(1e-8);
      }
    });
  }

  it("a gradient that disagrees with the differences fails the check", () => {
    // step(x) jumps at 0: its derivative is 0 everywhere else, but the differences across the jump are huge
    const r = finiteDifferenceCheck(parseProgram("step(x)"), { params: ["x"], at: [0.000001] });
    expect(r.components[0]!.analytic).toBe(0);
    expect(r.components[0]!.numeric).toBeGreaterThan(1000);
    expect(r.pass).toBe(false);
  });
});

describe("seeded random numbers", () => {
  it("are reproducible and differ between seeds", () => {
    const a = createRandom(1);
    const b2 = createRandom(1);
    const c = createRandom(2);
    const xs = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b2.normal())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.normal())).not.toEqual(xs);
  });

  it("uniforms are in [0, 1) and normals have mean 0 and variance 1", () => {
    const r = createRandom(7);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
    expect(createRandom(3).normal(5, 0)).toBe(5);
  });
});

describe("sheet B3: training with 10 restarts", () => {
  const options = {
    params: SHEET_B_PARAMS,
    dataNames: ["x1", "x2", "y"],
    data: SHEET_B_DATA,
    restarts: 10,
    schedule: parseSchedule("1"),
    maxSteps: 100,
    tol: 1e-4,
    seed: 1,
    guard: 1e-15,
  };

  it("a seeded run reaches loss < 0.1 on at least one restart; the best is the lowest", () => {
    const r = train(b, options);
    expect(r.restarts).toHaveLength(10);
    expect(r.restarts.some((x) => x.below && x.loss < 0.1)).toBe(true);
    const best = r.restarts[r.best]!;
    expect(Math.min(...r.restarts.map((x) => x.loss))).toBe(best.loss);
    for (const x of r.restarts) expect(x.steps).toBeLessThanOrEqual(100);
    // the same seed gives the same run
    expect(train(b, options).restarts.map((x) => x.loss)).toEqual(r.restarts.map((x) => x.loss));
  });

  it("predictions of the best network on the 101 × 101 grid", () => {
    const r = train(b, options);
    const best = r.restarts[r.best]!;
    const axes = parseGrid("x1=-2:2:0.04,x2=-2:2:0.04");
    expect(axes.map((a) => a.values.length)).toEqual([101, 101]);
    expect(axes[0]!.values[50]).toBe(0);
    expect(axes[0]!.values[100]).toBe(2);
    const grid = gridPredictions({ ...b, target: sym("f"), targetName: "f" }, SHEET_B_PARAMS, best.params, axes);
    const values = grid.values as number[][];
    expect(values).toHaveLength(101);
    expect(values[0]).toHaveLength(101);
    // the trained network predicts the one positive point (0, 0) high and (1, 0) low
    expect(values[50]![50]!).toBeGreaterThan(0.5);
    expect(values[75]![50]!).toBeLessThan(0.5);
  });
});

describe("data", () => {
  it("inline, CSV and JSON give the same columns", () => {
    const inline = parseInlineData(SHEET_B_INLINE);
    const csv = parseCsv("x1,x2,y\n0,0,1\n1,0,0\n0,-1,0\n-1,0,0\n0,1,0\n", "data.csv");
    const cols = parseJsonData(JSON.stringify({ x1: [0, 1, 0, -1, 0], x2: [0, 0, -1, 0, 1], y: [1, 0, 0, 0, 0] }), "d.json");
    const rows = parseJsonData(JSON.stringify([{ x1: 0, x2: 0, y: 1 }, { x1: 1, x2: 0, y: 0 }, { x1: 0, x2: -1, y: 0 }, { x1: -1, x2: 0, y: 0 }, { x1: 0, x2: 1, y: 0 }]), "d.json");
    for (const d of [inline, csv, cols, rows]) {
      expect(d.names).toEqual(["x1", "x2", "y"]);
      expect(d.rows).toBe(5);
      expect(Array.from(d.columns.y!)).toEqual([1, 0, 0, 0, 0]);
      expect(Array.from(d.columns.x2!)).toEqual([0, 0, -1, 0, 1]);
    }
    expect(parseInlineData("x_1=1,2;__proto__=3,4").names).toEqual(["x1", "__proto__"]);
  });

  it("readable errors", () => {
    expect(() => parseInlineData("x=1,2;y=1")).toThrow(/differ in length/);
    expect(() => parseInlineData("x=1,a")).toThrow(/mentions a/);
    expect(() => parseCsv("x,y\n1\n", "d.csv")).toThrow(/line 2 has 1 values/);
    expect(() => parseJsonData("{", "d.json")).toThrow(/not valid JSON/);
    expect(() => loadData("/no/such/file.csv")).toThrow(/no such file/);
    expect(() => parseGrid("x=2:1:0.5")).toThrow(/stop is below start/);
    expect(() => parseGrid("x=0:1:0")).toThrow(/step must be positive/);
  });
});
