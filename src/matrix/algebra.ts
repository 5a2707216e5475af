/**
 * The operations a matrix program is built from, as an interface with two implementations: on
 * shapes (inference: sizes are unified, mismatches are errors naming both shapes) and on
 * expressions (the nodes, once every shape is known). The builder walks the syntax once per
 * implementation, so what is checked and what is built cannot drift apart.
 */
import type { Rational } from "../ast/rational.js";
import * as N from "./nodes.js";
import type { MExpr } from "./nodes.js";
import { formatShape, isScalarShape, SCALAR, ShapeError, Sizes, type Dim, type Shape } from "./shape.js";

export interface Algebra<T> {
  constant(value: Rational): T;
  variable(name: string, shape: Shape): T;
  identity(dim: Dim): T;
  ones(shape: Shape): T;
  /** The matrix with a single 1 at (row, col). */
  unit(shape: Shape, row: number, col: number): T;
  literal(rows: readonly (readonly T[])[]): T;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  hadamard(a: T, b: T): T;
  /** a^p for a scalar a (elementwise powers of matrices are written A ⊙ A). */
  pow(a: T, p: Rational): T;
  transpose(a: T): T;
  apply(fn: string, a: T): T;
  /** The order-th derivative of a function of one variable, elementwise: Φ'(h), σ'(z). */
  derivative(fn: string, order: number, a: T): T;
  trace(a: T): T;
  sum(a: T): T;
  norm(a: T): T;
  diag(a: T): T;
  expect(a: T): T;
  /** The entry (row, col), 1-based. */
  entry(a: T, row: number, col: number): T;
  shapeOf(a: T): Shape;
}

/** Shape inference: every operation unifies the sizes it needs equal. */
export class ShapeAlgebra implements Algebra<Shape> {
  constructor(readonly sizes: Sizes) {}

  private show(s: Shape): string {
    return formatShape(this.sizes.resolveShape(s));
  }
  private same(a: Shape, b: Shape, what: string): void {
    const before = `${this.show(a)} and ${this.show(b)}`;
    if (!this.sizes.unify(a.rows, b.rows) || !this.sizes.unify(a.cols, b.cols)) throw new ShapeError(`shape mismatch in ${what}: ${before}`);
  }
  private scalar(s: Shape): boolean {
    return isScalarShape(this.sizes.resolveShape(s));
  }

  constant(): Shape {
    return SCALAR;
  }
  variable(_name: string, shape: Shape): Shape {
    return shape;
  }
  identity(dim: Dim): Shape {
    return { rows: dim, cols: dim };
  }
  ones(shape: Shape): Shape {
    return shape;
  }
  unit(shape: Shape, row: number, col: number): Shape {
    return this.entry(shape, row, col) && shape;
  }
  literal(rows: readonly (readonly Shape[])[]): Shape {
    for (const row of rows) {
      if (row.length !== rows[0]!.length) throw new ShapeError(`the rows of a matrix literal have different lengths: ${rows[0]!.length} and ${row.length}`);
      for (const x of row) if (!this.scalar(x)) throw new ShapeError(`an entry of a matrix literal is ${this.show(x)}, not a number or scalar`);
    }
    return { rows: rows.length, cols: rows[0]!.length };
  }
  add(a: Shape, b: Shape): Shape {
    if (this.scalar(a)) return b;
    if (this.scalar(b)) return a;
    this.same(a, b, "a sum");
    return a;
  }
  mul(a: Shape, b: Shape): Shape {
    if (this.scalar(a)) return b;
    if (this.scalar(b)) return a;
    const before = `${this.show(a)} times ${this.show(b)}`;
    if (!this.sizes.unify(a.cols, b.rows)) throw new ShapeError(`shape mismatch in a matrix product: ${before} (the columns of the left factor must match the rows of the right one)`);
    return { rows: a.rows, cols: b.cols };
  }
  hadamard(a: Shape, b: Shape): Shape {
    if (this.scalar(a)) return b;
    if (this.scalar(b)) return a;
    this.same(a, b, "an elementwise product ⊙");
    return a;
  }
  pow(a: Shape): Shape {
    if (!this.scalar(a)) throw new ShapeError(`a power of a ${this.show(a)} matrix: write A*A for the matrix product or A ⊙ A elementwise (^T transposes)`);
    return a;
  }
  transpose(a: Shape): Shape {
    return { rows: a.cols, cols: a.rows };
  }
  apply(_fn: string, a: Shape): Shape {
    return a;
  }
  derivative(_fn: string, _order: number, a: Shape): Shape {
    return a;
  }
  trace(a: Shape): Shape {
    const before = this.show(a);
    if (!this.sizes.unify(a.rows, a.cols)) throw new ShapeError(`the trace needs a square matrix, not ${before}`);
    return SCALAR;
  }
  sum(): Shape {
    return SCALAR;
  }
  norm(): Shape {
    return SCALAR;
  }
  diag(a: Shape): Shape {
    const before = this.show(a);
    if (!this.sizes.unify(a.cols, 1)) throw new ShapeError(`diag needs a vector, not ${before}`);
    return { rows: a.rows, cols: a.rows };
  }
  expect(a: Shape): Shape {
    return a;
  }
  entry(a: Shape, row: number, col: number): Shape {
    const s = this.sizes.resolveShape(a);
    const outside = (n: number, size: Dim): boolean => n < 1 || (typeof size === "number" && n > size);
    if (outside(row, s.rows) || outside(col, s.cols)) throw new ShapeError(`there is no entry (${row}, ${col}) in a ${formatShape(s)} matrix`);
    return SCALAR;
  }
  shapeOf(a: Shape): Shape {
    return a;
  }
}

/** The expressions themselves (shapes already inferred and resolved). */
export const EXPR_ALGEBRA: Algebra<MExpr> = {
  constant: (value) => N.mconst(value),
  variable: (name, shape) => N.mvar(name, shape),
  identity: (dim) => N.identity(dim),
  ones: (shape) => N.ones(shape),
  unit: (shape, row, col) => N.unit(shape, row, col),
  literal: (rows) => N.literal(rows),
  add: (a, b) => N.add(a, b),
  mul: (a, b) => N.mul(a, b),
  hadamard: (a, b) => N.hadamard(a, b),
  pow: (a, p) => N.pow(a, p),
  transpose: (a) => N.transpose(a),
  apply: (fn, a) => N.apply(fn, a),
  derivative: (fn, order, a) => N.apply(fn, a, order),
  trace: (a) => N.trace(a),
  sum: (a) => N.sum(a),
  norm: (a) => N.norm(a),
  diag: (a) => N.diag(a),
  expect: (a) => N.expect(a),
  entry: (a, row, col) => N.entry(a, row, col),
  shapeOf: (a) => a.shape,
};
