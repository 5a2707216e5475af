/**
 * Training by gradient descent with random restarts (sheet B3): every restart draws its
 * parameters from a seeded normal distribution, runs gradient descent on the compiled loss
 * gradient (with the stopping rule of sheet A3), and reports its final loss; the best restart
 * wins. The same seed gives the same restarts.
 */
import type { Expr } from "../ast/index.js";
import type { Program } from "../program/index.js";
import { DeriveError } from "../errors.js";
import { compile, compileGradient, type DataColumns } from "../compile/compile.js";
import type { Reduce } from "../compile/prepare.js";
import { gradientDescent, type StepSchedule } from "./descent.js";
import { toNumber } from "./exact.js";
import { createRandom } from "./random.js";

export interface TrainOptions {
  readonly params: readonly string[];
  readonly dataNames: readonly string[];
  readonly data: DataColumns;
  readonly reduce?: Reduce;
  readonly guard?: number;
  readonly restarts: number;
  readonly schedule: StepSchedule;
  readonly maxSteps: number;
  readonly tol?: number;
  readonly seed: number;
  /** Initial parameters ~ N(mean, sd²); default N(0, 1). */
  readonly init?: { readonly mean: number; readonly sd: number };
  /** Losses below it are marked (default 0.1). */
  readonly threshold?: number;
}

export interface Restart {
  /** 1-based. */
  readonly restart: number;
  readonly initial: number[];
  readonly params: number[];
  readonly loss: number;
  readonly steps: number;
  readonly stopped: "tol" | "max-steps";
  readonly below: boolean;
  /** The loss before the first step and after each step (losses[t] after t steps), for plots. */
  readonly losses: number[];
}

export interface TrainResult {
  readonly restarts: Restart[];
  /** Index into restarts of the lowest final loss. */
  readonly best: number;
  readonly threshold: number;
}

export function train(program: Program | Expr, options: TrainOptions): TrainResult {
  if (!Number.isInteger(options.restarts) || options.restarts < 1) throw new DeriveError(`restarts must be a whole number ≥ 1, got ${options.restarts}`);
  const threshold = options.threshold ?? 0.1;
  const fg = compileGradient(program, { params: options.params, data: options.dataNames, reduce: options.reduce, guard: options.guard });
  const random = createRandom(options.seed);
  const init = options.init ?? { mean: 0, sd: 1 };
  const objective = {
    at(x: readonly (number | { n: bigint; d: bigint })[]) {
      const r = fg(x.map(toNumber), options.data);
      return { value: r.value, gradient: Array.from(r.gradient) };
    },
  };
  const restarts: Restart[] = [];
  for (let k = 1; k <= options.restarts; k++) {
    const initial = options.params.map(() => random.normal(init.mean, init.sd));
    const run = gradientDescent(objective, initial, { schedule: options.schedule, maxSteps: options.maxSteps, tol: options.tol, table: true });
    const loss = toNumber(run.value);
    const losses = run.table.length === 0 ? [loss] : [toNumber(run.table[0]!.f), ...run.table.map((r) => toNumber(r.nextF))];
    restarts.push({ restart: k, initial, params: run.x.map(toNumber), loss, steps: run.steps, stopped: run.stopped, below: loss < threshold, losses });
  }
  let best = 0;
  restarts.forEach((r, i) => {
    if (!(r.loss >= restarts[best]!.loss)) best = i;
  });
  return { restarts, best, threshold };
}

export interface GridAxis {
  readonly name: string;
  readonly values: number[];
}

export interface GridPredictions {
  readonly axes: GridAxis[];
  /** Row-major: values[i][j] at (axes[0].values[i], axes[1].values[j]); nested one level per axis. */
  readonly values: unknown[];
}

/** Largest number of grid points evaluated. */
export const MAX_GRID_POINTS = 1_000_000;

/**
 * The value of `predict` (in params and the grid's variables) at every point of the grid, with the
 * given parameter values.
 */
export function gridPredictions(predict: Program | Expr, params: readonly string[], values: ArrayLike<number>, axes: readonly GridAxis[]): GridPredictions {
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_GRID_POINTS) throw new DeriveError(`the grid has ${total} points; at most ${MAX_GRID_POINTS} are evaluated`);
  const f = compile(predict, { params: [...params, ...axes.map((a) => a.name)] });
  const point = new Float64Array(params.length + axes.length);
  for (let i = 0; i < params.length; i++) point[i] = values[i]!;
  const fill = (depth: number): unknown[] => {
    const axis = axes[depth]!;
    return axis.values.map((v) => {
      point[params.length + depth] = v;
      return depth === axes.length - 1 ? f(point) : fill(depth + 1);
    });
  };
  return { axes: axes.map((a) => ({ name: a.name, values: a.values })), values: axes.length === 0 ? [f(point)] : fill(0) };
}
