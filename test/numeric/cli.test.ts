/** The numeric commands through the real binary: descent, fdcheck, train, codegen. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { derive, deriveJson } from "../cli/run.js";
import { SHEET_A1, SHEET_B, SHEET_B_INLINE, SHEET_B_PARAMS } from "../compile/networks.js";

const dir = mkdtempSync(join(tmpdir(), "derive-cli-numeric-"));
const netFile = join(dir, "net.txt");
writeFileSync(netFile, SHEET_B + "\n");

interface DescentJson {
  x: Record<string, number>;
  value: number;
  steps: number;
  stopped: string;
  exact?: { x: Record<string, string>; value: string };
  table?: Array<{ t: number; x: Record<string, number>; f: number; gradient: Record<string, number>; step: number; next: Record<string, number>; exact?: Record<string, unknown> }>;
}

describe("derive descent", () => {
  it("sheet A2: the table in exact integers", () => {
    const r = deriveJson(["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "1/2,1/3,1/4", "--table"]);
    expect(r.status).toBe(0);
    const j = r.json as DescentJson;
    expect(j.x).toEqual({ x1: 8, x2: 4 });
    expect(j.value).toBe(-12);
    expect(j.steps).toBe(3);
    expect(j.exact).toEqual({ x: { x1: "8", x2: "4" }, value: "-12" });
    expect(j.table!.map((row) => [row.t, row.x, row.f, row.gradient, row.next])).toEqual([
      [1, { x1: 6, x2: 6 }, 0, { x1: -6, x2: 6 }, { x1: 9, x2: 3 }],
      [2, { x1: 9, x2: 3 }, -9, { x1: 3, x2: -3 }, { x1: 8, x2: 4 }],
      [3, { x1: 8, x2: 4 }, -12, { x1: 0, x2: 0 }, { x1: 8, x2: 4 }],
    ]);
    expect(j.table![1]!.exact).toMatchObject({ step: "1/3", f: "-9" });
    const text = derive(["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "1/2,1/3,1/4", "--table"]).stdout;
    expect(text).toContain("2 | (9, 3) | -9 | (3, -3) | 1/3 | (8, 4)");
  });

  it("sheet A3 and its variant", () => {
    const a3 = deriveJson(["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "0.1/sqrt(t)", "--max-steps", "10", "--tol", "1e-3"]).json as DescentJson;
    expect(a3.x.x1).toBeCloseTo(7.619735, 6);
    expect(a3.x.x2).toBeCloseTo(4.380265, 6);
    expect(a3.steps).toBe(10);
    expect(a3.table).toBeUndefined();
    const v = deriveJson(["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "0.1", "--max-steps", "10", "--tol", "1e-4"]).json as DescentJson;
    expect(v.x.x1).toBeCloseTo(7.943505, 6);
    expect(v.x.x2).toBeCloseTo(4.056495, 6);
    expect(v.steps).toBe(10);
    const alpha = deriveJson(["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "alpha/sqrt(t)", "--alpha", "0.1", "--max-steps", "10", "--tol", "1e-3"]).json as DescentJson;
    expect(alpha.x).toEqual(a3.x);
  });

  it("errors are one readable line, exit 2", () => {
    for (const [args, message] of [
      [["descent", SHEET_A1, "--lr", "0.1"], /--from is required/],
      [["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "0.1/s"], /iteration number t/],
      [["descent", SHEET_A1, "--from", "x1=6", "--lr", "0.1"], /no value for variable x2/],
      [["descent", SHEET_A1, "--from", "x1=6,x2=6", "--max-steps", "-1"], /--max-steps expects a whole number/],
      [["descent", SHEET_A1, "--from", "x1=6,x2=6", "--lr", "1,2", "--max-steps", "5"], /2 entries but 5 steps/],
    ] as const) {
      const r = derive(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe("derive fdcheck", () => {
  it("sheet B3: every component passes, with per-component errors", () => {
    const at = SHEET_B_PARAMS.map((p, i) => `${p}=${((i * 37) % 11) / 10 - 0.5}`).join(",");
    const r = deriveJson(["fdcheck", "--file", netFile, "--wrt", SHEET_B_PARAMS.join(","), "--at", at, "--data", SHEET_B_INLINE, "--guard", "1e-15"]);
    expect(r.status).toBe(0);
    const j = r.json as { pass: boolean; components: Array<{ name: string; analytic: number; numeric: number; abs: number; rel: number; pass: boolean }> };
    expect(j.pass).toBe(true);
    expect(j.components.map((c) => c.name)).toEqual(SHEET_B_PARAMS);
    for (const c of j.components) {
      expect(c.abs).toBeLessThan(1e-5);
      expect(Math.abs(c.analytic - c.numeric)).toBeCloseTo(c.abs, 15);
    }
  });

  it("at a point, default --wrt: the variables", () => {
    const j = deriveJson(["fdcheck", SHEET_A1, "--at", "x1=6,x2=6"]).json as { pass: boolean; components: Array<{ name: string; analytic: number }> };
    expect(j.pass).toBe(true);
    expect(j.components.map((c) => [c.name, c.analytic])).toEqual([["x1", -6], ["x2", 6]]);
    const missing = derive(["fdcheck", SHEET_A1, "--at", "x1=6"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--at gives no value for x2/);
  });
});

describe("derive train", () => {
  it("sheet B3: 10 seeded restarts, one below 0.1, best parameters, grid predictions", () => {
    const args = ["train", "--file", netFile, "--params", SHEET_B_PARAMS.join(","), "--data", SHEET_B_INLINE, "--restarts", "10", "--lr", "1", "--max-steps", "100", "--tol", "1e-4", "--seed", "1", "--guard", "1e-15", "--grid", "x1=-2:2:0.04,x2=-2:2:0.04"];
    const r = deriveJson(args);
    expect(r.status).toBe(0);
    const j = r.json as {
      restarts: Array<{ restart: number; loss: number; below: boolean; params: Record<string, number> }>;
      best: { restart: number; loss: number; params: Record<string, number> };
      grid: { predict: string; axes: Record<string, number[]>; values: number[][] };
    };
    expect(j.restarts).toHaveLength(10);
    expect(j.restarts.some((x) => x.below && x.loss < 0.1)).toBe(true);
    expect(j.best.loss).toBe(Math.min(...j.restarts.map((x) => x.loss)));
    expect(Object.keys(j.best.params)).toEqual(SHEET_B_PARAMS);
    expect(j.grid.predict).toBe("f");
    expect(j.grid.axes.x1).toHaveLength(101);
    expect(j.grid.values).toHaveLength(101);
    expect(j.grid.values[50]).toHaveLength(101);
    // the same seed, the same run; the text output marks the good restarts
    expect((deriveJson(args).json as typeof j).best).toEqual(j.best);
    expect(derive(args.slice(0, -2)).stdout).toMatch(/restart \d+: loss 0\.0\d+ \*/);
  });

  it("data from a CSV file", () => {
    const csv = join(dir, "points.csv");
    writeFileSync(csv, "x1,x2,y\n0,0,1\n1,0,0\n0,-1,0\n-1,0,0\n0,1,0\n");
    const r = deriveJson(["train", "--file", netFile, "--params", SHEET_B_PARAMS.join(","), "--data", csv, "--restarts", "2", "--max-steps", "5"]);
    expect(r.status).toBe(0);
    expect((r.json as { data: { rows: number } }).data.rows).toBe(5);
  });

  it("--predict takes a defined name or an expression; a target in parameters and grid variables is the default", () => {
    const base = ["train", "--params", "a", "--data", "x=1,2;y=2,4", "--restarts", "1", "--max-steps", "60", "--lr", "0.1", "--grid", "x=0:1:0.5"];
    const byName = deriveJson([...base.slice(0, 1), "p = a*x; (p - y)^2", ...base.slice(1)]).json as { grid: { predict: string; values: number[] } };
    expect(byName.grid.predict).toBe("p");
    expect(byName.grid.values.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 1, 2]);
    const byExpr = deriveJson([...base.slice(0, 1), "(a*x - y)^2", ...base.slice(1), "--predict", "2*a*x"]).json as { grid: { predict: string; values: number[] } };
    expect(byExpr.grid.predict).toBe("2*a*x");
    expect(byExpr.grid.values[2]).toBeCloseTo(4, 6);
    const none = derive([...base.slice(0, 1), "(a*x - y)^2", ...base.slice(1)]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/nothing to predict/);
  });
});

describe("derive codegen", () => {
  it("emits a JavaScript module that runs", async () => {
    const r = derive(["codegen", SHEET_A1, "--wrt", "x1,x2", "--lang", "js", "--name", "a1"]);
    expect(r.status).toBe(0);
    const path = join(dir, "a1.mjs");
    writeFileSync(path, r.stdout);
    const mod = (await import(pathToFileURL(path).href)) as { a1: (x1: number, x2: number) => { value: number; gradient: number[] } };
    expect(mod.a1(6, 6)).toEqual({ value: 0, gradient: [-6, 6] });
  });

  it("JSON output and Python, R forms", () => {
    const j = deriveJson(["codegen", "--file", netFile, "--wrt", SHEET_B_PARAMS.join(","), "--data", "x1,x2,y", "--lang", "python"]).json as { language: string; code: string; params: string[]; data: string[] };
    expect(j.language).toBe("python");
    expect(j.data).toEqual(["x1", "x2", "y"]);
    expect(j.code).toMatch(/^import numpy as np/);
    expect(derive(["codegen", SHEET_A1, "--lang", "r"]).stdout).toMatch(/loss_and_gradient <- function\(x1, x2\)/);
    const bad = derive(["codegen", SHEET_A1, "--lang", "fortran"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown language/);
  });
});
