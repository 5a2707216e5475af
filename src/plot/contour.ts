/**
 * Level lines by marching squares, and clipping of polylines to a rectangle.
 *
 * The grid holds values[i][j] = f(xs[i], ys[j]). In each grid cell, a level crosses an edge where
 * the corner values lie on either side of it; the crossing point is interpolated linearly along the
 * edge, so it is exact where f is linear along that edge. Crossings are joined cell by cell into
 * polylines (closed when the line closes inside the grid).
 */
import type { Point } from "./scene.js";

export interface Grid {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** values[i][j] at (xs[i], ys[j]); non-finite values leave their cells out. */
  readonly values: ReadonlyArray<ArrayLike<number>>;
}

export interface LevelLines {
  readonly level: number;
  readonly lines: Point[][];
}

/** The crossing on the edge from grid point p to q, keyed by the edge so neighbouring cells share it. */
function crossing(grid: Grid, level: number, from: readonly [number, number], to: readonly [number, number]): { key: string; point: Point } {
  // the same edge is walked in opposite directions by its two cells: order its ends
  const [p, q] = from[0] < to[0] || (from[0] === to[0] && from[1] < to[1]) ? [from, to] : [to, from];
  const a = grid.values[p[0]]![p[1]]!;
  const b = grid.values[q[0]]![q[1]]!;
  const t = (level - a) / (b - a);
  const x0 = grid.xs[p[0]]!, y0 = grid.ys[p[1]]!;
  const x1 = grid.xs[q[0]]!, y1 = grid.ys[q[1]]!;
  return { key: `${p[0]},${p[1]},${q[0]},${q[1]}`, point: [x0 + t * (x1 - x0), y0 + t * (y1 - y0)] };
}

/** The segments of one level, each joining two edge crossings of a cell. */
function segments(grid: Grid, level: number): Array<[{ key: string; point: Point }, { key: string; point: Point }]> {
  const out: Array<[{ key: string; point: Point }, { key: string; point: Point }]> = [];
  const v = (i: number, j: number): number => grid.values[i]![j]!;
  for (let i = 0; i + 1 < grid.xs.length; i++) {
    for (let j = 0; j + 1 < grid.ys.length; j++) {
      // corners counter-clockwise from the bottom left; edges bottom, right, top, left
      const corners: Array<[number, number]> = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
      const vals = corners.map(([a, b]) => v(a, b));
      if (!vals.every(Number.isFinite)) continue;
      const above = vals.map((x) => x >= level);
      const cut: number[] = []; // edges k (corner k → k+1) that the level crosses
      for (let k = 0; k < 4; k++) if (above[k] !== above[(k + 1) % 4]) cut.push(k);
      if (cut.length === 0) continue;
      const at = (k: number) => crossing(grid, level, corners[k]!, corners[(k + 1) % 4]!);
      if (cut.length === 2) {
        out.push([at(cut[0]!), at(cut[1]!)]);
        continue;
      }
      // a saddle: the value at the centre decides whether the corners above the level connect
      // through the middle (then the corners below are cut off) or not
      const centreAbove = (vals[0]! + vals[1]! + vals[2]! + vals[3]!) / 4 >= level;
      if (centreAbove === above[0]) {
        out.push([at(0), at(1)], [at(2), at(3)]); // cut off corners 1 and 3
      } else {
        out.push([at(3), at(0)], [at(1), at(2)]); // cut off corners 0 and 2
      }
    }
  }
  return out;
}

/** Joins segments that share an edge crossing into polylines. */
function join(segs: ReturnType<typeof segments>): Point[][] {
  const byKey = new Map<string, number[]>();
  segs.forEach(([a, b], s) => {
    for (const e of [a, b]) byKey.set(e.key, [...(byKey.get(e.key) ?? []), s]);
  });
  const used = new Array<boolean>(segs.length).fill(false);
  const walk = (start: number, fromKey: string): Point[] => {
    const line: Point[] = [];
    let s: number | undefined = start;
    let key = fromKey;
    const first = segs[start]![0].key === fromKey ? segs[start]![0] : segs[start]![1];
    line.push(first.point);
    while (s !== undefined && !used[s]) {
      used[s] = true;
      const [a, b] = segs[s]!;
      const next = a.key === key ? b : a;
      // a level through a grid point crosses two edges there: one point, not two
      const last = line[line.length - 1]!;
      if (next.point[0] !== last[0] || next.point[1] !== last[1]) line.push(next.point);
      key = next.key;
      s = (byKey.get(key) ?? []).find((t) => !used[t]);
    }
    return line;
  };
  const lines: Point[][] = [];
  // open lines start at a crossing only one segment uses (on the grid's border)
  for (const [key, ss] of byKey) if (ss.length === 1 && !used[ss[0]!]) lines.push(walk(ss[0]!, key));
  // what is left are closed loops
  segs.forEach(([a], s) => {
    if (!used[s]) lines.push(walk(s, a.key));
  });
  return lines;
}

/** The lines where the grid's function equals each level. */
export function levelLines(grid: Grid, levels: readonly number[]): LevelLines[] {
  return levels.map((level) => ({ level, lines: join(segments(grid, level)) }));
}

export interface Box {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** The part of segment p→q inside the box (Liang–Barsky), or undefined. */
export function clipSegment(p: Point, q: Point, box: Box): [Point, Point] | undefined {
  const dx = q[0] - p[0], dy = q[1] - p[1];
  let t0 = 0, t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, p[0] - box.x0],
    [dx, box.x1 - p[0]],
    [-dy, p[1] - box.y0],
    [dy, box.y1 - p[1]],
  ];
  for (const [den, num] of edges) {
    if (den === 0) {
      if (num < 0) return undefined;
      continue;
    }
    const t = num / den;
    if (den < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return undefined;
  }
  return [
    [p[0] + t0 * dx, p[1] + t0 * dy],
    [p[0] + t1 * dx, p[1] + t1 * dy],
  ];
}

/** A polyline cut to the box: the pieces that lie inside it. */
export function clipPolyline(points: readonly Point[], box: Box): Point[][] {
  const pieces: Point[][] = [];
  let current: Point[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const c = clipSegment(points[k]!, points[k + 1]!, box);
    if (!c) {
      if (current.length > 1) pieces.push(current);
      current = [];
      continue;
    }
    const last = current[current.length - 1];
    if (last && last[0] === c[0][0] && last[1] === c[0][1]) current.push(c[1]);
    else {
      if (current.length > 1) pieces.push(current);
      current = [c[0], c[1]];
    }
  }
  if (current.length > 1) pieces.push(current);
  if (points.length === 1) {
    const [x, y] = points[0]!;
    if (x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1) pieces.push([points[0]!]);
  }
  return pieces;
}
