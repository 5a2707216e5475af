/**
 * "Show that": derive, then rewrite toward a given target (σ'(x) = σ(x)(1 - σ(x)) from
 * σ(x) = 1/(1 + e^-x); tanh' = 1 - tanh² from the exponential form).
 *
 * The rewriting path: the target's functions that the derivative does not contain are written
 * through their definitions (the registry's `expand`: σ(x) = 1/(1 + e^-x)); the derivative is
 * split into a sum over its fraction, one simplified term at a time, when that is a step of its
 * own; it is then shown equal to the expanded target (the simplifier proves the difference is 0),
 * and the definitions are folded back into the target. When the simplifier cannot prove a step,
 * the equality is checked numerically at random points instead and the trace says so; when even
 * that fails the target is not the derivative, and that is an error.
 */
import { ONE, Q, ZERO, add, mapBottomUp, mul, neg, postorder, pow, sub, type Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { lookupFunction } from "../functions/index.js";
import { evaluate } from "../numeric/index.js";
import { createRandom } from "../numeric/random.js";
import { freeSymbols } from "../ast/index.js";
import { inline, type Program } from "../program/index.js";
import { simplify } from "../simplify/index.js";
import type { StepLine } from "./types.js";
import type { Placeholders } from "./operators.js";

/** Calls of functions not in `keep`, written through their definitions (innermost first). */
function expandFunctions(e: Expr, keep: ReadonlySet<string>): { expr: Expr; names: string[] } {
  const names = new Set<string>();
  const expr = mapBottomUp(e, (n) => {
    if (n.kind !== "call" || keep.has(n.fn)) return n;
    const def = lookupFunction(n.fn);
    if (!def?.expand) return n;
    names.add(n.fn);
    return def.expand(n);
  });
  return { expr, names: [...names] };
}

export function provablyEqual(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  try {
    return simplify(sub(a, b)) === ZERO || simplify(a) === simplify(b);
  } catch {
    return false;
  }
}

/**
 * Whether a and b agree at random points (in [-2, 2] for every input); points where either side
 * is undefined are skipped, and at least `need` points must be compared.
 */
export function numericallyEqual(a: Expr, b: Expr, program: Program, seed = 1, need = 20): { equal: boolean; point?: Map<string, number>; values?: [number, number] } {
  const ea = inline(program, a);
  const eb = inline(program, b);
  const names = [...new Set([...freeSymbols(ea), ...freeSymbols(eb)].map((s) => s.name))];
  const rng = createRandom(seed);
  let compared = 0;
  for (let i = 0; i < need * 10 && compared < need; i++) {
    const point = new Map(names.map((n) => [n, Number((rng.uniform() * 4 - 2).toFixed(3))] as [string, number]));
    let va: number;
    let vb: number;
    try {
      va = evaluate(ea, point);
      vb = evaluate(eb, point);
    } catch {
      continue;
    }
    if (!Number.isFinite(va) || !Number.isFinite(vb)) continue;
    compared++;
    if (Math.abs(va - vb) > 1e-7 * Math.max(1, Math.abs(va), Math.abs(vb))) return { equal: false, point, values: [va, vb] };
  }
  return { equal: compared > 0 };
}

/** The fraction split into its terms: (A - B)/D² = A/D² - B/D², each term simplified on its own. */
function splitFraction(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  const sum = e.args.find((f) => f.kind === "add");
  if (!sum || sum.kind !== "add") return undefined;
  const rest = e.args.filter((f) => f !== sum);
  return add(...sum.args.map((t) => simplify(mul(t, ...rest))));
}

export interface TargetSteps {
  readonly lines: StepLine[];
  readonly notes: string[];
}

/** Lines from the derivative `from` to `target`; throws when the target is not equal to it. */
/**
 * N/D^k where D - N is a constant c: N written as (D) - c, then split into D^(1-k) - c/D^k. This
 * is the textbook step for σ': e^-x/(1 + e^-x)² = ((1 + e^-x) - 1)/(1 + e^-x)² = 1/(1 + e^-x) - 1/(1 + e^-x)².
 */
function throughDenominator(e: Expr, ph: Placeholders): { held: Expr; split: Expr } | undefined {
  if (e.kind !== "mul") return undefined;
  const den = e.args.find((f) => f.kind === "pow" && f.base.kind === "add" && f.exp.kind === "num" && Q.isInteger(f.exp.value) && Q.toNumber(f.exp.value) <= -2);
  if (!den || den.kind !== "pow") return undefined;
  const numerator = mul(...e.args.filter((f) => f !== den));
  let c: Expr;
  try {
    c = simplify(sub(den.base, numerator));
  } catch {
    return undefined;
  }
  if (c.kind !== "num" || c === ZERO) return undefined;
  const held = mul(add(ph.group(den.base), neg(c)), den);
  const split = add(pow(den.base, add(den.exp, ONE)), mul(neg(c), den));
  return { held, split };
}

export function rewriteToTarget(from: Expr, target: Expr, program: Program, ph: Placeholders): TargetSteps {
  const lines: StepLine[] = [];
  const notes: string[] = [];
  if (from === target) return { lines, notes };
  const present = new Set(postorder(from).flatMap((n) => (n.kind === "call" ? [n.fn] : [])));
  const { expr: expanded, names } = expandFunctions(target, present);
  if (provablyEqual(from, expanded)) {
    let current = from;
    const through = throughDenominator(from, ph);
    if (through && through.split !== expanded && provablyEqual(through.split, expanded)) {
      lines.push({ rhs: through.held, rule: "numerator written through the denominator" }, { rhs: through.split, rule: "split the fraction" });
      current = through.split;
    }
    const split = current === from ? splitFraction(from) : undefined;
    if (split && split !== from && split !== expanded && provablyEqual(split, expanded) && postorder(split).every((n) => n.kind !== "call" || present.has(n.fn))) {
      lines.push({ rhs: split, rule: "split the fraction" });
      current = split;
    }
    if (expanded !== target) {
      if (current !== expanded) lines.push({ rhs: expanded, rule: expanded.kind === "mul" && current.kind === "add" ? "common factor" : "algebra" });
      lines.push({ rhs: target, rule: `definition of ${names.join(", ")}` });
    } else if (current !== target) lines.push({ rhs: target, rule: "algebra" });
    return { lines, notes };
  }
  const split = splitFraction(from);
  if (split && split !== from) {
    if (split === target) {
      // written through the definitions first, when the target uses functions the derivative does not
      if (expanded !== target) lines.push({ rhs: expanded, rule: "split the fraction" }, { rhs: target, rule: `definition of ${names.join(", ")}` });
      else lines.push({ rhs: target, rule: "split the fraction" });
      return { lines, notes };
    }
    if (provablyEqual(split, target)) {
      lines.push({ rhs: split, rule: "split the fraction" }, { rhs: target, rule: "algebra" });
      return { lines, notes };
    }
  }
  if (provablyEqual(from, target)) {
    lines.push({ rhs: target, rule: "algebra" });
    return { lines, notes };
  }
  const check = numericallyEqual(from, target, program);
  if (check.equal) {
    notes.push("no rewriting path to the target was found; the equality is verified numerically at 20 random points");
    lines.push({ rhs: target, rule: "verified equality (numerically, at random points)" });
    return { lines, notes };
  }
  const at = check.point ? ` at ${[...check.point].map(([k, v]) => `${k} = ${v}`).join(", ")} the derivative is ${check.values![0]} but the target is ${check.values![1]}` : "";
  throw new DeriveError(`the derivative is not equal to the target:${at || " they could not be compared"}`);
}

