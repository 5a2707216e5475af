import { describe, expect, it } from "vitest";
import { XMLValidator } from "fast-xml-parser";
import { clipSegment, levelLines, sceneToLatex, sceneToSvg, contourPlot, boundaryPlot, iterationPlot, magnitudePlot, nameLabel, type Grid } from "../../src/plot/index.js";
import { logTicks, niceDomain, niceTicks, project, tickLabel, unproject, type Scale } from "../../src/plot/scale.js";
import type { Scene } from "../../src/plot/scene.js";

const f = (x1: number, x2: number): number => (x1 - 6) ** 2 + x2 ** 2 - x1 * x2;

function gridOf(fn: (x: number, y: number) => number, x0: number, x1: number, y0: number, y1: number, n: number): Grid {
  const xs = Array.from({ length: n + 1 }, (_, k) => x0 + ((x1 - x0) * k) / n);
  const ys = Array.from({ length: n + 1 }, (_, k) => y0 + ((y1 - y0) * k) / n);
  return { xs, ys, values: xs.map((x) => ys.map((y) => fn(x, y))) };
}

/** The points of an SVG path's d attribute (M/L/Z only, as the writer emits). */
const pathPoints = (d: string): Array<[number, number]> => [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

/** Every <path> with the given data attribute: its value and its points mapped back to data coordinates. */
function dataPaths(svg: string, scene: Scene, attr: string): Array<{ value: string; points: Array<[number, number]> }> {
  const { x, y } = scene.frame!;
  return [...svg.matchAll(new RegExp(`<path d="([^"]*)"[^>]*data-${attr}="([^"]*)"`, "g"))].map((m) => ({
    value: m[2]!,
    points: pathPoints(m[1]!).map(([px, py]) => [unproject(x, px), unproject(y, py)]),
  }));
}

describe("scales and ticks", () => {
  it("ticks are round numbers covering the interval", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-2.02, 2.02)).toEqual([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(4, 11)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(logTicks(0.0004, 0.3)).toEqual([0.001, 0.01, 0.1]);
    expect(niceDomain("linear", 0.3, 9.2)).toEqual([0, 10]);
    expect(niceDomain("log", 0.00136, 0.197)).toEqual([0.001, 1]);
    expect(tickLabel(-0.5, 0.5)).toBe("\u22120.5");
    expect(tickLabel(0, 0.2)).toBe("0.0");
  });

  it("project and unproject are inverse, on linear and log scales", () => {
    const lin: Scale = { kind: "linear", domain: [4, 11], range: [72, 616] };
    const log: Scale = { kind: "log", domain: [0.001, 1], range: [356, 56] };
    expect(project(lin, 4)).toBe(72);
    expect(project(lin, 11)).toBe(616);
    expect(project(log, 0.01)).toBeCloseTo(256, 10);
    for (const v of [4, 6.5, 9, 11]) expect(unproject(lin, project(lin, v))).toBeCloseTo(v, 12);
    for (const v of [0.001, 0.0427, 0.197]) expect(unproject(log, project(log, v))).toBeCloseTo(v, 12);
  });
});

describe("level lines (marching squares)", () => {
  it("every drawn point of sheet A's f lies on its level", () => {
    const grid = gridOf(f, 4, 11, 1, 8, 70);
    const lines = levelLines(grid, [-10, -5, 0, 10]);
    for (const { level, lines: ls } of lines) {
      expect(ls.length).toBeGreaterThan(0);
      for (const p of ls.flat()) expect(Math.abs(f(p[0], p[1]) - level)).toBeLessThan(0.01);
    }
    // f = -10 is an ellipse around the minimum (8, 4), inside the window: one closed line
    const ellipse = lines[0]!.lines;
    expect(ellipse.length).toBe(1);
    expect(ellipse[0]![0]).toEqual(ellipse[0]![ellipse[0]!.length - 1]);
    // and it goes round the minimum: points on every side of it
    const xs = ellipse[0]!.map((p) => p[0]);
    expect(Math.min(...xs)).toBeLessThan(8);
    expect(Math.max(...xs)).toBeGreaterThan(8);
  });

  it("is exact for a linear function, and finds no line for a level outside the values", () => {
    const grid = gridOf((x, y) => 2 * x - y, -1, 1, -1, 1, 7);
    const [l] = levelLines(grid, [0.3]);
    expect(l!.lines.length).toBe(1); // one open line across the grid, joined from its cells
    for (const p of l!.lines[0]!) expect(2 * p[0] - p[1]).toBeCloseTo(0.3, 12);
    expect(levelLines(grid, [10])[0]!.lines).toEqual([]);
  });

  it("decides saddles by the centre value", () => {
    // one cell with corners 1, -1, 1, -1 (counter-clockwise from the bottom left)
    const grid: Grid = { xs: [0, 1], ys: [0, 1], values: [[1, -1], [-1, 1]] };
    const above = levelLines(grid, [-0.5])[0]!.lines; // centre 0 ≥ -0.5: the corners above connect
    const below = levelLines(grid, [0.5])[0]!.lines;
    expect(above.length).toBe(2);
    expect(below.length).toBe(2);
    // at level -0.5 the lines cut off the corners below it, (1, 0) and (0, 1)
    const cornersCut = (lines: typeof above): string[] => lines.map((l) => (l.every((p) => p[0] + (1 - p[1]) > 1) ? "(1,0)" : l.every((p) => p[0] + (1 - p[1]) < 1) ? "(0,1)" : l.every((p) => p[0] + p[1] < 1) ? "(0,0)" : "(1,1)")).sort();
    expect(cornersCut(above)).toEqual(["(0,1)", "(1,0)"]);
    expect(cornersCut(below)).toEqual(["(0,0)", "(1,1)"]);
  });

  it("clips segments to a box", () => {
    const box = { x0: 0, x1: 1, y0: 0, y1: 1 };
    expect(clipSegment([-1, 0.5], [2, 0.5], box)).toEqual([[0, 0.5], [1, 0.5]]);
    expect(clipSegment([0.2, 0.2], [0.4, 0.6], box)).toEqual([[0.2, 0.2], [0.4, 0.6]]);
    expect(clipSegment([2, 2], [3, 3], box)).toBeUndefined();
  });
});

describe("SVG and LaTeX", () => {
  const grid = gridOf(f, 4, 11, 1, 8, 70);
  const scene = contourPlot({ title: "Level lines of f", xName: "x1", yName: "x2", grid, paths: [{ label: "η = 1/2, 1/3, 1/4", points: [[6, 6], [9, 3], [8, 4], [8, 4]] }] });
  const svg = sceneToSvg(scene);

  it("is well-formed XML with a viewBox, a title and no fixed pixel size", () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 640 \d+(\.\d+)?" width="100%"/);
    expect(svg).toContain("<title>Level lines of f: level lines at -10, -5, 0, 5, 10, 15, 20, 25, 30, 35; η = 1/2, 1/3, 1/4: (6, 6) → (9, 3) → (8, 4) → (8, 4)</title>");
  });

  it("draws the path through the given points and each level line on its level", () => {
    const [path] = dataPaths(svg, scene, "path");
    expect(path!.points.length).toBe(4);
    path!.points.forEach((p, i) => {
      expect(p[0]).toBeCloseTo([6, 9, 8, 8][i]!, 3);
      expect(p[1]).toBeCloseTo([6, 3, 4, 4][i]!, 3);
    });
    const levels = dataPaths(svg, scene, "level");
    expect(new Set(levels.map((l) => l.value)).size).toBeGreaterThanOrEqual(5);
    for (const l of levels) for (const p of l.points) expect(Math.abs(f(p[0], p[1]) - Number(l.value))).toBeLessThan(0.02);
  });

  it("escapes every text: labels cannot inject markup or LaTeX commands", () => {
    const evil = `<script>alert("x")</script> & \\input{/etc/passwd} $x$ 100% #1 a_b ^ ~`;
    const s = iterationPlot({ title: evil, yLabel: [{ text: evil }], series: [{ label: evil, values: [3, 2, 1] }] });
    const out = sceneToSvg(s);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).not.toContain("<script");
    expect(out).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ");
    const tex = sceneToLatex(s);
    expect(tex).not.toContain("\\input{");
    expect(tex).toContain("\\textbackslash{}input\\{/etc/passwd\\} \\$x\\$ 100\\% \\#1 a\\_b \\textasciicircum{} \\textasciitilde{}");
    // the comment line naming the figure cannot end early and start a command
    expect(tex.split("\n")[0]!.slice(1)).not.toMatch(/[\\%${}]/);
  });

  it("writes the same geometry to LaTeX: a picture of PDF operators with the texts put on top", () => {
    const tex = sceneToLatex(scene);
    expect(tex).toContain(`\\begin{picture}(640,${Math.round(scene.height * 100) / 100})`);
    expect(tex).toContain("\\pdfliteral{q ");
    // the path's first point (6, 6), with y flipped for PDF
    const { x, y } = scene.frame!;
    const px = Math.round(project(x, 6) * 100) / 100;
    const py = Math.round((scene.height - project(y, 6)) * 100) / 100;
    expect(tex).toContain(`${px} ${py} m`);
    expect(tex).toMatch(/\\put\([\d.]+,[\d.]+\)\{\\makebox\(0,0\)\[lb\]\{\{\\fontsize\{\d+\}\{\d+\}\\selectfont η = 1\/2, 1\/3, 1\/4\}\}\}/);
  });

  it("boundary plots colour each grid cell by its class and cover the whole grid", () => {
    const model = (x: number, y: number): number => 1 / (1 + Math.exp(-(1 - x * x - y * y) * 3));
    const g = gridOf(model, -2, 2, -2, 2, 20);
    const s = boundaryPlot({ title: "disc", xName: "x1", yName: "x2", grid: g, threshold: 0.5, points: [{ x: 0, y: 0, label: 1 }, { x: 2, y: 0, label: 0 }] });
    const out = sceneToSvg(s);
    expect(XMLValidator.validate(out)).toBe(true);
    const seen = g.xs.map(() => g.ys.map(() => -1));
    for (const m of out.matchAll(/data-class="(\d)" data-row="(\d+)" data-from="(\d+)" data-to="(\d+)"/g)) {
      for (let i = Number(m[3]); i <= Number(m[4]); i++) seen[i]![Number(m[2])] = Number(m[1]);
    }
    g.xs.forEach((x, i) => g.ys.forEach((y, j) => expect(seen[i]![j], `(${x}, ${y})`).toBe(model(x, y) >= 0.5 ? 1 : 0)));
    // both classes occur: the unit disc and outside it
    expect(new Set(seen.flat())).toEqual(new Set([0, 1]));
    expect(out.match(/data-label="1"/g)?.length).toBe(1);
    expect(out.match(/data-label="0"/g)?.length).toBe(1);
  });

  it("bar heights on a log scale are the magnitudes", () => {
    const s = magnitudePlot({ title: "g", xLabel: "weight", yLabel: [{ text: "|g|" }], bars: [{ name: "w1", value: 0.00136 }, { name: "w2", value: 0.0427 }, { name: "w3", value: 0.197 }] });
    const out = sceneToSvg(s);
    expect(XMLValidator.validate(out)).toBe(true);
    expect([...out.matchAll(/data-value="([^"]+)"/g)].map((m) => Number(m[1]))).toEqual([0.00136, 0.0427, 0.197]);
    // a decade per tick: 10^-4 … 10^0
    expect(out.match(/>10<tspan/g)?.length).toBe(5);
  });

  it("writes names with their indices as subscripts", () => {
    expect(nameLabel("x1")).toEqual([{ text: "x" }, { text: "1", shift: "sub" }]);
    expect(nameLabel("f_out")).toEqual([{ text: "f" }, { text: "out", shift: "sub" }]);
    expect(nameLabel("eta")).toEqual([{ text: "η" }]);
    expect(nameLabel("L")).toEqual([{ text: "L" }]);
  });
});
