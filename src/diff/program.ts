/**
 * Derivatives through a program's definitions (total derivatives), optionally written in terms of
 * intermediate names that are kept as symbols:
 *
 *   dE/dx = ∂E/∂x + Σ_{kept k} ∂E/∂k · dk/dx
 *
 * where each kept name's total derivative dk/dx comes the same way from its definition, in
 * dependency order. Local derivatives are rewritten in kept names: differentiating `f = sigmoid(u)`
 * gives sigmoid(u)(1 - sigmoid(u)), and sigmoid(u) is the body of f, so it becomes f (1 - f).
 * A variable reached along several paths gets the sum over the paths.
 */
import { ZERO, add, mul, substitute, sym, freeSymbols, type Expr } from "../ast/index.js";
import { dependencyOrder, expandedDefinitions, valueDefinitions, type Program } from "../program/index.js";
import { simplify } from "../simplify/index.js";
import { DeriveError } from "../errors.js";
import { differentiate } from "./differentiate.js";
import type { ProgramDiffOptions } from "./types.js";

/** What total derivatives through one program need, prepared once for a set of kept names. */
class ProgramContext {
  /** Kept name → its body in inputs and other kept names. */
  readonly kept = new Map<string, Expr>();
  /** Kept bodies (and their simplified forms) → the kept name's symbol. */
  private readonly toNames = new Map<Expr, Expr>();
  /** The expression being differentiated, in inputs and kept names. */
  readonly target: Expr;
  /** Memo: wrt → kept name → d(name)/d(wrt). */
  private readonly totals = new Map<string, Map<string, Expr>>();

  constructor(
    program: Program,
    keepOption: ProgramDiffOptions["keep"],
    /** A defined name differentiated against: it stands for itself (its definition is cut). */
    readonly cut: ReadonlySet<string>,
    private readonly raw: boolean,
  ) {
    const defs = valueDefinitions(program);
    const targetName = program.targetName ?? (program.target.kind === "sym" && defs.has(program.target.name) ? program.target.name : undefined);
    const keep = new Set<string>(keepOption === "all" ? [...defs.keys()].filter((n) => n !== targetName) : keepOption ?? []);
    for (const n of keep) if (!defs.has(n)) throw new DeriveError(`cannot keep ${n}: it is not a defined name`);
    for (const n of cut) keep.add(n);
    const expanded = expandedDefinitions(program, keep);
    for (const name of dependencyOrder(program)) {
      if (!keep.has(name) || cut.has(name)) continue;
      const body = expanded.get(name)!;
      this.kept.set(name, body);
      this.nameBody(name, body);
    }
    // the target in inputs and kept names; a target that is a defined name stands for its body
    let target = program.target;
    if (target.kind === "sym" && defs.has(target.name) && !cut.has(target.name)) {
      const name = target.name;
      target = this.kept.get(name) ?? expanded.get(name)!;
      // with names kept, the target's own definition is written as its name too:
      // ∂f_out/∂f_in = f_out (1 - f_out)
      if (keepOption === "all" || keep.has(name)) this.nameBody(name, target);
    } else {
      const replacements = new Map<Expr, Expr>();
      for (const [name, body] of expanded) if (!keep.has(name)) replacements.set(sym(name), body);
      target = substitute(target, replacements);
    }
    this.target = target;
  }

  /** Records that `body` (and its simplified form, which the simplifier may rebuild) is written `name`. */
  private nameBody(name: string, body: Expr): void {
    for (const form of [body, simplify(body)]) {
      if (form.kind !== "sym" && form.kind !== "num" && !this.toNames.has(form)) this.toNames.set(form, sym(name));
    }
  }

  /** Writes kept bodies as their names. */
  named(e: Expr): Expr {
    return this.toNames.size === 0 ? e : substitute(e, this.toNames);
  }

  /** ∂e/∂x holding kept names fixed, rewritten in kept names. */
  private partial(e: Expr, x: string): Expr {
    return this.named(differentiate(e, x));
  }

  /**
   * d(kept name)/d(wrt) for every kept name, computed once per wrt in dependency order (each from
   * the ones before it), so long chains of definitions need no recursion.
   */
  private keptTotals(wrt: string): Map<string, Expr> {
    let byName = this.totals.get(wrt);
    if (byName) return byName;
    byName = new Map();
    this.totals.set(wrt, byName);
    for (const [name, body] of this.kept) byName.set(name, this.totalWith(body, wrt, byName));
    return byName;
  }

  /** de/dwrt through the kept names (e is written in inputs and kept names). */
  total(e: Expr, wrt: string): Expr {
    return this.totalWith(e, wrt, this.keptTotals(wrt));
  }

  private totalWith(e: Expr, wrt: string, keptTotals: ReadonlyMap<string, Expr>): Expr {
    const terms: Expr[] = [this.partial(e, wrt)];
    for (const s of freeSymbols(e)) {
      const inner = keptTotals.get(s.name);
      if (inner === undefined || inner === ZERO) continue;
      terms.push(mul(this.partial(e, s.name), inner));
    }
    const out = add(...terms);
    return this.raw ? out : this.finish(out);
  }

  /** Simplified, with kept bodies the simplifier may have rebuilt written as names again. */
  finish(e: Expr): Expr {
    let out = simplify(this.named(e));
    for (let i = 0; i < 3; i++) {
      const again = this.named(out);
      if (again === out) break;
      out = simplify(again);
    }
    return out;
  }
}

function cutNames(program: Program, wrt: readonly string[]): Set<string> {
  const defs = valueDefinitions(program);
  return new Set(wrt.filter((w) => defs.has(w)));
}

/**
 * The total derivative of the program's target with respect to `wrt` (an input, or a defined name,
 * which then counts as an independent variable: ∂L/∂f_out). Simplified unless `raw`.
 */
export function differentiateProgram(program: Program, wrt: string, options: ProgramDiffOptions = {}): Expr {
  const ctx = new ProgramContext(program, options.keep, cutNames(program, [wrt]), options.raw ?? false);
  return ctx.total(ctx.target, wrt);
}

/** ∇ of the target, one entry per name of `wrt` (default: the program's variables in order of appearance). */
export function gradient(program: Program, wrt: readonly string[] = program.variables, options: ProgramDiffOptions = {}): Expr[] {
  const ctx = new ProgramContext(program, options.keep, cutNames(program, wrt), options.raw ?? false);
  return wrt.map((w) => ctx.total(ctx.target, w));
}

/** Matrix of second derivatives (symmetric; the upper triangle is computed once and mirrored). */
export function hessian(program: Program, wrt: readonly string[] = program.variables, options: ProgramDiffOptions = {}): Expr[][] {
  const ctx = new ProgramContext(program, options.keep, cutNames(program, wrt), options.raw ?? false);
  const first = wrt.map((w) => ctx.total(ctx.target, w));
  const h: Expr[][] = wrt.map(() => new Array<Expr>(wrt.length).fill(ZERO));
  for (let i = 0; i < wrt.length; i++) {
    for (let j = i; j < wrt.length; j++) {
      const d = ctx.total(first[i]!, wrt[j]!);
      h[i]![j] = d;
      h[j]![i] = d;
    }
  }
  return h;
}

