/**
 * Charts: data layers (lines, level lines, class cells, points, bars) on axes with ticks, labels and
 * a legend, laid out as a Scene. Layout is in viewBox units (640 wide), so the drawing scales to
 * any screen or page width.
 */
import { clipPolyline, type Box, type LevelLines } from "./contour.js";
import { logTicks, niceDomain, niceTicks, project, shortNumber, tickLabel, tickStep, type Scale, type ScaleKind } from "./scale.js";
import type { Anchor, Color, Point, Scene, Shape, ShapeData, Stroke, TextPart } from "./scene.js";

export type Marker = "circle" | "square" | "triangle" | "none";

export interface SeriesStyle {
  readonly stroke: Stroke;
  readonly marker: Marker;
}

/**
 * Series styles that stay apart in black-and-white print: each has its own dash and marker as well
 * as its own colour (colours from the Okabe–Ito palette, darkened for paper).
 */
const PALETTE: readonly SeriesStyle[] = [
  { stroke: { color: "#0b4f9c", width: 2.2, dash: "solid" }, marker: "circle" },
  { stroke: { color: "#c24e00", width: 2.2, dash: "dashed" }, marker: "square" },
  { stroke: { color: "#11785a", width: 2.2, dash: "dotted" }, marker: "triangle" },
  { stroke: { color: "#7a3b8f", width: 2.2, dash: "solid" }, marker: "square" },
];

export const seriesStyle = (k: number): SeriesStyle => PALETTE[k % PALETTE.length]!;

export const INK: Color = "#1d2430";
const GRID: Color = "#e3e6ec";
const LEVEL: Color = "#8a909c";

export interface AxisSpec {
  readonly label: readonly TextPart[];
  readonly scale?: ScaleKind;
  /** The interval shown; default the data's, widened to whole ticks (or decades). */
  readonly min?: number;
  readonly max?: number;
  /** Ticks only at whole numbers (iteration counts). */
  readonly integer?: boolean;
}

export type LegendKey =
  | { readonly kind: "line"; readonly style: SeriesStyle }
  | { readonly kind: "swatch"; readonly fill: Color }
  | { readonly kind: "marker"; readonly fill: Color; readonly stroke: Color; readonly marker: Marker };

export interface LegendEntry {
  readonly key: LegendKey;
  readonly label: string;
}

export type Layer =
  | { readonly kind: "line"; readonly points: readonly Point[]; readonly style: SeriesStyle; readonly markers?: boolean; readonly data?: ShapeData }
  | { readonly kind: "levels"; readonly levels: readonly LevelLines[]; readonly labels?: boolean }
  /** Grid cells coloured by class: classes[i][j] indexes `fills` for the cell around (xs[i], ys[j]). */
  | { readonly kind: "cells"; readonly xs: readonly number[]; readonly ys: readonly number[]; readonly classes: ReadonlyArray<readonly number[]>; readonly fills: readonly Color[] }
  | { readonly kind: "points"; readonly points: readonly Point[]; readonly fill: Color; readonly stroke: Color; readonly marker: Marker; readonly data?: ShapeData };

export interface ChartSpec {
  readonly title: string;
  /** A longer description for screen readers (default: the title). */
  readonly description?: string;
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly layers: readonly Layer[];
  readonly legend?: readonly LegendEntry[];
  /** One data unit is as long on both axes (contour plots: level lines keep their shape). */
  readonly equalAspect?: boolean;
}

export const WIDTH = 640;
const MARGIN = { left: 72, right: 24, top: 40, bottom: 58 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const FONT = 13;
const TICK_FONT = 12;

/** Width of text in viewBox units, estimated (sans-serif averages a little over half an em). */
const textWidth = (text: string, size: number): number => text.length * size * 0.58;

const text = (x: number, y: number, parts: string | readonly TextPart[], anchor: Anchor, size: number, extra: { vertical?: boolean; bold?: boolean } = {}): Shape => ({
  kind: "text",
  x,
  y,
  parts: typeof parts === "string" ? [{ text: parts }] : parts,
  anchor,
  size,
  ...extra,
});

export function markerShapes(marker: Marker, x: number, y: number, fill: Color, stroke: Stroke, data?: ShapeData): Shape[] {
  const s = 4.5;
  switch (marker) {
    case "none":
      return [];
    case "circle":
      return [{ kind: "circle", cx: x, cy: y, r: s, fill, stroke, data }];
    case "square":
      return [{ kind: "rect", x: x - s, y: y - s, width: 2 * s, height: 2 * s, fill, stroke, data }];
    case "triangle":
      return [{ kind: "path", points: [[x, y - s * 1.2], [x + s * 1.1, y + s * 0.8], [x - s * 1.1, y + s * 0.8]], closed: true, fill, stroke, data }];
  }
}

/** Data extent of the layers along one coordinate. */
function extent(layers: readonly Layer[], k: 0 | 1): [number, number] {
  let lo = Infinity, hi = -Infinity;
  const see = (v: number): void => {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  for (const l of layers) {
    if (l.kind === "line" || l.kind === "points") l.points.forEach((p) => see(p[k]));
    else if (l.kind === "levels") l.levels.forEach((lv) => lv.lines.forEach((line) => line.forEach((p) => see(p[k]))));
    else if (l.kind === "cells") {
      const vs = k === 0 ? l.xs : l.ys;
      const half = vs.length > 1 ? (vs[1]! - vs[0]!) / 2 : 0.5;
      see(vs[0]! - half);
      see(vs[vs.length - 1]! + half);
    }
  }
  return [lo, hi];
}

function domainOf(axis: AxisSpec, layers: readonly Layer[], k: 0 | 1): [number, number] {
  const kind = axis.scale ?? "linear";
  if (axis.min !== undefined && axis.max !== undefined) return [axis.min, axis.max];
  const [lo, hi] = extent(layers, k);
  if (!Number.isFinite(lo)) return [0, 1];
  // whole decades would leave most of a log axis empty (0.04 … 1.2 shown as 0.01 … 10): pad instead
  const [a, b] = kind === "log" && hi > lo ? [lo / 1.25, hi * 1.25] : niceDomain(kind, lo, hi);
  return [axis.min ?? a, axis.max ?? b];
}

interface Ticks {
  readonly values: number[];
  readonly labels: Array<readonly TextPart[]>;
}

function ticksOf(scale: Scale, integer: boolean): Ticks {
  const [lo, hi] = scale.domain;
  if (scale.kind === "log") {
    const values = logTicks(lo, hi);
    return { values, labels: values.map((v) => [{ text: "10" }, { text: tickLabel(Math.round(Math.log10(v)), 1), shift: "sup" }]) };
  }
  let values = niceTicks(lo, hi);
  if (integer) values = values.filter(Number.isInteger);
  const step = values.length > 1 ? values[1]! - values[0]! : tickStep(lo, hi, 6);
  return { values, labels: values.map((v) => [{ text: tickLabel(v, step) }]) };
}

/** Legend entries laid out in rows under the plot; returns the shapes and the height used. */
function legendShapes(entries: readonly LegendEntry[], top: number): { shapes: Shape[]; height: number } {
  const shapes: Shape[] = [];
  const rowHeight = 20;
  let x = MARGIN.left;
  let y = top + 12;
  for (const e of entries) {
    const w = 30 + textWidth(e.label, FONT) + 18;
    if (x + w > WIDTH - MARGIN.right && x > MARGIN.left) {
      x = MARGIN.left;
      y += rowHeight;
    }
    const k = e.key;
    if (k.kind === "line") {
      shapes.push({ kind: "path", points: [[x, y], [x + 24, y]], stroke: k.style.stroke });
      shapes.push(...markerShapes(k.style.marker, x + 12, y, k.style.stroke.color, { ...k.style.stroke, width: 1, dash: "solid" }));
    } else if (k.kind === "swatch") {
      shapes.push({ kind: "rect", x: x + 4, y: y - 7, width: 16, height: 14, fill: k.fill, stroke: { color: LEVEL, width: 0.8 } });
    } else {
      shapes.push(...markerShapes(k.marker, x + 12, y, k.fill, { color: k.stroke, width: 1.4 }));
    }
    shapes.push(text(x + 30, y + 4.5, e.label, "start", FONT));
    x += w;
  }
  return { shapes, height: entries.length === 0 ? 0 : y - top + 14 };
}

/** Each level's value, written on its longest line (on a white patch, so the line does not cross it). */
function levelLabelShapes(levels: readonly LevelLines[], sx: Scale, sy: Scale, inside: (p: Point) => boolean): Shape[] {
  const shapes: Shape[] = [];
  for (const lv of levels) {
    const shown = lv.lines.map((l) => l.filter(inside));
    const longest = shown.reduce<readonly Point[] | undefined>((best, l) => (!best || l.length > best.length ? l : best), undefined);
    if (!longest || longest.length < 6) continue;
    const p = longest[Math.floor(longest.length * 0.3)]!;
    const x = project(sx, p[0]), y = project(sy, p[1]);
    const label = shortNumber(lv.level, 4);
    const w = textWidth(label, 10.5) + 4;
    shapes.push({ kind: "rect", x: x - w / 2, y: y - 7, width: w, height: 13, fill: "#ffffff" });
    shapes.push(text(x, y + 3.8, label, "middle", 10.5));
  }
  return shapes;
}

/** The plot area's frame, grid lines, ticks and axis labels. */
function axesShapes(sx: Scale, sy: Scale, x: AxisSpec, y: AxisSpec, box: { left: number; right: number; top: number; bottom: number }): { under: Shape[]; over: Shape[] } {
  const under: Shape[] = [];
  const over: Shape[] = [];
  const xt = ticksOf(sx, x.integer ?? false);
  const yt = ticksOf(sy, y.integer ?? false);
  const thin: Stroke = { color: GRID, width: 1 };
  const tick: Stroke = { color: INK, width: 1 };
  xt.values.forEach((v, k) => {
    const px = project(sx, v);
    under.push({ kind: "path", points: [[px, box.top], [px, box.bottom]], stroke: thin });
    over.push({ kind: "path", points: [[px, box.bottom], [px, box.bottom + 5]], stroke: tick });
    over.push(text(px, box.bottom + 19, xt.labels[k]!, "middle", TICK_FONT));
  });
  yt.values.forEach((v, k) => {
    const py = project(sy, v);
    under.push({ kind: "path", points: [[box.left, py], [box.right, py]], stroke: thin });
    over.push({ kind: "path", points: [[box.left - 5, py], [box.left, py]], stroke: tick });
    over.push(text(box.left - 8, py + 4, yt.labels[k]!, "end", TICK_FONT));
  });
  over.push({ kind: "rect", x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, stroke: { color: INK, width: 1.2 } });
  over.push(text((box.left + box.right) / 2, box.bottom + 40, x.label, "middle", FONT));
  over.push(text(18, (box.top + box.bottom) / 2, y.label, "middle", FONT, { vertical: true }));
  return { under, over };
}

/** Plot-area height: equal units on both axes when asked (within limits), else a fixed ratio. */
function plotHeight(spec: ChartSpec, dx: readonly [number, number], dy: readonly [number, number]): number {
  if (!spec.equalAspect) return 330;
  const h = (PLOT_WIDTH * (dy[1] - dy[0])) / (dx[1] - dx[0]);
  return Math.min(560, Math.max(220, h));
}

export function chart(spec: ChartSpec): Scene {
  const dx = domainOf(spec.x, spec.layers, 0);
  const dy = domainOf(spec.y, spec.layers, 1);
  const height = plotHeight(spec, dx, dy);
  const box = { left: MARGIN.left, right: MARGIN.left + PLOT_WIDTH, top: MARGIN.top, bottom: MARGIN.top + height };
  const sx: Scale = { kind: spec.x.scale ?? "linear", domain: dx, range: [box.left, box.right] };
  const sy: Scale = { kind: spec.y.scale ?? "linear", domain: dy, range: [box.bottom, box.top] };
  const at = (p: Point): Point => [project(sx, p[0]), project(sy, p[1])];
  const clip: Box = { x0: Math.min(...dx), x1: Math.max(...dx), y0: Math.min(...dy), y1: Math.max(...dy) };
  const inside = (p: Point): boolean => p[0] >= clip.x0 && p[0] <= clip.x1 && p[1] >= clip.y0 && p[1] <= clip.y1;
  const axes = axesShapes(sx, sy, spec.x, spec.y, box);
  const cells: Shape[] = [];
  const lines: Shape[] = [];
  const labels: Shape[] = [];
  const data: Shape[] = [];
  for (const l of spec.layers) {
    switch (l.kind) {
      case "cells":
        cells.push(...cellShapes(l, at, clip));
        break;
      case "levels":
        for (const lv of l.levels) {
          for (const line of lv.lines) {
            for (const piece of clipPolyline(line, clip)) {
              lines.push({ kind: "path", points: piece.map(at), stroke: { color: LEVEL, width: 1.1 }, data: { level: String(lv.level) } });
            }
          }
        }
        if (l.labels) labels.push(...levelLabelShapes(l.levels, sx, sy, inside));
        break;
      case "line":
        for (const piece of clipPolyline(l.points, clip)) data.push({ kind: "path", points: piece.map(at), stroke: l.style.stroke, data: l.data });
        if (l.markers) {
          for (const p of l.points.filter(inside)) {
            const [px, py] = at(p);
            data.push(...markerShapes(l.style.marker, px, py, l.style.stroke.color, { color: "#ffffff", width: 0.8 }));
          }
        }
        break;
      case "points":
        for (const p of l.points.filter(inside)) {
          const [px, py] = at(p);
          data.push(...markerShapes(l.marker, px, py, l.fill, { color: l.stroke, width: 1.6 }, l.data));
        }
        break;
    }
  }
  // back to front: class cells, grid lines, level lines and their labels, the data
  const shapes = [...cells, ...axes.under, ...lines, ...labels, ...data];
  const legend = legendShapes(spec.legend ?? [], box.bottom + 50);
  const title = text(MARGIN.left, 24, spec.title, "start", 14, { bold: true });
  return {
    width: WIDTH,
    height: Math.ceil(box.bottom + MARGIN.bottom + legend.height),
    title: spec.description ?? spec.title,
    frame: { x: sx, y: sy },
    shapes: [title, ...shapes, ...axes.over, ...legend.shapes],
  };
}

/**
 * Class cells as rectangles, one per run of equal classes along x in each row, so a 101×101
 * grid is a few hundred shapes rather than ten thousand.
 */
function cellShapes(l: Extract<Layer, { kind: "cells" }>, at: (p: Point) => Point, clip: Box): Shape[] {
  const shapes: Shape[] = [];
  const hx = l.xs.length > 1 ? (l.xs[1]! - l.xs[0]!) / 2 : 0.5;
  const hy = l.ys.length > 1 ? (l.ys[1]! - l.ys[0]!) / 2 : 0.5;
  for (let j = 0; j < l.ys.length; j++) {
    let i = 0;
    while (i < l.xs.length) {
      const c = l.classes[i]![j]!;
      let k = i;
      while (k + 1 < l.xs.length && l.classes[k + 1]![j] === c) k++;
      const fill = l.fills[c];
      if (fill) {
        const x0 = Math.max(clip.x0, l.xs[i]! - hx), x1 = Math.min(clip.x1, l.xs[k]! + hx);
        const y0 = Math.max(clip.y0, l.ys[j]! - hy), y1 = Math.min(clip.y1, l.ys[j]! + hy);
        const [px0, py1] = at([x0, y1]);
        const [px1, py0] = at([x1, y0]);
        // a hair of overlap hides the seams anti-aliasing would show between neighbouring cells
        shapes.push({ kind: "rect", x: px0, y: py1, width: px1 - px0 + 0.4, height: py0 - py1 + 0.4, fill, data: { class: String(c), row: String(j), from: String(i), to: String(k) } });
      }
      i = k + 1;
    }
  }
  return shapes;
}

export interface Bar {
  readonly label: readonly TextPart[];
  readonly value: number;
}

export interface BarChartSpec {
  readonly title: string;
  readonly description?: string;
  readonly x: { readonly label: readonly TextPart[] };
  readonly y: { readonly label: readonly TextPart[]; readonly scale: ScaleKind };
  readonly bars: readonly Bar[];
}

/** Bars of magnitudes, each labelled with its value; on a log scale the bars rise from the lowest decade. */
export function barChart(spec: BarChartSpec): Scene {
  const values = spec.bars.map((b) => b.value);
  const lo = Math.min(...values), hi = Math.max(...values);
  // on a log scale, a decade below the smallest bar, so that bar is not a sliver
  const domain = spec.y.scale === "log" ? niceDomain("log", lo / 10, hi) : niceDomain("linear", Math.min(0, lo), Math.max(0, hi));
  // room above the tallest bar for its value label
  const height = 300;
  const box = { left: MARGIN.left, right: MARGIN.left + PLOT_WIDTH, top: MARGIN.top + 16, bottom: MARGIN.top + 16 + height };
  const sy: Scale = { kind: spec.y.scale, domain, range: [box.bottom, box.top] };
  const slot = PLOT_WIDTH / spec.bars.length;
  const shapes: Shape[] = [];
  const yt = ticksOf(sy, false);
  yt.values.forEach((v, k) => {
    const py = project(sy, v);
    shapes.push({ kind: "path", points: [[box.left, py], [box.right, py]], stroke: { color: GRID, width: 1 } });
    shapes.push({ kind: "path", points: [[box.left - 5, py], [box.left, py]], stroke: { color: INK, width: 1 } });
    shapes.push(text(box.left - 8, py + 4, yt.labels[k]!, "end", TICK_FONT));
  });
  const base = spec.y.scale === "log" ? box.bottom : project(sy, 0);
  spec.bars.forEach((b, k) => {
    const cx = box.left + slot * (k + 0.5);
    const w = Math.min(90, slot * 0.55);
    const top = project(sy, b.value);
    shapes.push({ kind: "rect", x: cx - w / 2, y: Math.min(top, base), width: w, height: Math.abs(base - top), fill: "#7fa7d6", stroke: { color: "#0b4f9c", width: 1.4 }, data: { value: String(b.value) } });
    shapes.push(text(cx, Math.min(top, base) - 6, shortNumber(b.value, 4), "middle", TICK_FONT));
    shapes.push(text(cx, box.bottom + 19, b.label, "middle", FONT));
  });
  shapes.push({ kind: "rect", x: box.left, y: box.top, width: PLOT_WIDTH, height, stroke: { color: INK, width: 1.2 } });
  shapes.push(text((box.left + box.right) / 2, box.bottom + 40, spec.x.label, "middle", FONT));
  shapes.push(text(18, (box.top + box.bottom) / 2, spec.y.label, "middle", FONT, { vertical: true }));
  return {
    width: WIDTH,
    height: box.bottom + MARGIN.bottom,
    title: spec.description ?? spec.title,
    shapes: [text(MARGIN.left, 24, spec.title, "start", 14, { bold: true }), ...shapes],
  };
}
