/**
 * Shapes of matrix expressions. A size is a number (`matrix(2, 3)`), a size name the user wrote
 * (`vector(d)`), or an unknown that inference names after where it comes from (`rows(W)`).
 * Vectors are columns (d × 1); scalars are 1 × 1 and multiply anything.
 *
 * Inference is unification: `W x` makes cols(W) and rows(x) the same size; two different numbers,
 * or two different size names, are a shape error naming both shapes.
 */
import { DeriveError } from "../errors.js";

export type Dim = number | string;

export interface Shape {
  readonly rows: Dim;
  readonly cols: Dim;
}

export const SCALAR: Shape = Object.freeze({ rows: 1, cols: 1 });

export const isScalarShape = (s: Shape): boolean => s.rows === 1 && s.cols === 1;
export const isColumnShape = (s: Shape): boolean => s.cols === 1;

/** A size as people read it: rows(W) for an inferred one (the #n that keeps them apart dropped). */
export const formatDim = (d: Dim): string => String(d).replace(/#\d+$/, "");
export const formatShape = (s: Shape): string => `${formatDim(s.rows)}×${formatDim(s.cols)}`;

/** Unknown sizes are written `rows(W)`, `cols(W)`, `n#3`: not names a user could type. */
export const isUnknownDim = (d: Dim): boolean => typeof d === "string" && /[(#]/.test(d);

/** A shape error: names both shapes and what was being done. */
export class ShapeError extends DeriveError {}

/**
 * Union-find over sizes. `resolve` gives the representative: a number when one is known, else a
 * size name, else an unknown.
 */
export class Sizes {
  private readonly parent = new Map<string, Dim>();
  private fresh = 0;

  freshDim(hint: string): string {
    return `${hint}#${++this.fresh}`;
  }

  resolve(d: Dim): Dim {
    let cur = d;
    const path: string[] = [];
    while (typeof cur === "string") {
      const next = this.parent.get(cur);
      if (next === undefined) break;
      path.push(cur);
      cur = next;
    }
    for (const p of path) this.parent.set(p, cur);
    return cur;
  }

  resolveShape(s: Shape): Shape {
    const rows = this.resolve(s.rows);
    const cols = this.resolve(s.cols);
    return rows === s.rows && cols === s.cols ? s : { rows, cols };
  }

  /** Makes two sizes equal; false when they cannot be (two numbers, two size names). */
  unify(a: Dim, b: Dim): boolean {
    const x = this.resolve(a);
    const y = this.resolve(b);
    if (x === y) return true;
    if (typeof x === "number" && typeof y === "number") return false;
    if (typeof x === "string" && typeof y === "string") {
      if (!isUnknownDim(x) && !isUnknownDim(y)) return false;
      if (isUnknownDim(x)) this.parent.set(x, y);
      else this.parent.set(y, x);
      return true;
    }
    if (typeof x === "string") this.parent.set(x, y);
    else this.parent.set(y as string, x);
    return true;
  }
}
