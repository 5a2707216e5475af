/**
 * The sheets' plots, from numbers the engine computed: a function's level lines with descent
 * paths, curves per iteration, a classifier's decision regions with its data, and bars of
 * magnitudes.
 */
import { barChart, chart, seriesStyle, type Layer, type LegendEntry } from "./chart.js";
import { levelLines, type Grid } from "./contour.js";
import { niceTicks } from "./scale.js";
import type { Color, Point, Scene, TextPart } from "./scene.js";

const GREEK: Record<string, string> = {
  alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", eta: "η", theta: "θ", lambda: "λ", mu: "μ", sigma: "σ", tau: "τ", phi: "φ", omega: "ω",
};

/** A variable name as a label: trailing digits and `_` parts become a subscript (x1 → x₁, f_out → f_out). */
export function nameLabel(name: string): TextPart[] {
  const m = /^([A-Za-z]+?)(\d+)?((?:_[A-Za-z0-9]+)*)$/.exec(name);
  if (!m) return [{ text: name }];
  const base = GREEK[m[1]!] ?? m[1]!;
  const sub = [m[2], ...m[3]!.split("_").filter((s) => s !== "")].filter((s): s is string => !!s).join(",");
  return sub === "" ? [{ text: base }] : [{ text: base }, { text: sub, shift: "sub" }];
}

export interface Path {
  readonly label: string;
  readonly points: readonly Point[];
}

export interface ContourPlotSpec {
  readonly title: string;
  readonly xName: string;
  readonly yName: string;
  readonly grid: Grid;
  /** Levels drawn; default about ten round values between the grid's smallest and largest. */
  readonly levels?: readonly number[];
  readonly paths: readonly Path[];
}

/** Round levels spanning the grid's values (the smallest and largest themselves would be points or corners). */
export function defaultLevels(grid: Grid, count = 10): number[] {
  let lo = Infinity, hi = -Infinity;
  for (const col of grid.values) {
    for (let j = 0; j < col.length; j++) {
      const v = col[j]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return niceTicks(lo, hi, count).filter((v) => v > lo && v < hi);
}

/** The function's level lines over the grid, with each descent path drawn from point to point. */
export function contourPlot(spec: ContourPlotSpec): Scene {
  const levels = spec.levels ?? defaultLevels(spec.grid);
  const xs = spec.grid.xs, ys = spec.grid.ys;
  const layers: Layer[] = [
    { kind: "levels", levels: levelLines(spec.grid, levels), labels: true },
    ...spec.paths.map((p, k): Layer => ({ kind: "line", points: p.points, style: seriesStyle(k), markers: true, data: { path: String(k + 1) } })),
  ];
  const legend: LegendEntry[] = spec.paths.map((p, k) => ({ key: { kind: "line", style: seriesStyle(k) }, label: p.label }));
  return chart({
    title: spec.title,
    description: `${spec.title}: level lines at ${levels.join(", ")}; ${spec.paths.map((p) => `${p.label}: ${p.points.map((q) => `(${q[0]}, ${q[1]})`).join(" → ")}`).join("; ")}`,
    x: { label: nameLabel(spec.xName), min: xs[0], max: xs[xs.length - 1] },
    y: { label: nameLabel(spec.yName), min: ys[0], max: ys[ys.length - 1] },
    layers,
    legend,
    equalAspect: true,
  });
}

export interface Series {
  readonly label: string;
  /** values[t] is the value after t iterations. */
  readonly values: readonly number[];
}

export interface IterationPlotSpec {
  readonly title: string;
  readonly yLabel: readonly TextPart[];
  readonly series: readonly Series[];
  readonly log?: boolean;
  /** Drawn thin and grey, one legend entry for all (the restarts that did not win). */
  readonly background?: { readonly label: string; readonly series: readonly Series[] };
}

const GREY: Color = "#9aa0aa";

/** Values per iteration, one curve per series. */
export function iterationPlot(spec: IterationPlotSpec): Scene {
  const pts = (s: Series): Point[] => s.values.map((v, t) => [t, v] as const);
  const grey = { stroke: { color: GREY, width: 1.2, dash: "solid" as const }, marker: "none" as const };
  const background = spec.background?.series ?? [];
  const many = Math.max(0, ...spec.series.map((s) => s.values.length)) > 25;
  const layers: Layer[] = [
    ...background.map((s): Layer => ({ kind: "line", points: pts(s), style: grey, data: { series: s.label } })),
    ...spec.series.map((s, k): Layer => ({ kind: "line", points: pts(s), style: seriesStyle(k), markers: !many, data: { series: s.label } })),
  ];
  const legend: LegendEntry[] = [
    ...spec.series.map((s, k): LegendEntry => ({ key: { kind: "line", style: many ? { ...seriesStyle(k), marker: "none" } : seriesStyle(k) }, label: s.label })),
    ...(spec.background && background.length > 0 ? [{ key: { kind: "line", style: grey }, label: spec.background.label } as const] : []),
  ];
  const last = Math.max(1, ...[...spec.series, ...background].map((s) => s.values.length - 1));
  return chart({
    title: spec.title,
    x: { label: [{ text: "iteration t" }], min: 0, max: last, integer: true },
    y: { label: spec.yLabel, scale: spec.log ? "log" : "linear" },
    layers,
    legend,
  });
}

export interface LabelledPoint {
  readonly x: number;
  readonly y: number;
  /** The class label (0 or 1). */
  readonly label: number;
}

export interface BoundaryPlotSpec {
  readonly title: string;
  readonly xName: string;
  readonly yName: string;
  /** The model's output on the grid. */
  readonly grid: Grid;
  /** Outputs at or above it are class 1. */
  readonly threshold: number;
  readonly points: readonly LabelledPoint[];
}

const REGION: readonly Color[] = ["#fbeede", "#bcd5ef"];

/** The class of a model output: 1 at or above the threshold. */
export const classOf = (value: number, threshold: number): number => (value >= threshold ? 1 : 0);

/** The interval covered by cells centred on evenly spaced values. */
function cellExtent(vs: readonly number[]): { min: number; max: number } {
  const half = vs.length > 1 ? (vs[1]! - vs[0]!) / 2 : 0.5;
  return { min: vs[0]! - half, max: vs[vs.length - 1]! + half };
}

/** Decision regions of a classifier on the grid, its boundary (output = threshold), and the data. */
export function boundaryPlot(spec: BoundaryPlotSpec): Scene {
  const { xs, ys, values } = spec.grid;
  const classes = xs.map((_, i) => ys.map((_, j) => classOf(values[i]![j]!, spec.threshold)));
  const ink: Color = "#1d2430";
  const lines = levelLines(spec.grid, [spec.threshold]);
  const layers: Layer[] = [
    { kind: "cells", xs, ys, classes, fills: REGION },
    ...lines[0]!.lines.map((l): Layer => ({ kind: "line", points: l, style: { stroke: { color: ink, width: 2.2, dash: "solid" }, marker: "none" }, data: { level: String(spec.threshold) } })),
    { kind: "points", points: spec.points.filter((p) => p.label >= spec.threshold).map((p) => [p.x, p.y] as const), fill: "#0b4f9c", stroke: "#ffffff", marker: "circle", data: { label: "1" } },
    { kind: "points", points: spec.points.filter((p) => p.label < spec.threshold).map((p) => [p.x, p.y] as const), fill: "#c24e00", stroke: "#ffffff", marker: "square", data: { label: "0" } },
  ];
  const legend: LegendEntry[] = [
    { key: { kind: "swatch", fill: REGION[1]! }, label: `output ≥ ${spec.threshold}` },
    { key: { kind: "swatch", fill: REGION[0]! }, label: `output < ${spec.threshold}` },
    { key: { kind: "line", style: { stroke: { color: ink, width: 2.2, dash: "solid" }, marker: "none" } }, label: `output = ${spec.threshold}` },
    { key: { kind: "marker", fill: "#0b4f9c", stroke: "#ffffff", marker: "circle" }, label: "data, label 1" },
    { key: { kind: "marker", fill: "#c24e00", stroke: "#ffffff", marker: "square" }, label: "data, label 0" },
  ];
  return chart({
    title: spec.title,
    description: `${spec.title}: grid ${xs.length} × ${ys.length}, ${classes.flat().filter((c) => c === 1).length} points classified 1`,
    // exactly the cells: each grid point's cell is centred on it
    x: { label: nameLabel(spec.xName), ...cellExtent(xs) },
    y: { label: nameLabel(spec.yName), ...cellExtent(ys) },
    layers,
    legend,
    equalAspect: true,
  });
}

export interface MagnitudeBar {
  readonly name: string;
  readonly value: number;
}

/** Magnitudes as bars, on a log scale when all are positive (a ratio of 100 reads as two decades). */
export function magnitudePlot(spec: { readonly title: string; readonly yLabel: readonly TextPart[]; readonly xLabel: string; readonly bars: readonly MagnitudeBar[] }): Scene {
  const log = spec.bars.every((b) => b.value > 0 && Number.isFinite(b.value));
  return barChart({
    title: spec.title,
    description: `${spec.title}: ${spec.bars.map((b) => `${b.name} ${b.value}`).join(", ")}`,
    x: { label: [{ text: spec.xLabel }] },
    y: { label: spec.yLabel, scale: log ? "log" : "linear" },
    bars: spec.bars.map((b) => ({ label: nameLabel(b.name), value: b.value })),
  });
}
