/**
 * Code generation from the expression DAG, in reverse mode.
 *
 * Forward sweep: every distinct node (the AST is hash-consed, so a shared subexpression is one
 * object) is computed once into its own variable, children first. Backward sweep: nodes in reverse
 * order, each propagating its adjoint ∂(result)/∂(node) to its children through the local
 * derivative, which is itself an expression over the forward nodes (σ' = σ(1 - σ) reuses σ; the
 * partials of a product are the other factors), so it is emitted with the same memo and reuses
 * every forward value. The gradient therefore costs a small constant times one evaluation.
 *
 * Over data (columns of equal length) the code has three parts:
 *   pre   nodes that do not depend on the data (parameters, constants, anything built only from
 *         them) are computed once, before the rows;
 *   rows  the per-row forward and backward sweeps; adjoints flowing into data-independent nodes
 *         are summed over the rows into accumulators;
 *   post  the backward sweep through the data-independent nodes, once, from those sums (the
 *         chain rule is linear in the adjoints, and their local derivatives are the same for
 *         every row).
 * At a single point there are no rows: everything is "pre" and "post".
 *
 * The generator knows nothing of how inputs arrive or how the function is wrapped; the caller
 * (compile.ts, codegen.ts) binds input symbols to code and assembles the parts.
 */
import { ONE, ZERO, Q, add, call, children, mul, num, pow, postorder, sym, type Call, type Expr } from "../ast/index.js";
import { lookupConstant } from "../functions/index.js";
import { DeriveError } from "../errors.js";
import type { Language } from "./languages.js";
import { localDerivative, lowerPrimitives } from "./lower.js";

export type InputKind = "param" | "data" | "fixed";

export interface InputBinding {
  readonly kind: InputKind;
  /** Index among the inputs of its kind. */
  readonly index: number;
}

export interface GeneratorHooks {
  /** The code of an input symbol: a variable that holds it, declared by `load` if given. */
  input(node: Expr & { kind: "sym" }, binding: InputBinding): { code: string; load?: string };
  /** A fresh variable name for a node (forward value) or its adjoint. */
  name(node: Expr, role: "value" | "adjoint"): string;
  /**
   * `target = target + Σ_rows expr` inside the row code (a loop: `+=`; vectorised: a sum).
   */
  reduceInto(target: string, expr: string): string;
}

export interface GenerateRequest {
  readonly root: Expr;
  readonly inputs: ReadonlyMap<string, InputBinding>;
  readonly gradient: boolean;
  /** Whether the result is summed over data rows (data inputs present). */
  readonly rows: boolean;
  /** Code of the number of rows (for a data-independent result summed over rows). */
  readonly rowCount: string;
  /** The adjoint seed of a data-dependent root in row code (vectorised code needs ones(n)). */
  readonly rowSeed: string;
}

export interface Generated {
  /** Statements before the rows (or the whole forward sweep at a point). */
  readonly pre: string[];
  /** Statements per row. */
  readonly rows: string[];
  /** Statements after the rows (backward through data-independent nodes). */
  readonly post: string[];
  /** Code of the root's value: per row when `rootPerRow`, else once. */
  readonly value: string;
  readonly rootPerRow: boolean;
  /** Code of each parameter's total adjoint (summed over rows), or undefined when it is 0. */
  readonly gradient: ReadonlyArray<string | undefined>;
  /** Number of forward and backward node variables (for tests of sharing). */
  readonly nodeCount: number;
}

/**
 * Generates the sweeps for `root` in `lang`. Every symbol of `root` must be an input or a named
 * constant (the caller checks, with a readable error).
 */
export function generate(lang: Language, hooks: GeneratorHooks, request: GenerateRequest): Generated {
  const { inputs, rows: batched } = request;
  const pre: string[] = [];
  const rowCode: string[] = [];
  const post: string[] = [];
  const code = new Map<Expr, string>();
  const varying = new Set<Expr>();
  let nodeCount = 0;
  const lowered = new Map<Expr, Expr>();

  const sectionOf = (x: Expr): string[] => (batched && varying.has(x) ? rowCode : pre);

  const literal = (r: Q.Rational): string => lang.literal(Q.toNumber(r));
  const isSymE = (x: Expr): boolean => x.kind === "sym" && x.name === "e" && !inputs.has("e");

  /** Code of a node whose children all have code. */
  function expression(x: Expr): string {
    const c = (k: Expr): string => code.get(k)!;
    switch (x.kind) {
      case "add":
        return lang.sum(x.args.map(c));
      case "mul": {
        const first = x.args[0]!;
        if (first.kind === "num" && Q.equals(first.value, Q.MINUS_ONE)) return lang.negate(lang.product(x.args.slice(1).map(c)));
        return lang.product(x.args.map(c));
      }
      case "pow": {
        const b = c(x.base);
        if (x.exp.kind === "num") {
          const e = x.exp.value;
          if (Q.isNegative(e)) return lang.reciprocal(ensure(pow(x.base, num(Q.neg(e)))));
          if (Q.equals(e, Q.rational(1n, 2n))) return lang.sqrt(b);
          if (Q.isInteger(e) && e.n <= 3n) return lang.product(Array<string>(Number(e.n)).fill(b));
          if (Q.isInteger(e) && e.n === 4n) {
            const sq = ensure(pow(x.base, num(2)));
            return lang.product([sq, sq]);
          }
          if (!Q.isInteger(e) && e.d % 2n === 1n) return lang.oddRootPower(b, literal(e), e.n % 2n === 0n);
          return lang.power(b, literal(e));
        }
        if (isSymE(x.base)) return lang.call("exp", [c(x.exp)]);
        return lang.power(b, c(x.exp));
      }
      case "call":
        return lang.call(x.fn, x.args.map(c));
      default:
        throw new Error(`internal: expression() on a ${x.kind}`);
    }
  }

  function define(x: Expr): void {
    if (x.kind === "num") {
      code.set(x, literal(x.value));
      return;
    }
    if (x.kind === "sym") {
      const binding = inputs.get(x.name);
      if (binding) {
        const bound = hooks.input(x, binding);
        if (binding.kind === "data") varying.add(x);
        if (bound.load) sectionOf(x).push(bound.load);
        code.set(x, bound.code);
        return;
      }
      const constant = lang.constant(x.name);
      if (constant !== undefined && lookupConstant(x.name)) {
        code.set(x, constant);
        return;
      }
      throw new DeriveError(`no value for ${x.name}: it is neither a parameter nor a data column`);
    }
    if (children(x).some((k) => varying.has(k))) varying.add(x);
    const text = expression(x);
    const name = hooks.name(x, "value");
    nodeCount++;
    sectionOf(x).push(lang.declare(name, text));
    code.set(x, name);
  }

  /** Code of e, defining (children first, iteratively) every node that has none yet. */
  function ensure(e: Expr): string {
    const have = code.get(e);
    if (have !== undefined) return have;
    const stack: Array<[Expr, boolean]> = [[e, false]];
    while (stack.length > 0) {
      const [x, expanded] = stack.pop()!;
      if (code.has(x)) continue;
      if (expanded) {
        define(x);
        continue;
      }
      stack.push([x, true]);
      const kids = children(x);
      for (let i = kids.length - 1; i >= 0; i--) if (!code.has(kids[i]!)) stack.push([kids[i]!, false]);
    }
    return code.get(e)!;
  }

  // ---- forward sweep (children before parents, each distinct node once)
  const order = postorder(request.root);
  for (const x of order) ensure(x);
  const rootValue = code.get(request.root)!;
  const rootPerRow = batched && varying.has(request.root);

  const paramNodes: Expr[] = [];
  for (const [name, b] of inputs) if (b.kind === "param") paramNodes[b.index] = sym(name);
  if (!request.gradient) {
    return { pre, rows: rowCode, post, value: rootValue, rootPerRow, gradient: [], nodeCount };
  }

  // ---- backward sweep
  const active = new Set<Expr>();
  for (const x of order) {
    if (x.kind === "sym" ? inputs.get(x.name)?.kind === "param" : children(x).some((k) => active.has(k))) active.add(x);
  }
  /** Adjoint variable of each node that has received a contribution. */
  const adjoint = new Map<Expr, string>();

  const times = (a: string, d: Expr): string => {
    if (d === ONE) return a;
    if (d.kind === "num" && Q.equals(d.value, Q.MINUS_ONE)) return lang.negate(a);
    const dc = ensure(d);
    return a === "1" ? dc : lang.product([a, dc]);
  };

  // In batched code, every data-independent node that gets an adjoint sums it over the rows.
  const accumulatorOf = (x: Expr): string => {
    let a = adjoint.get(x);
    if (a === undefined) {
      a = hooks.name(x, "adjoint");
      adjoint.set(x, a);
      pre.push(lang.declareMutable(a, lang.literal(0)));
    }
    return a;
  };

  const contribute = (parent: Expr, child: Expr, amount: string): void => {
    const parentRow = batched && varying.has(parent);
    if (batched && !varying.has(child)) {
      const a = accumulatorOf(child);
      if (parentRow) rowCode.push(hooks.reduceInto(a, amount));
      else post.push(lang.accumulate(a, amount));
      return;
    }
    const section = parentRow ? rowCode : post;
    const existing = adjoint.get(child);
    if (existing === undefined) {
      const a = hooks.name(child, "adjoint");
      adjoint.set(child, a);
      // mutable: later parents (still to come in reverse order) add to it
      section.push(lang.declareMutable(a, amount));
    } else {
      section.push(lang.accumulate(existing, amount));
    }
  };

  // seed
  const root = request.root;
  if (active.has(root)) {
    if (!batched) adjoint.set(root, "1");
    else if (rootPerRow) adjoint.set(root, request.rowSeed);
    else {
      const a = hooks.name(root, "adjoint");
      adjoint.set(root, a);
      pre.push(lang.declareMutable(a, request.rowCount));
    }
  }

  for (let k = order.length - 1; k >= 0; k--) {
    const x = order[k]!;
    if (!active.has(x) || x.kind === "sym" || x.kind === "num") continue;
    const a = adjoint.get(x);
    if (a === undefined) continue; // no path to the result carries a nonzero local derivative
    const kids = children(x);
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i]!;
      if (!active.has(kid)) continue;
      let d: Expr;
      switch (x.kind) {
        case "add":
          d = ONE;
          break;
        case "mul":
          d = mul(...x.args.filter((_, j) => j !== i));
          break;
        case "pow":
          if (i === 0) d = mul(x.exp, pow(x.base, add(x.exp, num(-1))));
          else d = isSymE(x.base) ? x : mul(x, call("log", x.base));
          break;
        case "call":
          d = lowerPrimitives(localDerivative(x as Call, i), lowered);
          break;
      }
      if (d === ZERO) continue;
      // the local derivative's own code goes where its data dependence puts it (ensure decides)
      contribute(x, kid, times(a, d));
    }
  }

  const gradient = paramNodes.map((p) => (p && adjoint.has(p) ? adjoint.get(p)! : undefined));
  return { pre, rows: rowCode, post, value: rootValue, rootPerRow, gradient, nodeCount };
}

