/**
 * Resolving a program's definitions: dependency order, cycle detection, and inlining. Function
 * definitions `f(x) = …` are expanded where they are applied by the parser; what reaches here
 * are plain definitions `name = body` (a function definition's body stands for itself).
 */
import { substitute, sym, freeSymbols, type Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import type { Definition, Program } from "./types.js";

/** Definitions that are plain values (no parameters), by name. */
export function valueDefinitions(program: Program): Map<string, Definition> {
  const out = new Map<string, Definition>();
  for (const d of program.definitions) if (d.params.length === 0) out.set(d.name, d);
  return out;
}

/** Names in dependency order (a definition after everything it uses); throws on a cycle. */
export function dependencyOrder(program: Program): string[] {
  const defs = valueDefinitions(program);
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === "done") return;
    const def = defs.get(name)!;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name].join(" → ");
      throw new DeriveError(`definitions form a cycle: ${cycle}`, def.position);
    }
    state.set(name, "visiting");
    for (const s of freeSymbols(def.body)) if (defs.has(s.name)) visit(s.name, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of defs.keys()) visit(name, []);
  return order;
}

/**
 * Each defined name's expression in terms of the inputs, except names in `keep`, which stay
 * symbols (so `∂L/∂c` can be written with f kept). Expansions share structure (a DAG).
 */
export function expandedDefinitions(program: Program, keep: ReadonlySet<string> = new Set()): Map<string, Expr> {
  const defs = valueDefinitions(program);
  const replacements = new Map<Expr, Expr>();
  const expanded = new Map<string, Expr>();
  for (const name of dependencyOrder(program)) {
    const body = substitute(defs.get(name)!.body, replacements);
    expanded.set(name, body);
    if (!keep.has(name)) replacements.set(sym(name), body);
  }
  return expanded;
}

/** An expression with every defined name not in `keep` replaced by its definition. */
export function inline(program: Program, e: Expr = program.target, keep: ReadonlySet<string> = new Set()): Expr {
  const expanded = expandedDefinitions(program, keep);
  const replacements = new Map<Expr, Expr>();
  for (const [name, body] of expanded) if (!keep.has(name)) replacements.set(sym(name), body);
  return substitute(e, replacements);
}

/** A program holding just one expression. */
export function expressionProgram(e: Expr, variables: readonly string[] = freeSymbols(e).map((s) => s.name)): Program {
  return { definitions: [], target: e, variables };
}
