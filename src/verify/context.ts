/**
 * What a derivation knows while it is checked: definitions (`z = w x + b`, `f(x1, x2) = …`),
 * given values (`w1 = 0.25`) and the numbers already written rounded in earlier steps (whose
 * rounding later steps may carry along).
 */
import { freeSymbols, substitute, sym, Q, type Expr, type Rational } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { lookupConstant } from "../functions/index.js";

export interface FunctionDefinition {
  readonly params: readonly string[];
  readonly body: Expr;
}

export class Context {
  /** name → body (other defined names left as symbols). */
  readonly defs = new Map<string, Expr>();
  /** User functions: name → parameters and body. */
  readonly functions = new Map<string, FunctionDefinition>();
  /** Names with a constant value (given, or defined as a constant): substituted last. */
  readonly values = new Map<string, Expr>();
  /** Text-syntax definition lines, so later text claims parse with them (user functions). */
  readonly source: string[] = [];
  /** The names of each definition's body in order of first appearance as written (∇'s variable order). */
  readonly written = new Map<string, readonly string[]>();
  /** Values written rounded in earlier steps, with their number of decimals. */
  readonly rounded = new Map<string, number>();
  /** Definitions as formula-language lines (`z_i = Σ_{k=1}^{d} w_ik x_k + b_i`), for index programs (index-sums.ts). */
  readonly indexSource: string[] = [];
  /** Names only index programs know: defined with a sum up to a symbolic bound. */
  readonly indexOnly = new Set<string>();

  /** A copy whose changes (values for a sum's bound) do not reach this context. */
  fork(): Context {
    const c = new Context();
    for (const [k, v] of this.defs) c.defs.set(k, v);
    for (const [k, v] of this.functions) c.functions.set(k, v);
    for (const [k, v] of this.values) c.values.set(k, v);
    for (const [k, v] of this.rounded) c.rounded.set(k, v);
    for (const [k, v] of this.written) c.written.set(k, v);
    c.source.push(...this.source);
    c.indexSource.push(...this.indexSource);
    for (const n of this.indexOnly) c.indexOnly.add(n);
    return c;
  }

  isDefined(name: string): boolean {
    return this.defs.has(name) || this.values.has(name) || this.functions.has(name);
  }

  /** Adds `name = body`: a value when the body is constant after inlining, else a definition. */
  define(name: string, body: Expr): void {
    const inlined = this.inline(body);
    if (freeSymbols(inlined).every((s) => isConstantName(s.name))) this.values.set(name, inlined);
    else this.defs.set(name, body);
  }

  defineFunction(name: string, params: readonly string[], body: Expr): void {
    this.functions.set(name, { params, body });
  }

  /** e with every definition replaced by its body, except the names in `keep`. */
  inline(e: Expr, keep: ReadonlySet<string> = new Set()): Expr {
    const replacements = new Map<Expr, Expr>();
    for (const [name, body] of this.defs) if (!keep.has(name)) replacements.set(sym(name), body);
    // a function's bare name stands for its body in its own parameters (∂f/∂x1 for f(x1, x2) = …)
    for (const [name, f] of this.functions) if (!keep.has(name)) replacements.set(sym(name), f.body);
    if (replacements.size === 0) return e;
    let current = e;
    for (let i = 0; i < 64; i++) {
      const next = substitute(current, replacements);
      if (next === current) return current;
      current = next;
    }
    throw new DeriveError("the definitions refer to each other in a cycle");
  }

  /** e with the given values substituted (after differentiation). */
  withValues(e: Expr, keep: ReadonlySet<string> = new Set()): Expr {
    const replacements = new Map<Expr, Expr>();
    for (const [name, value] of this.values) if (!keep.has(name)) replacements.set(sym(name), value);
    return replacements.size === 0 ? e : substitute(e, replacements);
  }

  /** Remembers a value written rounded to `decimals` places. */
  noteRounded(value: Rational, decimals: number): void {
    if (decimals > 0) this.rounded.set(key(value), decimals);
  }

  /** Decimals to which `value` was written rounded earlier, if it was. */
  roundedDecimals(value: Rational): number | undefined {
    return this.rounded.get(key(value)) ?? this.rounded.get(key(Q.neg(value)));
  }
}

const key = (r: Rational): string => `${r.n}/${r.d}`;

/** pi and e are constants, not variables. */
export const isConstantName = (name: string): boolean => lookupConstant(name) !== undefined;
