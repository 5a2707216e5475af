/**
 * Gradient descent on matrix programs: the scalar descent on the program written out entry by
 * entry, checked against the matrix gradient (a different path: reverse mode in matrix notation,
 * evaluated by evaluateMatrix), sheet C2's numbers exactly, and the CLI's text and JSON.
 */
import { describe, expect, it } from "vitest";
import { derive, deriveJson } from "../cli/run.js";
import { inlineProgram, parseMatrixProgram } from "../../src/matrix/build.js";
import { matrixGradient } from "../../src/diff/matrix.js";
import { evaluateMatrix, matmul, type Matrix } from "../../src/numeric/matrix.js";
import { parseMatrixBindings } from "../../src/numeric/bindings.js";
import { foldPoint, matrixObjective } from "../../src/numeric/matrix-descent.js";
import { isExact, toNumber } from "../../src/numeric/exact.js";

const C2 = "Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L";
const C2_FROM = "W=[[0.3,0.5],[-0.2,0.4]]";
const C2_AT = "X=[[0,2],[3,1]],Yhat=[[0.5,1],[1,-1.5]]";

const NET = "W: matrix; b: vector; c: scalar; x: vector; y: vector; h = tanh(W x + b); r = c sigmoid(h) - y; L = 1/2 ||r||^2; L";
const NET_FROM = "W=[[0.3,-0.5,0.2],[0.1,0.4,-0.3]],b=[0.1,-0.2],c=1.5";
const NET_AT = "x=[1,-2,0.5],y=[0.2,0.9]";

/** One gradient step after another by the matrix gradient, in doubles (the reference path). */
function matrixSteps(source: string, from: string, at: string, lr: number, steps: number): Map<string, Matrix> {
  const start = parseMatrixBindings(from, "--from").values;
  const fixed = parseMatrixBindings(at, "--at").values;
  const hints = new Map([...start, ...fixed].map(([n, m]) => [n, { rows: m.length, cols: m[0]!.length }]));
  const program = parseMatrixProgram(source, hints);
  const names = [...start.keys()];
  const gradients = matrixGradient(program, names);
  let point = new Map(start);
  for (let t = 0; t < steps; t++) {
    const env = new Map([...fixed, ...point]);
    const next = new Map<string, Matrix>();
    for (const n of names) {
      const g = evaluateMatrix(inlineProgram(program, gradients.get(n)!), env, [inlineProgram(program)]);
      next.set(n, point.get(n)!.map((row, i) => row.map((x, j) => x - lr * g[i]![j]!)));
    }
    point = next;
  }
  return point;
}

/** A JSON value shaped like a variable (number, list, list of rows) as a matrix. */
const asMatrix = (v: unknown): Matrix => (typeof v === "number" ? [[v]] : (v as unknown[]).map((row) => (Array.isArray(row) ? (row as number[]) : [row as number])));

describe("matrixObjective", () => {
  it("gives C2's value and gradient exactly", () => {
    const from = parseMatrixBindings(C2_FROM, "--from");
    const at = parseMatrixBindings(C2_AT, "--at");
    const hints = new Map([...from.values, ...at.values].map(([n, m]) => [n, { rows: m.length, cols: m[0]!.length }]));
    const { objective, params, start } = matrixObjective(parseMatrixProgram(C2, hints), from, at);
    expect(params.map((p) => p.entries)).toEqual([["W_1_1", "W_1_2", "W_2_1", "W_2_2"]]);
    const { value, gradient } = objective.at(start);
    expect(isExact(value) && gradient.every(isExact)).toBe(true);
    expect(toNumber(value)).toBe(3.3);
    expect(foldPoint(params, gradient)[0]!.map((row) => row.map(toNumber))).toEqual([[0.4, 6.2], [6, 4.2]]);
    // the gradient by hand: 2 (W X - Ŷ) Xᵀ
    const r = matmul([[0.3, 0.5], [-0.2, 0.4]], [[0, 2], [3, 1]]).map((row, i) => row.map((y, j) => 2 * (y - [[0.5, 1], [1, -1.5]][i]![j]!)));
    const byHand = matmul(r, [[0, 3], [2, 1]]);
    foldPoint(params, gradient)[0]!.forEach((row, i) => row.forEach((g, j) => expect(toNumber(g)).toBeCloseTo(byHand[i]![j]!, 12)));
  });

  it("agrees with the matrix gradient on a network with a matrix, a vector and a scalar", () => {
    const from = parseMatrixBindings(NET_FROM, "--from");
    const at = parseMatrixBindings(NET_AT, "--at");
    const hints = new Map([...from.values, ...at.values].map(([n, m]) => [n, { rows: m.length, cols: m[0]!.length }]));
    const program = parseMatrixProgram(NET, hints);
    const { objective, params, start } = matrixObjective(program, from, at);
    const { gradient } = objective.at(start);
    const folded = foldPoint(params, gradient);
    const env = new Map([...from.values, ...at.values]);
    const gradients = matrixGradient(program, ["W", "b", "c"]);
    params.forEach((p, k) => {
      const expected = evaluateMatrix(inlineProgram(program, gradients.get(p.name)!), env, [inlineProgram(program)]);
      folded[k]!.forEach((row, i) => row.forEach((g, j) => expect(toNumber(g)).toBeCloseTo(expected[i]![j]!, 10)));
    });
  });

  it("refuses a start value for a name the value does not depend on, and missing inputs", () => {
    const at = parseMatrixBindings(C2_AT, "--at");
    const hints = new Map([["W", { rows: 2, cols: 2 }], ["X", { rows: 2, cols: 2 }], ["Yhat", { rows: 2, cols: 2 }]]);
    const program = parseMatrixProgram(C2, hints);
    expect(() => matrixObjective(program, parseMatrixBindings(`${C2_FROM},V=[1,2]`, "--from"), at)).toThrow(/--from gives V/);
    expect(() => matrixObjective(program, parseMatrixBindings(C2_FROM, "--from"), parseMatrixBindings("X=[[0,2],[3,1]]", "--at"))).toThrow(/no value given for Yhat/);
  });
});

describe("derive descent on matrix programs", () => {
  it("takes sheet C2's step exactly (text)", () => {
    const r = derive(["descent", C2, "--from", C2_FROM, "--at", C2_AT, "--lr", "0.1", "--max-steps", "1", "--table"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "t | x(t) | f(x(t)) | ∇f(x(t)) | step | x(t+1)",
      "1 | [[0.3, 0.5], [-0.2, 0.4]] | 3.3 | [[0.4, 6.2], [6, 4.2]] | 0.1 | [[0.26, -0.12], [-0.8, -0.02]]",
      "W = [[0.26, -0.12], [-0.8, -0.02]]",
      // Y = W' X - Ŷ = [[-0.86, -0.6], [-1.06, -0.12]]; the squares sum to 2.2376
      "f(x) = 2.2376",
      "steps: 1 (maximum reached)",
    ]);
  });

  it("keeps the scalar descent's JSON fields, with values shaped like the variables", () => {
    const r = deriveJson(["descent", C2, "--from", C2_FROM, "--at", C2_AT, "--lr", "0.1", "--max-steps", "1", "--table"]);
    expect(r.status).toBe(0);
    const json = r.json as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(["exact", "steps", "stopped", "table", "value", "x"]);
    expect(json.x).toEqual({ W: [[0.26, -0.12], [-0.8, -0.02]] });
    expect(json.value).toBe(2.2376);
    expect(json.exact).toEqual({ x: { W: [["0.26", "-0.12"], ["-0.8", "-0.02"]] }, value: "2.2376" });
    const [row] = json.table as Record<string, unknown>[];
    expect(row).toMatchObject({ t: 1, x: { W: [[0.3, 0.5], [-0.2, 0.4]] }, f: 3.3, gradient: { W: [[0.4, 6.2], [6, 4.2]] }, step: 0.1, next: { W: [[0.26, -0.12], [-0.8, -0.02]] } });
    expect((row!.exact as Record<string, unknown>).gradient).toEqual({ W: [["0.4", "6.2"], ["6", "4.2"]] });
  });

  it("follows the matrix gradient step after step in doubles (matrix, vector and scalar at once)", () => {
    const r = deriveJson(["descent", NET, "--from", NET_FROM, "--at", NET_AT, "--lr", "0.5", "--max-steps", "5", "--table"]);
    expect(r.stderr).toBe("");
    const json = r.json as { x: Record<string, unknown>; value: number; exact?: unknown; table: unknown[] };
    expect(json.exact).toBeUndefined();
    expect(json.table).toHaveLength(5);
    // shapes: W a list of rows, b a list, c a number
    expect(Array.isArray((json.x.W as unknown[])[0])).toBe(true);
    expect((json.x.b as unknown[]).every((v) => typeof v === "number")).toBe(true);
    expect(typeof json.x.c).toBe("number");
    const expected = matrixSteps(NET, NET_FROM, NET_AT, 0.5, 5);
    for (const [name, m] of expected) {
      const got = asMatrix(json.x[name]);
      m.forEach((row, i) => row.forEach((v, j) => expect(got[i]![j]!).toBeCloseTo(v, 10)));
    }
  });

  it("stops by --tol as the scalar descent does, and names each variable in the text", () => {
    const args = ["descent", NET, "--from", NET_FROM, "--at", NET_AT, "--lr", "0.5", "--tol", "1e-3"];
    const json = deriveJson(args).json as { steps: number; stopped: string; table?: unknown };
    expect(json.stopped).toBe("tol");
    expect(json.steps).toBeGreaterThan(1);
    expect(json.steps).toBeLessThan(100);
    const text = derive([...args, "--table"]).stdout.split("\n");
    expect(text[1]).toMatch(/^1 \| W = \[\[0\.3, -0\.5, 0\.2\], \[0\.1, 0\.4, -0\.3\]\], b = \[0\.1, -0\.2\], c = 1\.5 \| /);
    expect(text).toContain(`steps: ${json.steps} (decrease below --tol)`);
  });

  it("leaves scalar programs to the scalar descent (sheet A2)", () => {
    const r = derive(["descent", "(x1 - 6)^2 + x2^2 - x1*x2", "--from", "x1=6,x2=6", "--lr", "1/2,1/3,1/4"]);
    expect(r.stdout.trim().split("\n")).toEqual(["x = (8, 4)  (x1, x2)", "f(x) = -12", "steps: 3 (maximum reached)"]);
  });

  it("reports what is missing or misplaced", () => {
    const noFrom = derive(["descent", C2, "--at", C2_AT]);
    expect(noFrom.status).not.toBe(0);
    expect(noFrom.stderr).toMatch(/--from is required/);
    const defined = derive(["descent", C2, "--from", `${C2_FROM},Y=[[1,2],[3,4]]`, "--at", C2_AT]);
    expect(defined.stderr).toMatch(/--from gives a value to Y, which the program defines/);
    const twice = derive(["descent", C2, "--from", C2_FROM, "--at", `${C2_AT},W=[[1,2],[3,4]]`]);
    expect(twice.stderr).toMatch(/W is given both by --from and --at/);
    const notScalar = derive(["descent", "W X", "--from", C2_FROM, "--at", "X=[[0,2],[3,1]]"]);
    expect(notScalar.stderr).toMatch(/descent minimises a scalar/);
  });
});
