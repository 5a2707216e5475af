/**
 * `derive fdcheck` on matrix programs: the matrix gradient against central differences of the
 * program written out entry by entry, entry by entry — C2's gradient by hand, a network's
 * gradient against the scalar check of the same loss written with entries, and failures shown.
 */
import { describe, expect, it } from "vitest";
import { derive, deriveJson } from "../cli/run.js";
import { parseMatrixProgram } from "../../src/matrix/build.js";
import { parseMatrixBindings } from "../../src/numeric/bindings.js";
import { matrixFdCheck } from "../../src/numeric/matrix-fdcheck.js";

const C2 = "Y = W X; L = sum((Y - Yhat) ⊙ (Y - Yhat)); L";
const C2_AT = "W=[[0.3,0.5],[-0.2,0.4]],X=[[0,2],[3,1]],Yhat=[[0.5,1],[1,-1.5]]";

interface Component {
  name: string;
  variable: string;
  row: number;
  col: number;
  analytic: number;
  numeric: number;
  pass: boolean;
}

describe("matrixFdCheck", () => {
  it("checks C2's gradient 2 (W X - Ŷ) Xᵀ = [[0.4, 6.2], [6, 4.2]] entry by entry", () => {
    const values = parseMatrixBindings(C2_AT, "--at").values;
    const hints = new Map([...values].map(([n, m]) => [n, { rows: m.length, cols: m[0]!.length }]));
    const result = matrixFdCheck(parseMatrixProgram(C2, hints), { wrt: ["W"], values });
    expect(result.value).toBeCloseTo(3.3, 12);
    expect(result.components.map((c) => [c.name, c.row, c.col])).toEqual([["W_1_1", 1, 1], ["W_1_2", 1, 2], ["W_2_1", 2, 1], ["W_2_2", 2, 2]]);
    const byHand = [0.4, 6.2, 6, 4.2];
    result.components.forEach((c, k) => {
      expect(c.analytic).toBeCloseTo(byHand[k]!, 12);
      expect(c.numeric).toBeCloseTo(byHand[k]!, 8);
    });
    expect(result.pass).toBe(true);
  });
});

describe("derive fdcheck on matrix programs", () => {
  const NET = "W: matrix; b: vector; x: vector; y: vector; r = tanh(W x + b) - y; L = 1/2 ||r||^2; L";
  const AT = "W=[[0.3,-0.5],[0.1,0.4]],b=[0.1,-0.2],x=[1,-2],y=[0.2,0.9]";
  /** The same loss with the entries written by hand, for the scalar check. */
  const SCALAR =
    "r1 = tanh(W_1_1*x1 + W_1_2*x2 + b1) - y1; r2 = tanh(W_2_1*x1 + W_2_2*x2 + b2) - y2; L = 1/2 (r1^2 + r2^2); L";
  const SCALAR_AT = "W_1_1=0.3,W_1_2=-0.5,W_2_1=0.1,W_2_2=0.4,b1=0.1,b2=-0.2,x1=1,x2=-2,y1=0.2,y2=0.9";

  it("agrees with the scalar check of the same loss written with entries", () => {
    const matrix = deriveJson(["fdcheck", NET, "--wrt", "W,b", "--at", AT]);
    expect(matrix.stderr).toBe("");
    const scalar = deriveJson(["fdcheck", SCALAR, "--wrt", "W_1_1,W_1_2,W_2_1,W_2_2,b1,b2", "--at", SCALAR_AT]);
    expect(scalar.stderr).toBe("");
    const m = matrix.json as { value: number; components: Component[]; pass: boolean };
    const s = scalar.json as { value: number; components: Component[] };
    expect(m.pass).toBe(true);
    expect(m.value).toBeCloseTo(s.value, 12);
    expect(m.components.map((c) => c.name)).toEqual(s.components.map((c) => c.name));
    m.components.forEach((c, k) => expect(c.analytic).toBeCloseTo(s.components[k]!.analytic, 10));
    expect(m.components.map((c) => [c.variable, c.row, c.col])).toEqual([["W", 1, 1], ["W", 1, 2], ["W", 2, 1], ["W", 2, 2], ["b", 1, 1], ["b", 2, 1]]);
  });

  it("fails entries whose error exceeds --tol, and says so", () => {
    const r = derive(["fdcheck", C2, "--wrt", "W", "--at", C2_AT, "--tol", "1e-30"]);
    const lines = r.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("FAIL");
    expect(lines.filter((l) => l.endsWith("FAIL"))).not.toHaveLength(0);
  });

  it("checks every input by default, and refuses what only scalar programs take", () => {
    const all = deriveJson(["fdcheck", C2, "--at", C2_AT]).json as { components: Component[] };
    expect(new Set(all.components.map((c) => c.variable))).toEqual(new Set(["W", "X", "Yhat"]));
    expect(derive(["fdcheck", C2, "--at", C2_AT, "--data", "x=1,2"]).stderr).toMatch(/--data works on scalar programs/);
    expect(derive(["fdcheck", "W X", "--at", "W=[[1,2],[3,4]],X=[[1,0],[0,1]]"]).stderr).toMatch(/gradient of a scalar/);
  });
});
