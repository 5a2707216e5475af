/**
 * Deterministic facts the benchmarks (bench/) rely on. No timings here: timing thresholds never
 * go into unit tests.
 *  - d/dx of the depth-k sigmoid chain has a DAG linear in k (bench/growth.js).
 *  - Renaming every variable with a prefix (how bench/diff.js keeps our memo tables cold) gives
 *    outputs of exactly the same sizes, so the cold runs time the same problem.
 *  - mathjs's trees, rebuilt with our constructors, are counted like ours (bench/lib/sizes.js).
 *  - bench/sympy_sizes.py counts SymPy's trees like operatorCount (when python3 and SymPy exist).
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as math from "mathjs";
import * as ast from "../../src/ast/index.js";
import { dagSize, treeOperatorCount } from "../../src/ast/index.js";
import { parseExpression, parseProgram } from "../../src/parse/index.js";
import { derivative, differentiate, gradient } from "../../src/diff/index.js";
import { operatorCount, simplify } from "../../src/simplify/index.js";
import { chainText } from "../../bench/lib/problems.js";
import { DIFF_CASES, prefixNames, renameText, runOurs } from "../../bench/lib/cases.js";
import { exprSizes, mathjsSizes } from "../../bench/lib/sizes.js";

const chainDerivativeSize = (k: number): number => dagSize(simplify(differentiate(parseExpression(chainText(k)), "x")));

describe("the depth-k sigmoid chain's derivative", () => {
  it("has a DAG that grows linearly in k", () => {
    const [s10, s30, s100] = [10, 30, 100].map(chainDerivativeSize) as [number, number, number];
    expect(s100 / s10).toBeLessThan(15);
    expect(s30 / s10).toBeLessThan(4.5);
  });

  it("is unsimplified already linear (differentiation shares every forward value)", () => {
    const raw = (k: number) => dagSize(differentiate(parseExpression(chainText(k)), "x"));
    expect(raw(100) / raw(10)).toBeLessThan(15);
  });

  it("is quadratic written out as a tree (why bench/diff.js reports both measures)", () => {
    const ops = (k: number) => treeOperatorCount(simplify(differentiate(parseExpression(chainText(k)), "x")));
    expect(ops(30) / ops(10)).toBeGreaterThan(5);
  });
});

describe("renaming variables with a prefix (bench/diff.js cold runs)", () => {
  const lib = { parseProgram, parseExpression, gradient, derivative };

  it("keeps the output sizes of every differentiation case", () => {
    for (const c of DIFF_CASES) {
      const plain = exprSizes(ast, runOurs(lib, c.ours, prefixNames("")));
      const renamed = exprSizes(ast, runOurs(lib, c.ours, prefixNames("r17")));
      expect(renamed, c.id).toEqual(plain);
    }
  });

  it("renames variables only, never functions or constants", () => {
    const n = prefixNames("r3");
    expect(renameText("sigmoid(w1*x) + tanh(e*pi) - log(exp(y))", n)).toBe("sigmoid(r3w1*r3x) + tanh(e*pi) - log(exp(r3y))");
  });
});

describe("mathjs output sizes (bench/lib/sizes.js)", () => {
  it("counts a formula parsed by mathjs as operatorCount counts ours", () => {
    const formulas = ["a - b/c", "-(x^2) + 2*y*z", "1/(1 + exp(-(w*x)))", "tanh(a)*b - c/2", "(x*y)^2 - 3", "log(1 - f)*(1 - y)"];
    for (const f of formulas) {
      expect(mathjsSizes(ast, [math.parse(f)]), f).toEqual({ ...exprSizes(ast, [parseExpression(f)]), mathjsNodes: expect.any(Number) });
    }
  });
});

const hasSympy = spawnSync("python3", ["-c", "import sympy"]).status === 0;

describe("SymPy output sizes (bench/sympy_sizes.py)", () => {
  it.skipIf(!hasSympy)("counts SymPy's tree as operatorCount counts ours", () => {
    const formulas = [
      "a - b/c",
      "-x^2 + 2*y*z",
      "1/(1 + exp(-w*x))",
      "tanh(a)*b - c/2",
      "sigmoid(x)*(1 - sigmoid(x))",
      "log(1 - f)*(1 - y)",
      "(x1 - 6)^2 + x2^2 - x1*x2",
      "u1*x1*(y - sigmoid(c + u1*z1))*(tanh(b1)^2 - 1)",
    ];
    const script = [
      "import json, sys",
      "sys.path.insert(0, 'bench')",
      "from sympy_sizes import ops, parse",
      "print(json.dumps([ops(parse(s, {})) for s in json.load(sys.stdin)]))",
    ].join("\n");
    const run = spawnSync("python3", ["-c", script], {
      input: JSON.stringify(formulas),
      encoding: "utf8",
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    expect(run.status, run.stderr).toBe(0);
    const theirs = JSON.parse(run.stdout) as number[];
    expect(theirs).toEqual(formulas.map((f) => operatorCount(parseExpression(f))));
  });
});
