/**
 * From a program (or expression) and the caller's roles for its names to the expression the code
 * generator sees: inlined, fixed values substituted, logs rewritten (stable forms or the guard),
 * σ and softplus lowered; and the input table. Every name is checked here, with readable errors,
 * so nothing the user typed reaches generated code except through an input index.
 */
import { freeSymbols, num, substitute, sym, type Expr } from "../ast/index.js";
import { lookupConstant } from "../functions/index.js";
import { inline, type Program } from "../program/index.js";
import { DeriveError } from "../errors.js";
import type { InputBinding, InputKind } from "./generate.js";
import { lowerPrimitives, rewriteLogs } from "./lower.js";

export type Reduce = "mean" | "sum";

export interface CompileOptions {
  /** Names of the parameters: the gradient's components, in this order (read from `params[i]`). */
  readonly params: readonly string[];
  /** Names of data columns: the result is reduced over their rows. None: evaluation at a point. */
  readonly data?: readonly string[];
  /** How rows combine (default "mean"). */
  readonly reduce?: Reduce;
  /** Fixed values for other names, substituted as constants. */
  readonly values?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Added inside every log, as the sheets do (`log(p + 1e-15)`); turns off the stable forms. */
  readonly guard?: number;
  /** Rewrite log(σ(u)), log(1 - σ(u)), log(1 + exp(u)) as softplus forms (default true). */
  readonly stable?: boolean;
}

export interface Prepared {
  readonly root: Expr;
  readonly inputs: Map<string, InputBinding>;
  readonly params: readonly string[];
  readonly data: readonly string[];
  readonly fixed: readonly string[];
  readonly reduce: Reduce;
}

const isProgram = (x: Program | Expr): x is Program => (x as Program).definitions !== undefined;

function entries(values: CompileOptions["values"]): Array<[string, number]> {
  if (values === undefined) return [];
  if (values instanceof Map) return [...values];
  return Object.keys(values).map((k) => [k, (values as Record<string, number>)[k]!]);
}

/** The program's target with every definition inlined (an expression is taken as it is). */
export const targetOf = (input: Program | Expr): Expr => (isProgram(input) ? inline(input) : input);

/**
 * Checks the roles and builds the input table. `fixed` names (code generation only) are scalar
 * inputs that are not differentiated.
 */
export function prepare(input: Program | Expr, options: CompileOptions, fixed: readonly string[] = []): Prepared {
  const params = [...options.params];
  const data = [...(options.data ?? [])];
  const reduce = options.reduce ?? "mean";
  if (reduce !== "mean" && reduce !== "sum") throw new DeriveError(`reduce must be "mean" or "sum", got "${String(reduce)}"`);
  const inputs = new Map<string, InputBinding>();
  const bind = (names: readonly string[], kind: InputKind): void => {
    names.forEach((name, index) => {
      if (typeof name !== "string" || name.length === 0) throw new DeriveError(`empty ${kind} name`);
      const before = inputs.get(name);
      if (before) {
        throw new DeriveError(before.kind === kind ? `${name} is listed twice as a ${kind}` : `${name} cannot be both a ${before.kind} and a ${kind}`);
      }
      inputs.set(name, { kind, index });
    });
  };
  bind(params, "param");
  bind(data, "data");
  bind(fixed, "fixed");

  let root = targetOf(input);
  const replacements = new Map<Expr, Expr>();
  for (const [name, value] of entries(options.values)) {
    if (inputs.has(name)) throw new DeriveError(`${name} is given a fixed value but is also a ${inputs.get(name)!.kind}`);
    if (!Number.isFinite(value)) throw new DeriveError(`the value of ${name} is not a finite number`);
    replacements.set(sym(name), num(value));
  }
  root = substitute(root, replacements);

  const missing = freeSymbols(root)
    .map((s) => s.name)
    .filter((n) => !inputs.has(n) && !lookupConstant(n));
  if (missing.length > 0) {
    throw new DeriveError(
      `no value for ${missing.length === 1 ? "variable" : "variables"} ${missing.join(", ")}: give ${missing.length === 1 ? "it" : "each"} as a parameter, a data column or a fixed value`,
    );
  }
  root = lowerPrimitives(rewriteLogs(root, { guard: options.guard, stable: options.stable }));
  return { root, inputs, params, data, fixed, reduce };
}
