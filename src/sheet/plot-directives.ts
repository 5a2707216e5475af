/**
 * The plot directive of the chunk language. Every number drawn comes from the engine: descent
 * paths from gradient descent, level lines and decision regions from the function evaluated on a
 * grid, loss curves from the runs, gradient bars from the symbolic gradient at the point.
 *
 *   plot contour f from x1=6, x2=6 lr 1/2, 1/3, 1/4 [steps n] [tol t] [at …] [over x1=4:10, x2=1:7] [levels -9, 0, 9]
 *   plot loss f from x1=6, x2=6 lr 0.1/sqrt(t); 0.1 steps 10 tol 1e-3; 1e-4 [log]
 *   plot training [log]                        (the restarts of the sheet's last train directive)
 *   plot boundary f_out over x1=-2:2:1/25, x2=-2:2:1/25 [threshold 1/2]   (its best network)
 *   plot gradients L wrt w1, w2, w3 at w1=0.25, …
 *
 * In contour and loss plots, `;` separates runs: a clause with one entry applies to every run, one
 * with several gives each run its own (`lr 0.1/sqrt(t); 0.1 tol 1e-3; 1e-4` is two runs).
 */
import { DeriveError } from "../errors.js";
import { freeSymbols } from "../ast/index.js";
import { lookupConstant } from "../functions/index.js";
import { canonicalName } from "../parse/index.js";
import { splitAssignments } from "../parse/assignments.js";
import { constantValue } from "../numeric/descent.js";
import { toNumber } from "../numeric/exact.js";
import { evaluate } from "../numeric/index.js";
import { gridPredictions } from "../numeric/train.js";
import { inline, type Program } from "../program/index.js";
import { gradient } from "../diff/index.js";
import { boundaryPlot, contourPlot, iterationPlot, magnitudePlot, nameLabel, type Grid, type Scene, type TextPart } from "../plot/index.js";
import { niceDomain } from "../plot/scale.js";
import { descend, type DescentRun, type TrainedModel } from "./numeric-directives.js";
import type { Block } from "./types.js";

export const PLOT_KINDS = ["contour", "loss", "training", "boundary", "gradients"] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** Grid intervals per axis when `over` gives no step. */
const DEFAULT_INTERVALS = 100;
/** Largest grid drawn (points per axis). */
const MAX_POINTS_PER_AXIS = 401;

export interface PlotContext {
  /** The program of an expression in the sheet's scope (a function name stands for its call). */
  readonly program: (expr: string) => Program;
  /** The sheet's last train directive, if any. */
  readonly trained: TrainedModel | undefined;
}

/** `contour f …` → the kind and the expression. */
export function plotKind(text: string): { kind: PlotKind; expr: string } {
  const m = /^(\w+)\s*(.*)$/.exec(text.trim());
  if (!m || !(PLOT_KINDS as readonly string[]).includes(m[1]!)) {
    throw new DeriveError(`plot what? plot ${PLOT_KINDS.join(" | ")} … (got "plot ${text.trim()}")`);
  }
  return { kind: m[1] as PlotKind, expr: m[2]!.trim() };
}

const figure = (scene: Scene): Block => ({ kind: "figure", scene });

/** The runs of a descent plot: clauses split at `;`, one entry for all runs or one per run. */
export function descentRuns(clauses: ReadonlyMap<string, string>): Array<Map<string, string>> {
  const split = new Map([...clauses].map(([k, v]) => [k, ["from", "lr", "steps", "tol"].includes(k) ? v.split(";").map((s) => s.trim()) : [v]] as const));
  const count = Math.max(...[...split.values()].map((v) => v.length));
  for (const [k, v] of split) {
    if (v.length !== 1 && v.length !== count) throw new DeriveError(`${k} gives ${v.length} runs, but another clause gives ${count}: give one entry for all runs or one per run`);
  }
  return Array.from({ length: count }, (_, r) => new Map([...split].map(([k, v]) => [k, v.length === 1 ? v[0]! : v[r]!])));
}

/** A run's legend label: its step schedule, and whatever else differs between the runs. */
function runLabel(run: ReadonlyMap<string, string>, varying: ReadonlySet<string>): string {
  const parts = [`η = ${run.get("lr") ?? ""}`];
  if (varying.has("from")) parts.unshift(`from ${run.get("from")}`);
  if (varying.has("steps")) parts.push(`${run.get("steps")} steps`);
  if (varying.has("tol")) parts.push(`tol ${run.get("tol")}`);
  return parts.join(", ");
}

function runsOf(program: Program, clauses: ReadonlyMap<string, string>): Array<{ label: string; run: DescentRun }> {
  const runs = descentRuns(clauses);
  const varying = new Set(["from", "steps", "tol"].filter((k) => new Set(runs.map((r) => r.get(k))).size > 1));
  return runs.map((r) => ({ label: runLabel(r, varying), run: descend(program, r, true) }));
}

/** The points a run visits, as numbers: the start, then the point after each step. */
const pathOf = (run: DescentRun): Array<[number, number]> => {
  const xs = [run.result.table[0]?.x ?? run.result.x, ...run.result.table.map((r) => r.next)];
  return xs.map((x) => [toNumber(x[0]!), toNumber(x[1]!)]);
};

/** The value before the first step and after each step. */
const lossesOf = (run: DescentRun): number[] =>
  run.result.table.length === 0 ? [toNumber(run.result.value)] : [toNumber(run.result.table[0]!.f), ...run.result.table.map((r) => toNumber(r.nextF))];

export interface Axis {
  readonly name: string;
  readonly values: number[];
}

/** `x1=4:10, x2=1:7` or with steps `x1=-2:2:1/25, …`: exactly two axes. */
export function parseOver(text: string): [Axis, Axis] {
  const axes = splitAssignments(text, '"over"').map(([rawName, range]): Axis => {
    const name = canonicalName(rawName);
    const pieces = range.split(":").map((p) => p.trim());
    if (pieces.length !== 2 && pieces.length !== 3) throw new DeriveError(`over ${name}: expected from:to or from:to:step, got "${range}"`);
    const [a, b] = [toNumber(constantValue(pieces[0]!, `over ${name}`)), toNumber(constantValue(pieces[1]!, `over ${name}`))];
    if (!(b > a)) throw new DeriveError(`over ${name}: the end must be above the start`);
    const step = pieces.length === 3 ? toNumber(constantValue(pieces[2]!, `over ${name}`)) : (b - a) / DEFAULT_INTERVALS;
    if (!(step > 0)) throw new DeriveError(`over ${name}: the step must be positive`);
    // whole steps from a to b; the tolerance keeps b when (b - a)/step is whole up to rounding
    const count = Math.floor((b - a) / step + 1e-9) + 1;
    if (count > MAX_POINTS_PER_AXIS) throw new DeriveError(`over ${name}: ${count} points; at most ${MAX_POINTS_PER_AXIS} per axis are drawn`);
    return { name, values: Array.from({ length: count }, (_, k) => (k === count - 1 && Math.abs(a + k * step - b) < step * 1e-6 ? b : a + k * step)) };
  });
  if (axes.length !== 2) throw new DeriveError(`over needs two variables (x1=…, x2=…), got ${axes.length}`);
  return axes as [Axis, Axis];
}

/** Values of `program` on the grid of two axes, other variables fixed. */
function gridOf(program: Program, x: Axis, y: Axis, fixed: ReadonlyMap<string, number>): Grid {
  const names = [...fixed.keys()];
  const p = gridPredictions(program, names, names.map((n) => fixed.get(n)!), [x, y]);
  return { xs: x.values, ys: y.values, values: p.values as number[][] };
}

/** A square-ish window around the paths with room on every side. */
function windowAround(paths: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, names: readonly [string, string]): [Axis, Axis] {
  const all = paths.flat();
  const span = (k: 0 | 1): [number, number] => [Math.min(...all.map((p) => p[k])), Math.max(...all.map((p) => p[k]))];
  const [x0, x1] = span(0), [y0, y1] = span(1);
  const half = Math.max(x1 - x0, y1 - y0, 1) * 0.75;
  const axis = (name: string, lo: number, hi: number): Axis => {
    const c = (lo + hi) / 2;
    const [a, b] = niceDomain("linear", c - half, c + half);
    return { name, values: Array.from({ length: DEFAULT_INTERVALS + 1 }, (_, k) => a + ((b - a) * k) / DEFAULT_INTERVALS) };
  };
  return [axis(names[0], x0, x1), axis(names[1], y0, y1)];
}

function contour(expr: string, program: Program, clauses: ReadonlyMap<string, string>): Scene {
  const runs = runsOf(program, clauses);
  const params = runs[0]!.run.params;
  if (params.length !== 2 || runs.some((r) => r.run.params.join() !== params.join())) {
    throw new DeriveError(`a contour plot descends on two variables (from x1=…, x2=…); got ${runs.map((r) => r.run.params.join(", ")).join(" / ")}`);
  }
  const paths = runs.map((r) => pathOf(r.run));
  const overText = clauses.get("over");
  const [x, y] = overText !== undefined ? parseOver(overText) : windowAround(paths, [params[0]!, params[1]!]);
  if (x.name !== params[0] || y.name !== params[1]) throw new DeriveError(`over gives ${x.name}, ${y.name} but the descent is on ${params.join(", ")}`);
  const fixed = new Map(splitAssignments(clauses.get("at") ?? "", '"at"').map(([k, v]) => [canonicalName(k), toNumber(constantValue(v, k))] as const));
  const levelsText = clauses.get("levels");
  const levels = levelsText === undefined ? undefined : levelsText.split(",").map((l) => toNumber(constantValue(l.trim(), "levels")));
  return contourPlot({
    title: `Level lines of ${expr} and the descent path${runs.length > 1 ? "s" : ""}`,
    xName: x.name,
    yName: y.name,
    grid: gridOf(program, x, y, fixed),
    levels,
    paths: runs.map((r, k) => ({ label: r.label, points: paths[k]! })),
  });
}

function loss(expr: string, program: Program, clauses: ReadonlyMap<string, string>): Scene {
  const runs = runsOf(program, clauses);
  return iterationPlot({
    title: `${expr} per iteration`,
    yLabel: [{ text: expr }],
    series: runs.map((r) => ({ label: r.label, values: lossesOf(r.run) })),
    log: clauses.has("log"),
  });
}

function training(model: TrainedModel | undefined, clauses: ReadonlyMap<string, string>): Scene {
  if (!model) throw new DeriveError("plot training draws the sheet's last train directive, and there is none before it");
  const best = model.result.restarts[model.result.best]!;
  return iterationPlot({
    title: "Training loss per iteration",
    yLabel: [{ text: "mean loss" }],
    series: [{ label: `best: restart ${best.restart}`, values: best.losses }],
    background: { label: "other restarts", series: model.result.restarts.filter((r) => r !== best).map((r) => ({ label: `restart ${r.restart}`, values: r.losses })) },
    log: clauses.has("log"),
  });
}

function boundary(expr: string, ctx: PlotContext, clauses: ReadonlyMap<string, string>): Scene {
  const model = ctx.trained;
  if (!model) throw new DeriveError("plot boundary draws the network of the sheet's last train directive, and there is none before it");
  const overText = clauses.get("over");
  if (!overText) throw new DeriveError("plot boundary needs a grid: over x1=-2:2:1/25, x2=-2:2:1/25");
  const [x, y] = parseOver(overText);
  const best = model.result.restarts[model.result.best]!;
  const grid = gridOf(ctx.program(expr), x, y, new Map(model.params.map((p, i) => [p, best.params[i]!] as const)));
  const labelNames = model.data.names.filter((n) => n !== x.name && n !== y.name);
  if (![x.name, y.name].every((n) => model.data.names.includes(n)) || labelNames.length !== 1) {
    throw new DeriveError(`the training data need columns ${x.name}, ${y.name} and one label column; they have ${model.data.names.join(", ")}`);
  }
  const col = (n: string): Float64Array => model.data.columns[n]!;
  const thresholdText = clauses.get("threshold");
  return boundaryPlot({
    title: `Decision regions of ${expr} (restart ${best.restart}) and the data`,
    xName: x.name,
    yName: y.name,
    grid,
    threshold: thresholdText === undefined ? 0.5 : toNumber(constantValue(thresholdText, "threshold")),
    points: Array.from({ length: model.data.rows }, (_, i) => ({ x: col(x.name)[i]!, y: col(y.name)[i]!, label: col(labelNames[0]!)[i]! })),
  });
}

function gradients(expr: string, program: Program, clauses: ReadonlyMap<string, string>): Scene {
  const wrtText = clauses.get("wrt");
  const wrt = wrtText === undefined ? [...program.variables] : wrtText.split(",").map((w) => canonicalName(w.trim()));
  const at = new Map(splitAssignments(clauses.get("at") ?? "", '"at"').map(([k, v]) => [canonicalName(k), toNumber(constantValue(v, k))] as const));
  const missing = freeSymbols(inline(program)).map((v) => v.name).filter((v) => !at.has(v) && !lookupConstant(v));
  if (missing.length > 0) throw new DeriveError(`plot gradients needs values for ${missing.join(", ")} (at …)`);
  const g = gradient(program, wrt);
  // |∂L/∂w| when the variables are w1, w2, …; |∂L/∂·| for a mixed lot
  const bases = new Set(wrt.map((w) => nameLabel(w)[0]!.text));
  const partialOf: TextPart[] = [{ text: `|∂${expr}/∂${bases.size === 1 ? [...bases][0]! : "·"}|` }];
  return magnitudePlot({
    title: `Gradient magnitudes of ${expr}`,
    xLabel: "variable",
    yLabel: partialOf,
    bars: wrt.map((w, i) => ({ name: w, value: Math.abs(evaluate(inline(program, g[i]!), at)) })),
  });
}

/** Runs `plot KIND EXPR clauses…`. */
export function runPlot(text: string, clauses: ReadonlyMap<string, string>, ctx: PlotContext): Block[] {
  const { kind, expr } = plotKind(text);
  const needsExpr = kind !== "training";
  if (needsExpr && expr === "") throw new DeriveError(`plot ${kind} needs an expression: plot ${kind} f …`);
  if (!needsExpr && expr !== "") throw new DeriveError(`plot training takes no expression (it draws the last train directive), got "${expr}"`);
  switch (kind) {
    case "contour":
      return [figure(contour(expr, ctx.program(expr), clauses))];
    case "loss":
      return [figure(loss(expr, ctx.program(expr), clauses))];
    case "training":
      return [figure(training(ctx.trained, clauses))];
    case "boundary":
      return [figure(boundary(expr, ctx, clauses))];
    case "gradients":
      return [figure(gradients(expr, ctx.program(expr), clauses))];
  }
}
