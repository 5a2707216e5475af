/**
 * Finite-difference gradient check: the compiled reverse-mode gradient against central
 * differences, component by component.
 *
 * Step: h_i = ε · max(1, |x_i|) with ε = ∛(machine epsilon) ≈ 6.1e-6 by default. Central
 * differences have truncation error O(h²) and rounding error O(eps/h); this ε balances the two, so
 * a smooth function's derivative comes out to about 1e-10 relative accuracy. The denominator is
 * the actual distance between the two sample points (x + h and x - h as doubles).
 *
 * Errors: abs = |analytic - numeric|, rel = abs / max(|analytic|, |numeric|) (0 when both are 0).
 * A component passes when abs ≤ tolerance or rel ≤ tolerance (default 1e-5: the sheets' check).
 */
import type { Expr } from "../ast/index.js";
import type { Program } from "../program/index.js";
import { compile, compileGradient, type DataColumns } from "../compile/compile.js";
import type { CompileOptions } from "../compile/prepare.js";

export const DEFAULT_EPSILON = Math.cbrt(Number.EPSILON);
export const DEFAULT_TOLERANCE = 1e-5;

export interface FdComponent {
  readonly name: string;
  readonly analytic: number;
  readonly numeric: number;
  readonly absError: number;
  readonly relError: number;
  readonly pass: boolean;
}

/**
 * The central difference of `at` around x, with the step ε·max(1, |x|); divided by the actual
 * distance between the two sample points (x ± h rounded).
 */
export function centralDifference(at: (v: number) => number, x: number, epsilon: number): number {
  const h = epsilon * Math.max(1, Math.abs(x));
  const plus = x + h;
  const minus = x - h;
  return (at(plus) - at(minus)) / (plus - minus);
}

/** An analytic derivative against a numeric one: it passes within `tolerance`, absolute or relative. */
export function compareDerivative(name: string, analytic: number, numeric: number, tolerance: number): FdComponent {
  const absError = Math.abs(analytic - numeric);
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
  const relError = scale === 0 ? 0 : absError / scale;
  return { name, analytic, numeric, absError, relError, pass: absError <= tolerance || relError <= tolerance };
}

/** A check's result; matrix programs report components with their entry (MatrixFdComponent). */
export interface FdCheckResult<C extends FdComponent = FdComponent> {
  readonly value: number;
  readonly epsilon: number;
  readonly tolerance: number;
  readonly components: C[];
  readonly pass: boolean;
}

export interface FdCheckOptions extends CompileOptions {
  /** The point: one value per parameter. */
  readonly at: ArrayLike<number>;
  readonly dataColumns?: DataColumns;
  readonly epsilon?: number;
  readonly tolerance?: number;
}

export function finiteDifferenceCheck(input: Program | Expr, options: FdCheckOptions): FdCheckResult {
  const epsilon = options.epsilon ?? DEFAULT_EPSILON;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const f = compile(input, options);
  const fg = compileGradient(input, options);
  const x = Float64Array.from(options.at);
  const { value, gradient } = fg(x, options.dataColumns);
  const components = options.params.map((name, i): FdComponent => {
    const at = (v: number): number => {
      const moved = Float64Array.from(x);
      moved[i] = v;
      return f(moved, options.dataColumns);
    };
    return compareDerivative(name, gradient[i]!, centralDifference(at, x[i]!, epsilon), tolerance);
  });
  return { value, epsilon, tolerance, components, pass: components.every((c) => c.pass) };
}
