/**
 * Generated source is run, not just read: JavaScript here (as an ES module), Python with NumPy and
 * R when they are installed (skipped otherwise), each compared with the compiled evaluator.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { add, call, mul, sym } from "../../src/ast/index.js";
import { codegen, compileGradient } from "../../src/compile/index.js";
import { parseProgram } from "../../src/parse/index.js";
import { SHEET_A1, SHEET_B, SHEET_B_DATA, SHEET_B_PARAMS } from "./networks.js";

const has = (cmd: string, args: string[]): boolean => {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 30_000 });
  return r.status === 0;
};
const PYTHON = has("python3", ["-c", "import numpy"]);
const R = has("Rscript", ["-e", "invisible(1)"]);

const dir = mkdtempSync(join(tmpdir(), "derive-codegen-"));
let fileCounter = 0;
const file = (ext: string, text: string): string => {
  const path = join(dir, `gen${++fileCounter}.${ext}`);
  writeFileSync(path, text);
  return path;
};

const P = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9];
const b = parseProgram(SHEET_B);
const expected = compileGradient(b, { params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] })(P, SHEET_B_DATA);
const expectedA = compileGradient(parseProgram(SHEET_A1), { params: ["x1", "x2"] })([6, 6]);
const columns = [SHEET_B_DATA.x1, SHEET_B_DATA.x2, SHEET_B_DATA.y].map((c) => Array.from(c));

function expectClose(got: { value: number; gradient: ArrayLike<number> }, want: { value: number; gradient: ArrayLike<number> }): void {
  expect(got.value).toBeCloseTo(want.value, 12);
  expect(got.gradient.length).toBe(want.gradient.length);
  for (let k = 0; k < want.gradient.length; k++) expect(got.gradient[k]).toBeCloseTo(want.gradient[k]!, 12);
}

describe("codegen --lang js", () => {
  it("sheet B's mean loss and 9-parameter gradient", async () => {
    const src = codegen(b, { language: "js", params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] });
    expect(src.code).toContain("export function lossAndGradient(b1, b2, w11, w12, w21, w22, c, u1, u2, x1, x2, y)");
    expect(src.code).toContain("Math.tanh");
    const mod = (await import(pathToFileURL(file("mjs", src.code)).href)) as Record<string, (...a: unknown[]) => { value: number; gradient: number[] }>;
    expectClose(mod.lossAndGradient!(...P, ...columns), expected);
  });

  it("at a point; other variables become arguments", async () => {
    const src = codegen(parseProgram("(x1 - 6)^2 + x2^2 - x1*x2 + k"), { language: "js", params: ["x1", "x2"], name: "f" });
    expect(src.fixed).toEqual(["k"]);
    const mod = (await import(pathToFileURL(file("mjs", src.code)).href)) as Record<string, (...a: number[]) => { value: number; gradient: number[] }>;
    expectClose(mod.f!(6, 6, 0), expectedA);
  });

  it("odd identifiers get neutral names", async () => {
    const names = ["constructor", "__proto__", "a);process.exit(1);(", "class"];
    const e = add(call("tanh", sym(names[0]!)), mul(sym(names[1]!), sym(names[2]!)), sym(names[3]!));
    const src = codegen(e, { language: "js", params: names });
    for (const n of ["__proto__", "a);process.exit(1);(", "class"]) expect(src.code).not.toContain(n);
    const mod = (await import(pathToFileURL(file("mjs", src.code)).href)) as Record<string, (...a: number[]) => { value: number; gradient: number[] }>;
    const r = mod.lossAndGradient!(1, 2, 3, 4);
    expect(r.value).toBeCloseTo(Math.tanh(1) + 6 + 4, 12);
    expect(r.gradient).toEqual([expect.closeTo(1 - Math.tanh(1) ** 2, 12), 3, 2, 1]);
    for (const lang of ["python", "r"] as const) {
      const code = codegen(e, { language: lang, params: names }).code;
      for (const n of ["__proto__", "a);process.exit(1);("]) expect(code).not.toContain(n);
    }
  });

  it("refuses a function name that is not an identifier", () => {
    expect(() => codegen(parseProgram("x^2"), { language: "js", params: ["x"], name: "f(){}" })).toThrow(/cannot be the function's name/);
    expect(() => codegen(parseProgram("x^2"), { language: "cobol", params: ["x"] })).toThrow(/unknown language/);
  });
});

describe.skipIf(!PYTHON)("codegen --lang python (NumPy)", () => {
  it("sheet B and sheet A1 agree with the compiled evaluator", () => {
    const src = codegen(b, { language: "python", params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] });
    const a1 = codegen(parseProgram(SHEET_A1), { language: "python", params: ["x1", "x2"], name: "a1" });
    const script = `${src.code}\n${a1.code.replace("import numpy as np\n", "")}
import json
v, g = loss_and_gradient(${P.join(", ")}, ${columns.map((c) => `[${c.join(", ")}]`).join(", ")})
va, ga = a1(6.0, 6.0)
print(json.dumps({"b": {"value": v, "gradient": list(g)}, "a": {"value": va, "gradient": list(ga)}}))
`;
    const r = spawnSync("python3", [file("py", script)], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, { value: number; gradient: number[] }>;
    expectClose(out.b!, expected);
    expectClose(out.a!, expectedA);
  });
});

describe.skipIf(!R)("codegen --lang r", () => {
  it("sheet B and sheet A1 agree with the compiled evaluator", () => {
    const src = codegen(b, { language: "r", params: SHEET_B_PARAMS, data: ["x1", "x2", "y"] });
    const a1 = codegen(parseProgram(SHEET_A1), { language: "r", params: ["x1", "x2"], name: "a1" });
    const script = `${src.code}\n${a1.code}
r <- loss_and_gradient(${P.join(", ")}, ${columns.map((c) => `c(${c.join(", ")})`).join(", ")})
a <- a1(6, 6)
cat(sprintf("%.17g", c(r$value, r$gradient, a$value, a$gradient)), sep = "\\n")
cat(paste(names(r$gradient), collapse = ","), "\\n")
`;
    const r = spawnSync("Rscript", [file("R", script)], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    const nums = lines.slice(0, 13).map(Number);
    expectClose({ value: nums[0]!, gradient: nums.slice(1, 10) }, expected);
    expectClose({ value: nums[10]!, gradient: nums.slice(11, 13) }, expectedA);
    expect(lines[13]!.trim()).toBe(SHEET_B_PARAMS.join(","));
  });
});
