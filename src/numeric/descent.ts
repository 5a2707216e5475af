/**
 * Gradient descent as the exercise sheets do it, with the iteration table.
 *
 * Step schedules: a constant (`0.1`), any formula in the iteration number t (`0.1/sqrt(t)`,
 * `alpha/t` with alpha given), or an explicit list (`1/2, 1/3, 1/4`: step t is the t-th entry).
 *
 * The stopping rule (sheet A3): after each update compare the new value with the previous one;
 * stop, keeping the new point, when the decrease f(x_old) - f(x_new) is below the threshold.
 * Otherwise stop after the maximum number of steps.
 *
 * Exactness: where the start point, the fixed values and the steps are rational and the gradient
 * stays rational, every number is an exact rational (sheet A2's table is integers); the first
 * irrational value (a step 0.1/sqrt(2), an exp) turns the run into doubles from there on.
 */
import { freeSymbols, sym, substitute, num, type Expr, type Rational } from "../ast/index.js";
import { lookupConstant } from "../functions/index.js";
import { gradient as symbolicGradient } from "../diff/index.js";
import { inline, type Program } from "../program/index.js";
import { parseExpression } from "../parse/index.js";
import { DeriveError } from "../errors.js";
import { splitTopLevel } from "../parse/assignments.js";
import { compileGradient, type DataColumns } from "../compile/compile.js";
import { exactValue, isExact, mul, sub, toNumber, valueWith, type Scalar } from "./exact.js";

export interface StepSchedule {
  /** The step at iteration t (1-based). */
  at(t: number): Scalar;
  /** Number of entries of an explicit list. */
  readonly length?: number;
  readonly text: string;
}

/** A constant expression's value (exact when rational). */
export function constantValue(text: string, what: string): Scalar {
  let e: Expr;
  try {
    e = parseExpression(text);
  } catch (err) {
    if (err instanceof DeriveError) throw new DeriveError(`${what} "${text}": ${err.message}`);
    throw err;
  }
  const free = freeSymbols(e).filter((s) => !lookupConstant(s.name));
  if (free.length > 0) throw new DeriveError(`${what} "${text}" must be a number, but it mentions ${free.map((s) => s.name).join(", ")}`);
  return exactValue(e);
}

/**
 * Parses a step schedule: a list `a, b, c` or one formula in t. `alpha`, when given, is
 * substituted for the name alpha in the formula.
 */
export function parseSchedule(text: string, alpha?: Scalar): StepSchedule {
  const parts = splitTopLevel(text);
  if (parts.some((p) => p.length === 0)) throw new DeriveError(`step schedule "${text}": empty entry`);
  if (parts.length > 1) {
    const steps = parts.map((p) => constantValue(p, "step"));
    return { at: (t) => steps[t - 1]!, length: steps.length, text };
  }
  let e: Expr;
  try {
    e = parseExpression(text);
  } catch (err) {
    if (err instanceof DeriveError) throw new DeriveError(`step schedule "${text}": ${err.message}`);
    throw err;
  }
  if (alpha !== undefined) e = substitute(e, new Map([[sym("alpha"), num(alpha)]]));
  const free = freeSymbols(e).filter((s) => s.name !== "t" && !lookupConstant(s.name));
  if (free.length > 0) {
    const names = free.map((s) => s.name).join(", ");
    throw new DeriveError(`step schedule "${text}" may only use the iteration number t${alpha === undefined ? " (and alpha, given --alpha)" : ""}, not ${names}`);
  }
  const t = sym("t");
  return { at: (k) => exactValue(substitute(e, new Map([[t, num(k)]]))), text };
}

export interface Evaluation {
  readonly value: Scalar;
  readonly gradient: Scalar[];
}

/** What descent minimises: value and gradient at a point. */
export interface Objective {
  at(x: readonly Scalar[]): Evaluation;
}

export interface DescentRow {
  readonly t: number;
  readonly x: Scalar[];
  readonly f: Scalar;
  readonly gradient: Scalar[];
  readonly step: Scalar;
  readonly next: Scalar[];
  /** f at the next point, and the decrease f(x) - f(next). */
  readonly nextF: Scalar;
}

export interface DescentOptions {
  readonly schedule: StepSchedule;
  readonly maxSteps: number;
  /** Stop when f(x_old) - f(x_new) < tol (after the update, keeping the new point). */
  readonly tol?: number;
  /** Record the iteration table. */
  readonly table?: boolean;
}

export interface DescentResult {
  readonly x: Scalar[];
  readonly value: Scalar;
  readonly gradient: Scalar[];
  readonly steps: number;
  /** Why it stopped: the decrease fell below tol, or the steps ran out. */
  readonly stopped: "tol" | "max-steps";
  readonly table: DescentRow[];
}

export function gradientDescent(objective: Objective, start: readonly Scalar[], options: DescentOptions): DescentResult {
  const { schedule, maxSteps, tol } = options;
  if (!Number.isInteger(maxSteps) || maxSteps < 0) throw new DeriveError(`the maximum number of steps must be a whole number ≥ 0, got ${maxSteps}`);
  if (schedule.length !== undefined && maxSteps > schedule.length) {
    throw new DeriveError(`the step list has ${schedule.length} entries but ${maxSteps} steps were asked for`);
  }
  let x = [...start];
  let current = objective.at(x);
  const table: DescentRow[] = [];
  let steps = 0;
  let stopped: DescentResult["stopped"] = "max-steps";
  for (let t = 1; t <= maxSteps; t++) {
    const step = schedule.at(t);
    if (!Number.isFinite(toNumber(step))) throw new DeriveError(`the step at t = ${t} is not a finite number`);
    const next = x.map((xi, i) => sub(xi, mul(step, current.gradient[i]!)));
    const after = objective.at(next);
    if (options.table) table.push({ t, x, f: current.value, gradient: current.gradient, step, next, nextF: after.value });
    steps = t;
    const decrease = toNumber(current.value) - toNumber(after.value);
    x = next;
    current = after;
    if (tol !== undefined && !(decrease >= tol)) {
      stopped = "tol";
      break;
    }
  }
  return { x, value: current.value, gradient: current.gradient, steps, stopped, table };
}

export interface ProgramObjectiveOptions {
  /** The variables descended on, in order. */
  readonly params: readonly string[];
  /** Values of the program's other variables. */
  readonly values?: ReadonlyMap<string, Scalar>;
  /** Data columns (the objective is then the mean or sum over the rows; always in doubles). */
  readonly data?: DataColumns;
  readonly dataNames?: readonly string[];
  readonly reduce?: "mean" | "sum";
  readonly guard?: number;
}

/**
 * The program's target as an objective: exact (symbolic gradient, simplified, with rationals
 * substituted) at points where every value is rational; compiled reverse mode otherwise.
 */
export function programObjective(program: Program, options: ProgramObjectiveOptions): Objective {
  const params = options.params;
  const values = options.values ?? new Map<string, Scalar>();
  const floatValues = new Map<string, number>();
  for (const [k, v] of values) floatValues.set(k, toNumber(v));
  const hasData = (options.dataNames ?? []).length > 0;
  const compiled = compileGradient(program, {
    params,
    data: options.dataNames,
    reduce: options.reduce,
    values: floatValues,
    guard: options.guard,
  });
  const numeric = (x: readonly Scalar[]): Evaluation => {
    const r = compiled(x.map(toNumber), options.data);
    return { value: r.value, gradient: Array.from(r.gradient) };
  };
  if (hasData || options.guard !== undefined || ![...values.values()].every(isExact)) return { at: numeric };
  let symbolic: { target: Expr; gradient: Expr[] } | undefined;
  return {
    at(x) {
      if (!x.every(isExact)) return numeric(x);
      symbolic ??= { target: inline(program), gradient: symbolicGradient(program, params).map((g) => inline(program, g)) };
      const point = new Map<string, Rational>();
      for (const [k, v] of values) point.set(k, v as Rational);
      params.forEach((p, i) => point.set(p, x[i] as Rational));
      return { value: valueWith(symbolic.target, point), gradient: symbolic.gradient.map((g) => valueWith(g, point)) };
    },
  };
}
