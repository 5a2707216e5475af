/** Placeholder symbols for derivative operators, and what a line with them is worth. */
import { freeSymbols, substitute, sym, type Expr, type Sym } from "../ast/index.js";
import { differentiate } from "../diff/index.js";
import { inline, valueDefinitions, type Program } from "../program/index.js";
import type { Operator } from "./types.js";

export const PLACEHOLDER_PREFIX = "zzdop";
const PLACEHOLDER = /^zzdop\d+$/;

export const isPlaceholder = (s: Sym): boolean => PLACEHOLDER.test(s.name);

/** Hands out one placeholder per distinct operator (the same d/dx(u) is the same symbol). */
export class Placeholders {
  readonly operators = new Map<string, Operator>();
  private readonly byKey = new Map<string, Sym>();

  get(of: Expr, wrt: string, scope: Operator["scope"] = "total", notation: Operator["notation"] = "d"): Sym {
    const key = `${of.id}|${wrt}|${scope}|${notation}`;
    let s = this.byKey.get(key);
    if (!s) {
      s = sym(`${PLACEHOLDER_PREFIX}${this.byKey.size + 1}`);
      this.byKey.set(key, s);
      this.operators.set(s.name, { kind: "derivative", of, wrt, scope, notation });
    }
    return s;
  }

  /** A symbol standing for `of` held together in parentheses (see Operator). */
  group(of: Expr): Sym {
    const key = `${of.id}|group`;
    let s = this.byKey.get(key);
    if (!s) {
      s = sym(`${PLACEHOLDER_PREFIX}${this.byKey.size + 1}`);
      this.byKey.set(key, s);
      this.operators.set(s.name, { kind: "group", of, wrt: "", scope: "total", notation: "d" });
    }
    return s;
  }

  operator(s: Sym): Operator | undefined {
    return this.operators.get(s.name);
  }

  /** Placeholders occurring in e. */
  in(e: Expr): Sym[] {
    return freeSymbols(e).filter((s) => this.operators.has(s.name));
  }
}

/**
 * A displayed expression as a plain expression in the program's inputs: every operator carried
 * out (by `differentiate`) and every defined name inlined. Used to check that consecutive lines
 * are equal.
 */
export function resolveLine(e: Expr, operators: ReadonlyMap<string, Operator>, program: Program): Expr {
  const defs = valueDefinitions(program);
  const replacements = new Map<Expr, Expr>();
  for (const s of freeSymbols(e)) {
    const op = operators.get(s.name);
    if (!op) continue;
    let d: Expr;
    if (op.kind === "group") d = op.of;
    else if (op.scope === "local" && op.of.kind === "sym" && defs.has(op.of.name)) d = inline(program, differentiate(defs.get(op.of.name)!.body, op.wrt));
    // a defined variable is held fixed (∂L/∂f_in: L written in f_in, then differentiated)
    else d = differentiate(inline(program, op.of, defs.has(op.wrt) ? new Set([op.wrt]) : new Set()), op.wrt);
    replacements.set(s, d);
  }
  return inline(program, substitute(e, replacements));
}
