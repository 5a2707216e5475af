/** Small helpers shared by the registry entries. */
import { add, neg, type Call, type Expr, type FunctionDef } from "./deps.js";

/** -e with the sign distributed over a sum's terms: -(a - b) is b - a (the canonical negation of a sum). */
export const negated = (e: Expr): Expr => (e.kind === "add" ? add(...e.args.map(neg)) : neg(e));

/** The single argument of a unary call. */
export const arg0 = (self: Call): Expr => self.args[0]!;

/** `(a)` with plain parentheses for an atom, `\left(a\right)` for anything taller. */
export function latexParen(a: string): string {
  return /^[A-Za-z0-9.]+$|^\\[A-Za-z]+$|^[A-Za-z]_\{[^{}]*\}$/.test(a) ? `(${a})` : `\\left(${a}\\right)`;
}

/** LaTeX for `\name(arg)` or `\operatorname{name}(arg)`. */
export const latexApply = (head: string) => (args: readonly string[]): string =>
  `${head}${latexParen(args.join(", "))}`;

/** Unary function entry with sane defaults: real domain, `Math.<name>` code. */
export function unary(def: Omit<FunctionDef, "arity" | "aliases" | "js"> & Partial<Pick<FunctionDef, "aliases" | "js">>): FunctionDef {
  return {
    aliases: [],
    js: (args) => `Math.${def.name}(${args[0]})`,
    ...def,
    arity: 1,
  };
}
