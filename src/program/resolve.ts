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

/** Names in dependency order (a definition after everything it uses); throws on a cycle.
 * Iterative depth-first search: a program of 100k chained definitions must not overflow. */
export function dependencyOrder(program: Program): string[] {
  const defs = valueDefinitions(program);
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const uses = (name: string): string[] =>
    freeSymbols(defs.get(name)!.body)
      .map((s) => s.name)
      .filter((n) => defs.has(n));
  for (const root of defs.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const pending: string[][] = [uses(root)];
    state.set(root, "visiting");
    while (path.length > 0) {
      const next = pending[pending.length - 1]!.pop();
      if (next === undefined) {
        const done = path.pop()!;
        pending.pop();
        state.set(done, "done");
        order.push(done);
        continue;
      }
      const s = state.get(next);
      if (s === "done") continue;
      if (s === "visiting") {
        const names = [...path.slice(path.indexOf(next)), next];
        const cycle = names.length > 12 ? [...names.slice(0, 3), "…", ...names.slice(-3)].join(" → ") + ` (${names.length - 1} definitions)` : names.join(" → ");
        throw new DeriveError(`definitions form a cycle: ${cycle}`, defs.get(next)!.position);
      }
      state.set(next, "visiting");
      path.push(next);
      pending.push(uses(next));
    }
  }
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
