/**
 * The rule-by-rule trace: d/dx(E) = … as a list of equalities. Each line applies one rule to the
 * outermost pending derivative operator (the one introduced first), so the trace reads the way a
 * teacher writes it: outside in. Constants and the variable itself are differentiated on the spot
 * (d/dx(3) = 0, d/dx(x) = 1 need no line of their own). A derivative met again after it was
 * worked out (a shared subexpression) is not derived twice: the line replaces it by the earlier
 * result and names the line it came from.
 */
import {
  MINUS_ONE,
  ONE,
  ZERO,
  Q,
  add,
  call,
  freeSymbols,
  mul,
  neg,
  num,
  pow,
  substitute,
  sym,
  type Expr,
  type Sym,
} from "../ast/index.js";
import { getFunction } from "../functions/index.js";
import { valueDefinitions, type Program } from "../program/index.js";
import { simplify } from "../simplify/index.js";
import { Placeholders } from "./operators.js";
import type { StepLine } from "./types.js";

const E = sym("e");

/** Whether e depends on wrt, through definitions (a defined name stands for its body). */
export function dependenceTest(program: Program, wrt: string): (e: Expr) => boolean {
  const defs = valueDefinitions(program);
  const memo = new Map<string, boolean>();
  const nameDepends = (name: string): boolean => {
    if (name === wrt) return true;
    const d = defs.get(name);
    if (!d) return false;
    const hit = memo.get(name);
    if (hit !== undefined) return hit;
    memo.set(name, false); // cycles are rejected by the program layer; be safe anyway
    const v = freeSymbols(d.body).some((s) => nameDepends(s.name));
    memo.set(name, v);
    return v;
  };
  return (e) => freeSymbols(e).some((s) => nameDepends(s.name));
}

interface RuleResult {
  readonly rule: string;
  readonly expansion: Expr;
}

export interface TraceResult {
  readonly lines: StepLine[];
  /** The derivative once every operator is worked out, before simplification. */
  readonly raw: Expr;
}

/**
 * Appends the trace of d/d(wrt) of `e` to `lines` (the first line has `lhs` d/dx(e)). Defined
 * names of `program` are replaced by their definitions when their derivative is needed
 * ("definition of f"); the result is written in the names.
 */
export function traceDerivative(e: Expr, wrt: string, program: Program, ph: Placeholders): TraceResult {
  const depends = dependenceTest(program, wrt);
  const defs = valueDefinitions(program);
  const x = sym(wrt);
  const lines: StepLine[] = [];
  // a definition's body met again is written as its name: d/dw(f) = f (1 - f) d/dw(…), not σ(…)(1 - σ(…))
  const toNames = new Map<Expr, Expr>();
  for (const [name, d] of defs) if (d.body.kind !== "sym" && d.body.kind !== "num") toNames.set(d.body, sym(name));
  const named = (u: Expr): Expr => (toNames.size === 0 ? u : substitute(u, toNames));
  /** d/dx(u): 0 and 1 on the spot, otherwise an operator placeholder. */
  const D = (u: Expr): Expr => (u === x ? ONE : !depends(u) ? ZERO : ph.get(u, wrt));

  const apply = (u: Expr): RuleResult => {
    switch (u.kind) {
      case "num":
        return { rule: "constant", expansion: ZERO };
      case "sym": {
        if (u === x) return { rule: "variable", expansion: ONE };
        const def = defs.get(u.name);
        if (def) return { rule: `definition of ${u.name}`, expansion: D(def.body) };
        return { rule: "constant", expansion: ZERO };
      }
      case "add":
        return { rule: "sum rule", expansion: add(...u.args.map(D)) };
      case "mul": {
        const dependent = u.args.filter(depends);
        const constant = u.args.filter((f) => !depends(f));
        const under = dependent.filter((f) => f.kind === "pow" && f.exp.kind === "num" && Q.isNegative(f.exp.value));
        const over = dependent.filter((f) => !under.includes(f));
        if (under.length > 0 && over.length > 0) {
          // (n/d)' = (n' d - n d') / d^2, constant factors kept in front
          const n = mul(...over);
          const d = mul(...under.map((f) => pow((f as { base: Expr }).base, neg((f as { exp: Expr }).exp))));
          return { rule: "quotient rule", expansion: mul(...constant, add(mul(D(n), d), neg(mul(n, D(d)))), pow(d, num(-2))) };
        }
        if (dependent.length === 1) return { rule: "constant multiple rule", expansion: mul(...constant, D(dependent[0]!)) };
        // by position: a factor may occur twice (x*x is a valid node)
        const terms = u.args.flatMap((f, i) => (depends(f) ? [mul(...u.args.filter((_, j) => j !== i), D(f))] : []));
        return { rule: "product rule", expansion: add(...terms) };
      }
      case "pow": {
        const { base, exp } = u;
        if (!depends(exp)) return { rule: "power rule", expansion: mul(exp, pow(base, add(exp, MINUS_ONE)), D(base)) };
        if (!depends(base)) return { rule: "exponential rule", expansion: mul(u, base === E ? ONE : call("log", base), D(exp)) };
        return { rule: "general power rule", expansion: mul(u, add(mul(D(exp), call("log", base)), mul(exp, D(base), pow(base, MINUS_ONE)))) };
      }
      case "call": {
        const def = getFunction(u.fn);
        const terms: Expr[] = [];
        let chained = false;
        u.args.forEach((a, i) => {
          if (!depends(a)) return;
          terms.push(mul(def.derivative(u, i), D(a)));
          if (a !== x) chained = true;
        });
        return { rule: chained ? `chain rule, ${def.rule}` : def.rule, expansion: add(...terms) };
      }
    }
  };

  const start = D(e);
  let current: Expr = start;
  if (start.kind !== "sym" || !ph.operator(start)) {
    // a constant or the variable itself: one line
    lines.push({ lhs: ph.get(e, wrt), rhs: start, rule: start === ONE ? "variable" : "constant" });
    return { lines, raw: start };
  }
  const queue: Sym[] = [start];
  /** Placeholder → its expansion and the index of the line that worked it out. */
  const done = new Map<Sym, { expansion: Expr; line: number }>();
  let first = true;
  /** An operator's value as far as it is known (pending parts stay operators). */
  const known = (p: Sym): Expr => {
    const hit = done.get(p);
    if (!hit) return p;
    const inner = new Map<Expr, Expr>();
    for (const q of ph.in(hit.expansion)) inner.set(q, known(q));
    return inner.size === 0 ? hit.expansion : substitute(hit.expansion, inner);
  };

  for (;;) {
    const present = new Set(ph.in(current));
    const index = queue.findIndex((p) => present.has(p) && !done.has(p));
    if (index < 0) break;
    const p = queue.splice(index, 1)[0]!;
    const op = ph.operator(p)!;
    const applied = apply(op.of);
    const rule = applied.rule;
    const expansion = applied.rule.startsWith("definition of ") ? applied.expansion : named(applied.expansion);
    current = substitute(current, new Map([[p, expansion]]));
    done.set(p, { expansion, line: lines.length });
    lines.push(first ? { lhs: p, rhs: current, rule } : { rhs: current, rule });
    first = false;
    // operators worked out before (shared subexpressions): refer back instead of deriving again
    const again = ph.in(expansion).filter((q) => done.has(q));
    if (again.length > 0) {
      current = substitute(current, new Map(again.map((q) => [q, known(q)] as [Expr, Expr])));
      const refs = [...new Set(again.map((q) => done.get(q)!.line + 1))].sort((a, b) => a - b);
      lines.push({ rhs: current, rule: `as in line${refs.length > 1 ? "s" : ""} ${refs.join(", ")}` });
    }
    for (const q of ph.in(expansion)) if (!done.has(q) && !queue.includes(q)) queue.push(q);
  }
  return { lines, raw: current };
}

/** The full trace of d/dx(e), ending with the simplified derivative (when simplifying changes it). */
export function fullTrace(e: Expr, wrt: string, program: Program, ph: Placeholders, options: { simplify?: boolean } = {}): { lines: StepLine[]; result: Expr; raw: Expr } {
  const { lines, raw } = traceDerivative(e, wrt, program, ph);
  if (options.simplify === false) return { lines, result: raw, raw };
  const s = simplify(raw);
  if (s !== raw) lines.push({ rhs: s, rule: "simplification" });
  return { lines, result: s, raw };
}
