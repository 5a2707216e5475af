import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { runChunk, SheetScope } from "../../src/sheet/chunk.js";
import { buildSheets } from "../../src/sheet/index.js";
import { sceneToSvg } from "../../src/plot/index.js";
import { unproject } from "../../src/plot/scale.js";
import type { Scene, Shape } from "../../src/plot/scene.js";
import { parseProgram } from "../../src/parse/index.js";
import { inline } from "../../src/program/index.js";
import { evaluate } from "../../src/numeric/index.js";

const F = "f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2";
const f = (x1: number, x2: number): number => (x1 - 6) ** 2 + x2 ** 2 - x1 * x2;

const NETWORK = `z_1_in = b1 + w11*x1 + w21*x2
z_2_in = b2 + w12*x1 + w22*x2
z_1_out = tanh(z_1_in)
z_2_out = tanh(z_2_in)
f_in = c + u1*z_1_out + u2*z_2_out
f_out = sigmoid(f_in)
L = -y*log(f_out) - (1 - y)*log(1 - f_out)`;
const TRAIN = "train L params b1, b2, w11, w12, w21, w22, c, u1, u2 data x1=0,1,0,-1,0; x2=0,0,-1,0,1; y=1,0,0,0,0 restarts 10 lr 1 steps 100 tol 1e-4 seed 1 guard 1e-15";

function run(source: string, scope = new SheetScope()): { scenes: Scene[]; errors: string[]; scope: SheetScope } {
  const r = runChunk({ line: 1, options: { echo: false, solution: false }, source, firstSourceLine: 2 }, scope);
  const scenes = r.blocks.flatMap((b) => (b.kind === "figure" ? [b.scene] : []));
  return { scenes, errors: r.errors.map((e) => e.message), scope };
}

type PathShape = Extract<Shape, { kind: "path" }>;

/** The paths carrying a data attribute, their points mapped back to data coordinates. */
function dataPaths(scene: Scene, key: string): Array<{ value: string; points: Array<[number, number]> }> {
  const { x, y } = scene.frame!;
  return scene.shapes
    .filter((s): s is PathShape => s.kind === "path" && s.data?.[key] !== undefined)
    .map((s) => ({ value: s.data![key]!, points: s.points.map((p) => [unproject(x, p[0]), unproject(y, p[1])] as [number, number]) }));
}

describe("plot directive", () => {
  it("contour (A2): the path is the engine's descent (6,6) → (9,3) → (8,4), and level lines lie on their levels", () => {
    const { scenes, errors } = run(`${F}\nplot contour f from x1=6, x2=6 lr 1/2, 1/3, 1/4 over x1=4:11, x2=1:8`);
    expect(errors).toEqual([]);
    const [scene] = scenes;
    const path = dataPaths(scene!, "path");
    expect(path.length).toBe(1);
    const expected = [[6, 6], [9, 3], [8, 4], [8, 4]];
    expect(path[0]!.points.length).toBe(4);
    path[0]!.points.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i]![0]!, 9);
      expect(p[1]).toBeCloseTo(expected[i]![1]!, 9);
    });
    const levels = dataPaths(scene!, "level");
    expect(levels.length).toBeGreaterThan(5);
    for (const l of levels) for (const p of l.points) expect(Math.abs(f(p[0], p[1]) - Number(l.value))).toBeLessThan(0.01);
    expect(XMLValidator.validate(sceneToSvg(scene!))).toBe(true);
  });

  it("contour and loss (A3): one path and one curve per run, ending where the descent ends", () => {
    const runs = "from x1=6, x2=6 lr 0.1/sqrt(t); 0.1 steps 10 tol 1e-3; 1e-4";
    const { scenes, errors } = run(`${F}\nplot contour f ${runs}\nplot loss f ${runs}`);
    expect(errors).toEqual([]);
    const [contour, loss] = scenes;
    const paths = dataPaths(contour!, "path");
    expect(paths.map((p) => p.points.length)).toEqual([11, 11]);
    // sheet A3's results (7.619735, 4.380265) and (7.943505, 4.056495)
    expect(paths[0]!.points[10]![0]).toBeCloseTo(7.619735, 5);
    expect(paths[0]!.points[10]![1]).toBeCloseTo(4.380265, 5);
    expect(paths[1]!.points[10]![0]).toBeCloseTo(7.943505, 5);
    expect(paths[1]!.points[10]![1]).toBeCloseTo(4.056495, 5);
    // the loss curve is f along each path, at iterations 0 … 10
    const curves = dataPaths(loss!, "series");
    expect(curves.map((c) => c.value)).toEqual(["η = 0.1/sqrt(t), tol 1e-3", "η = 0.1, tol 1e-4"]);
    curves.forEach((c, k) =>
      c.points.forEach((p, t) => {
        expect(p[0]).toBeCloseTo(t, 9);
        expect(p[1]).toBeCloseTo(f(...paths[k]!.points[t]!), 6);
      }),
    );
  });

  it("boundary (B3): every one of the 101 × 101 cells has the class the trained network predicts there", () => {
    const { scenes, errors, scope } = run(`${NETWORK}\n${TRAIN}\nplot boundary f_out over x1=-2:2:1/25, x2=-2:2:1/25`);
    expect(errors).toEqual([]);
    const model = scope.trained!;
    const best = model.result.restarts[model.result.best]!;
    // the network evaluated independently: the tree-walking evaluator, not the compiled grid code
    const fOut = inline(parseProgram(`${NETWORK}\nf_out`));
    const values = new Map(model.params.map((p, i) => [p, best.params[i]!] as [string, number]));
    const grid = Array.from({ length: 101 }, (_, k) => -2 + k / 25);
    const classes = grid.map(() => grid.map(() => -1));
    for (const s of scenes[0]!.shapes) {
      if (s.kind !== "rect" || s.data?.class === undefined) continue;
      for (let i = Number(s.data.from); i <= Number(s.data.to); i++) classes[i]![Number(s.data.row)] = Number(s.data.class);
    }
    let ones = 0;
    grid.forEach((x1, i) =>
      grid.forEach((x2, j) => {
        const predicted = evaluate(fOut, new Map([...values, ["x1", x1], ["x2", x2]])) >= 0.5 ? 1 : 0;
        ones += predicted;
        expect(classes[i]![j], `(${x1}, ${x2})`).toBe(predicted);
      }),
    );
    expect(ones).toBeGreaterThan(0);
    expect(ones).toBeLessThan(101 * 101);
    // as sheet B3 says: the best network separates the origin (label 1) from the other four points
    const data: Array<[number, number, number]> = [[0, 0, 1], [1, 0, 0], [0, -1, 0], [-1, 0, 0], [0, 1, 0]];
    for (const [x1, x2, label] of data) expect(evaluate(fOut, new Map([...values, ["x1", x1], ["x2", x2]])) >= 0.5 ? 1 : 0).toBe(label);
    // the five data points on top, the origin labelled 1
    const { x, y } = scenes[0]!.frame!;
    const points = scenes[0]!.shapes.flatMap((s) => (s.kind === "circle" && s.data?.label ? [[unproject(x, s.cx), unproject(y, s.cy), s.data.label]] : s.kind === "rect" && s.data?.label ? [[unproject(x, s.x + s.width / 2), unproject(y, s.y + s.height / 2), s.data.label]] : []));
    expect(points.map(([a, b, l]) => [Math.round(Number(a) * 1e6) / 1e6 + 0, Math.round(Number(b) * 1e6) / 1e6 + 0, l]).sort()).toEqual(
      [[0, 0, "1"], [1, 0, "0"], [0, -1, "0"], [-1, 0, "0"], [0, 1, "0"]].sort(),
    );
  });

  it("training (B3): the best restart's loss per step, ending at its final loss, over the other restarts", () => {
    const { scenes, errors, scope } = run(`${NETWORK}\n${TRAIN}\nplot training log`);
    expect(errors).toEqual([]);
    const result = scope.trained!.result;
    const best = result.restarts[result.best]!;
    const curves = dataPaths(scenes[0]!, "series");
    expect(curves.length).toBe(10);
    const bestCurve = curves.find((c) => c.value === `best: restart ${best.restart}`)!;
    expect(bestCurve.points.length).toBe(best.steps + 1);
    expect(bestCurve.points[best.steps]![1]).toBeCloseTo(best.loss, 9);
    expect(scenes[0]!.frame!.y.kind).toBe("log");
  });

  it("gradients (C4): bars are |∂L/∂w| at the point, shrinking towards the input", () => {
    const source = `h1 = sigmoid(w1*x)\nh2 = sigmoid(w2*h1)\ny = sigmoid(w3*h2)\nL = -(t*log(y) + (1 - t)*log(1 - y))\nplot gradients L wrt w1, w2, w3 at w1=0.25, w2=-0.11, w3=0.78, x=0.63, t=1`;
    const { scenes, errors } = run(source);
    expect(errors).toEqual([]);
    const bars = scenes[0]!.shapes.flatMap((s) => (s.kind === "rect" && s.data?.value ? [Number(s.data.value)] : []));
    // sheet C4: ∂L/∂w1 = 0.00136364, ∂L/∂w2 = -0.0427113, ∂L/∂w3 = -0.197225
    expect(bars[0]).toBeCloseTo(0.00136364, 8);
    expect(bars[1]).toBeCloseTo(0.0427113, 7);
    expect(bars[2]).toBeCloseTo(0.197225, 6);
  });

  it("reports what is wrong, as chunk errors", () => {
    expect(run("plot boundary f_out over x1=0:1, x2=0:1").errors[0]).toContain("there is none before it");
    expect(run("plot histogram f").errors[0]).toContain("plot what?");
    expect(run(`${F}\nplot contour f from x1=6, x2=6 lr 0.1; 0.2; 0.3 tol 1e-3; 1e-4`).errors[0]).toContain("tol gives 2 runs, but another clause gives 3");
    expect(run(`${F}\nplot contour f from x1=6, x2=6 lr 0.1 steps 3 over x2=0:1, x1=0:1`).errors[0]).toContain("over gives x2, x1 but the descent is on x1, x2");
    expect(run(`${F}\nplot contour f from x1=6, x2=6 lr 0.1 steps 3 over x1=0:1:1e-4, x2=0:1`).errors[0]).toContain("at most 401 per axis");
  });
});

describe("plots in every sheet format", () => {
  const SHEET = `# Plots & 100% of x_1

\`\`\`derive
#| echo: false
${F}
plot contour f from x1=6, x2=6 lr 1/2, 1/3, 1/4
\`\`\`

::: solution
\`\`\`derive
#| echo: false
plot loss f from x1=6, x2=6 lr 0.1/sqrt(t); 0.1 steps 10 tol 1e-3; 1e-4
\`\`\`
:::
`;

  function build(formats: ("html" | "tex" | "md")[]): string {
    const dir = mkdtempSync(join(tmpdir(), "derive-plots-"));
    writeFileSync(join(dir, "s.md"), SHEET);
    const out = join(dir, "out");
    const r = buildSheets(join(dir, "s.md"), { outDir: out, modes: ["solutions", "exercises"], formats });
    expect(r.errors).toEqual([]);
    return out;
  }

  it("HTML inlines each figure as SVG; Markdown links SVG files written inside --out", () => {
    const out = build(["html", "md"]);
    const html = readFileSync(join(out, "s.html"), "utf8");
    expect(html.match(/<figure class="derive-figure"><svg /g)?.length).toBe(2);
    expect(readFileSync(join(out, "s.exercises.html"), "utf8").match(/<figure class="derive-figure"><svg /g)?.length).toBe(1);
    const md = readFileSync(join(out, "s.md"), "utf8");
    expect(md).toMatch(/!\[Level lines of f and the descent path: .*\]\(s-fig1\.svg\)/);
    expect(md).toMatch(/!\[f per iteration\]\(s-fig2\.svg\)/);
    expect(readFileSync(join(out, "s.exercises.md"), "utf8")).not.toContain("s-fig2.svg");
    expect(readdirSync(out).filter((f) => f.endsWith(".svg")).sort()).toEqual(["s-fig1.svg", "s-fig2.svg"]);
    for (const file of ["s-fig1.svg", "s-fig2.svg"]) expect(XMLValidator.validate(readFileSync(join(out, file), "utf8"))).toBe(true);
  });

  const pdflatex = spawnSync("pdflatex", ["--version"]).status === 0;
  it.skipIf(!pdflatex)("the LaTeX sheet with figures compiles with pdflatex (skipped where pdflatex is missing)", () => {
    const out = build(["tex"]);
    const tex = readFileSync(join(out, "s.tex"), "utf8");
    expect(tex.match(/\\begin\{picture\}/g)?.length).toBe(2);
    for (const f of ["s.tex", "s.exercises.tex"]) {
      const r = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", f], { cwd: out, encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stdout).toBe(0);
      expect(existsSync(join(out, f.replace(/\.tex$/, ".pdf")))).toBe(true);
    }
  }, 240_000);
});
