/**
 * Compiled numeric evaluators: JavaScript functions generated from the expression DAG and built
 * with `new Function` over that generated text only. Inputs arrive in arrays by index (`p[0]`,
 * `cols[1][i]`); generated variables are `v0, v1, …` (values) and `g0, g1, …` (adjoints); no
 * identifier from the input ever appears in the code.
 *
 *   const f = compileGradient(program, { params: ["b1", …], data: ["x1", "x2", "y"], reduce: "mean" });
 *   const { value, gradient } = f(new Float64Array([…]), { x1, x2, y });
 */
import type { Expr } from "../ast/index.js";
import type { Program } from "../program/index.js";
import { DeriveError } from "../errors.js";
import { generate, type Generated } from "./generate.js";
import { javascript } from "./languages.js";
import { prepare, type CompileOptions, type Prepared } from "./prepare.js";

export type DataColumns = Readonly<Record<string, ArrayLike<number>>> | ReadonlyMap<string, ArrayLike<number>>;

export interface ValueAndGradient {
  readonly value: number;
  readonly gradient: Float64Array;
}

interface CompiledInfo {
  /** The generated JavaScript (the body of the function). */
  readonly source: string;
  readonly params: readonly string[];
  readonly data: readonly string[];
}

export type ValueFunction = ((params: ArrayLike<number>, data?: DataColumns) => number) & CompiledInfo;
export type GradientFunction = ((params: ArrayLike<number>, data?: DataColumns) => ValueAndGradient) & CompiledInfo;

type Kernel = (p: ArrayLike<number>, cols: ArrayLike<number>[], n: number, out: Float64Array) => number;

function column(data: DataColumns | undefined, name: string): ArrayLike<number> {
  let col: ArrayLike<number> | undefined;
  if (data instanceof Map) col = data.get(name);
  else if (data && Object.prototype.hasOwnProperty.call(data, name)) col = (data as Record<string, ArrayLike<number>>)[name];
  if (col === undefined || col === null || typeof col.length !== "number") throw new DeriveError(`no data column ${name}`);
  return col;
}

function columnsOf(prepared: Prepared, data: DataColumns | undefined): { cols: ArrayLike<number>[]; n: number } {
  const cols = prepared.data.map((name) => column(data, name));
  const n = cols.length > 0 ? cols[0]!.length : 1;
  cols.forEach((c, i) => {
    if (c.length !== n) throw new DeriveError(`data columns differ in length: ${prepared.data[0]} has ${n} rows, ${prepared.data[i]} has ${c.length}`);
  });
  if (cols.length > 0 && n === 0 && prepared.reduce === "mean") throw new DeriveError("the mean over no data rows is undefined: the data columns are empty");
  return { cols, n };
}

/** Assembles the JavaScript body: columns, pre, the row loop, post, outputs. */
function assemble(prepared: Prepared, g: Generated, withGradient: boolean): string {
  const batched = prepared.data.length > 0;
  const mean = prepared.reduce === "mean";
  const lines: string[] = ['"use strict";'];
  prepared.data.forEach((_, j) => lines.push(`const c${j} = cols[${j}];`));
  lines.push(...g.pre);
  let value: string;
  if (batched) {
    if (g.rootPerRow) lines.push("let s = 0;");
    lines.push("for (let i = 0; i < n; i++) {");
    for (const l of g.rows) lines.push(`  ${l}`);
    if (g.rootPerRow) lines.push(`  s += ${g.value};`);
    lines.push("}");
    value = g.rootPerRow ? (mean ? "s / n" : "s") : mean ? g.value : `${g.value} * n`;
  } else value = g.value;
  lines.push(...g.post);
  if (withGradient) {
    const scale = batched && mean ? " / n" : "";
    g.gradient.forEach((a, k) => lines.push(`out[${k}] = ${a === undefined ? "0" : `${a}${scale}`};`));
  }
  lines.push(`return ${value};`);
  return lines.join("\n");
}

function build(input: Program | Expr, options: CompileOptions, withGradient: boolean): { prepared: Prepared; source: string; kernel: Kernel } {
  const prepared = prepare(input, options);
  let values = 0;
  let adjoints = 0;
  const g = generate(
    javascript,
    {
      input(_node, binding) {
        const name = `v${values++}`;
        if (binding.kind === "param") return { code: name, load: `const ${name} = p[${binding.index}];` };
        if (binding.kind === "data") return { code: name, load: `const ${name} = c${binding.index}[i];` };
        throw new Error("internal: fixed inputs are not compiled");
      },
      name: (_node, role) => (role === "value" ? `v${values++}` : `g${adjoints++}`),
      reduceInto: (target, expr) => `${target} += ${expr};`,
    },
    { root: prepared.root, inputs: prepared.inputs, gradient: withGradient, rows: prepared.data.length > 0, rowCount: "n", rowSeed: "1" },
  );
  const source = assemble(prepared, g, withGradient);
  // The only dynamic code: text generated above from the AST, with inputs read by index.
  const kernel = new Function("p", "cols", "n", "out", source) as Kernel;
  return { prepared, source, kernel };
}

function checkParams(prepared: Prepared, params: ArrayLike<number>): void {
  if (params === null || params === undefined || typeof params.length !== "number") throw new DeriveError("parameters must be an array of numbers");
  if (params.length !== prepared.params.length) {
    throw new DeriveError(`expected ${prepared.params.length} parameter value${prepared.params.length === 1 ? "" : "s"} (${prepared.params.join(", ")}), got ${params.length}`);
  }
}

const EMPTY = new Float64Array(0);

/**
 * The value of the program's target as a function of the parameters (and, with `data`, reduced
 * over the rows of the data columns by mean or sum).
 */
export function compile(input: Program | Expr, options: CompileOptions): ValueFunction {
  const { prepared, source, kernel } = build(input, options, false);
  const f = (params: ArrayLike<number>, data?: DataColumns): number => {
    checkParams(prepared, params);
    const { cols, n } = columnsOf(prepared, data);
    return kernel(params, cols, n, EMPTY);
  };
  return Object.assign(f, { source, params: prepared.params, data: prepared.data });
}

/**
 * Value and gradient (with respect to `params`, in that order) in one reverse-mode sweep: the
 * whole gradient costs a small constant times one evaluation.
 */
export function compileGradient(input: Program | Expr, options: CompileOptions): GradientFunction {
  const { prepared, source, kernel } = build(input, options, true);
  const f = (params: ArrayLike<number>, data?: DataColumns): ValueAndGradient => {
    checkParams(prepared, params);
    const { cols, n } = columnsOf(prepared, data);
    const gradient = new Float64Array(prepared.params.length);
    const value = kernel(params, cols, n, gradient);
    return { value, gradient };
  };
  return Object.assign(f, { source, params: prepared.params, data: prepared.data });
}
