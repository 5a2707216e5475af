/**
 * Symbolic differentiation of one expression. The DAG is walked once in post-order (no recursion,
 * so depth is limited only by memory) and every distinct node is differentiated once, so the
 * derivative of a DAG is a DAG of proportional size: d/dx sigmoid^(n)(x) reuses each forward value.
 */
import {
  ONE,
  ZERO,
  MINUS_ONE,
  add,
  call,
  children,
  mul,
  pow,
  postorder,
  sym,
  type Expr,
  type Sym,
} from "../ast/index.js";
import { getFunction } from "../functions/index.js";
import { simplify } from "../simplify/index.js";
import type { DiffOptions, DiffStep } from "./types.js";

const E = sym("e");

/** ∂e/∂x, unsimplified (built with the canonicalising constructors). */
export function differentiate(e: Expr, x: string | Sym, options: DiffOptions = {}): Expr {
  const wrt = typeof x === "string" ? sym(x) : x;
  const onStep = options.onStep;
  const nodes = postorder(e);
  // whether each node depends on wrt
  const dependent = new Set<Expr>();
  for (const n of nodes) {
    if (n === wrt || children(n).some((k) => dependent.has(k))) dependent.add(n);
  }
  const d = new Map<Expr, Expr>();
  const recordedConstants = new Set<Expr>();
  const record = (rule: string, expr: Expr, result: Expr, outer?: DiffStep["outer"]): void => {
    if (onStep) onStep(outer ? { rule, expr, wrt: wrt.name, result, outer } : { rule, expr, wrt: wrt.name, result });
  };
  const recordConstantOperands = (n: Expr): void => {
    if (!onStep) return;
    for (const k of children(n)) {
      if (!dependent.has(k) && !recordedConstants.has(k)) {
        recordedConstants.add(k);
        record("constant", k, ZERO);
      }
    }
  };

  for (const n of nodes) {
    if (!dependent.has(n)) continue;
    recordConstantOperands(n);
    let result: Expr;
    let rule: string;
    let outer: DiffStep["outer"];
    switch (n.kind) {
      case "num":
        continue; // never dependent
      case "sym":
        result = ONE;
        rule = "variable";
        break;
      case "add":
        result = add(...n.args.map((a) => d.get(a) ?? ZERO));
        rule = "sum rule";
        break;
      case "mul": {
        const terms: Expr[] = [];
        n.args.forEach((f, i) => {
          const df = d.get(f);
          if (!df) return;
          terms.push(mul(...n.args.filter((_, j) => j !== i), df));
        });
        result = add(...terms);
        rule = terms.length === 1 ? "constant multiple rule" : "product rule";
        break;
      }
      case "pow": {
        const { base, exp } = n;
        const db = d.get(base);
        const de = d.get(exp);
        if (!de) {
          // u^c = c u^(c-1) u'
          result = mul(exp, pow(base, add(exp, MINUS_ONE)), db!);
          rule = "power rule";
        } else if (!db) {
          // c^u = c^u log(c) u'
          result = mul(n, base === E ? ONE : call("log", base), de);
          rule = "exponential rule";
        } else {
          // u^v = u^v (v' log u + v u'/u)
          result = mul(n, add(mul(de, call("log", base)), mul(exp, db, pow(base, MINUS_ONE))));
          rule = "general power rule";
        }
        break;
      }
      case "call": {
        const def = getFunction(n.fn);
        const derivatives: Expr[] = [];
        const terms: Expr[] = [];
        let chained = false;
        n.args.forEach((a, i) => {
          const da = d.get(a);
          if (!da) {
            derivatives.push(ZERO);
            return;
          }
          const outerI = def.derivative(n, i);
          derivatives.push(outerI);
          terms.push(mul(outerI, da));
          if (a !== wrt) chained = true;
        });
        result = add(...terms);
        rule = chained ? "chain rule" : def.rule;
        outer = { rule: def.rule, derivatives };
        break;
      }
    }
    d.set(n, result);
    record(rule, n, result, outer);
  }
  if (!dependent.has(e)) {
    record("constant", e, ZERO);
    return ZERO;
  }
  return d.get(e)!;
}

/**
 * Successive partial derivatives: derivative(e, ["x", "y"]) is ∂²e/∂y∂x (x first), simplified
 * between orders and at the end.
 */
export function derivative(e: Expr, wrt: ReadonlyArray<string | Sym>, options: { raw?: boolean } = {}): Expr {
  let out = e;
  for (const x of wrt) {
    out = differentiate(out, x);
    if (!options.raw) out = simplify(out);
  }
  return out;
}
