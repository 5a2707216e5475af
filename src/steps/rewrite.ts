/**
 * A bounded search for a chain of small algebraic steps from one expression to another, each step
 * one named move a student would write: split a fraction, multiply out, cancel, collect like
 * terms, take out a common factor, write the numerator through the denominator, divide numerator
 * and denominator by e^x, a function's definition (σ(x) = 1/(1 + e^-x)) either way, a function
 * recognised in its exponential form, a registry identity, a program's definition folded into its
 * name. Every move is an identity where both sides are defined; the caller still checks each step.
 *
 * Best-first search on (steps taken + target subexpressions still missing + a little for size), over at most a few
 * hundred expressions, so a target with no short path costs little and falls back honestly.
 */
import { MINUS_ONE, ONE, Q, ZERO, add, call, mapBottomUp, mul, neg, num, postorder, pow, splitCoefficient, sub, substitute, type Expr, type Rational } from "../ast/index.js";
import { FUNCTIONS, lookupFunction } from "../functions/index.js";
import { operatorCount, simplify } from "../simplify/index.js";
import type { Placeholders } from "./operators.js";

/** One step: the expression shown (may hold display groups) and the rule that gives it. */
export interface Move {
  readonly shown: Expr;
  readonly rule: string;
}

/** A move applied somewhere in the expression: the lines it writes and the expression it leaves. */
interface Edge {
  readonly lines: readonly Move[];
  readonly next: Expr;
}

export interface SearchOptions {
  /** Expressions taken off the queue at most. */
  readonly budget?: number;
  /** Steps at most. */
  readonly depth?: number;
  /** Defined names by their (simplified) bodies, to fold a body back into its name. */
  readonly names?: ReadonlyMap<Expr, Expr>;
}

// -- moves on one node ------------------------------------------------------------------------

type Local = (e: Expr) => Array<{ expr: Expr; rule: string }>;

const isDenominator = (f: Expr): boolean => f.kind === "pow" && f.exp.kind === "num" && Q.isNegative(f.exp.value);
const baseOf = (f: Expr): Expr => (f.kind === "pow" ? f.base : f);
const expOf = (f: Expr): Expr => (f.kind === "pow" ? f.exp : ONE);

/** a*(b + c) = a*b + a*c, one sum factor at a time; over a numerator it splits the fraction. */
const distribute: Local = (e) => {
  if (e.kind !== "mul") return [];
  const fraction = e.args.some(isDenominator);
  return e.args.flatMap((f, i) => {
    if (f.kind !== "add") return [];
    const rest = e.args.filter((_, j) => j !== i);
    // a*a is written a^2 as it is multiplied out, as on paper, and f/f cancels (the rule says so)
    const terms = f.args.map((t) => mul(t, ...rest));
    const cancels = terms.some(cancelsSomething);
    return [{ expr: add(...terms.map(combined)), rule: `${fraction ? "split the fraction" : "multiply out"}${cancels ? " and cancel" : ""}` }];
  });
};

/** (a + b)^2 = (a + b)(a + b) multiplied out, for small integer powers. */
const expandPower: Local = (e) => {
  if (e.kind !== "pow" || e.base.kind !== "add" || e.exp.kind !== "num" || !Q.isInteger(e.exp.value)) return [];
  const k = Q.toNumber(e.exp.value);
  if (k < 2 || k > 3) return [];
  let out: Expr = e.base;
  for (let i = 1; i < k; i++) out = add(...(out.kind === "add" ? out.args : [out]).flatMap((t) => (e.base as { args: readonly Expr[] }).args.map((u) => combined(mul(t, u)))));
  return [{ expr: out, rule: "multiply out" }];
};

/** A product with factors of the same base combined (f*(1 - f)/f = 1 - f), or e itself. */
function combined(e: Expr): Expr {
  if (e.kind !== "mul") return e;
  const byBase = new Map<Expr, Expr[]>();
  for (const f of e.args) byBase.set(baseOf(f), [...(byBase.get(baseOf(f)) ?? []), expOf(f)]);
  return mul(...[...byBase].map(([b, xs]) => pow(b, add(...xs))));
}

/** Whether combining e's factors of the same base makes one of them vanish (f/f). */
function cancelsSomething(e: Expr): boolean {
  if (e.kind !== "mul") return false;
  const byBase = new Map<Expr, Expr[]>();
  for (const f of e.args) byBase.set(baseOf(f), [...(byBase.get(baseOf(f)) ?? []), expOf(f)]);
  return [...byBase.values()].some((xs) => xs.length > 1 && add(...xs) === ZERO);
}

/** Factors with the same base in a product combined: f*(1 - f)/f = 1 - f. */
const cancel: Local = (e) => {
  if (e.kind !== "mul") return [];
  const byBase = new Map<Expr, Expr[]>();
  for (const f of e.args) byBase.set(baseOf(f), [...(byBase.get(baseOf(f)) ?? []), expOf(f)]);
  if ([...byBase.values()].every((xs) => xs.length === 1)) return [];
  const combined = mul(...[...byBase].map(([b, xs]) => pow(b, add(...xs))));
  if (combined === e) return [];
  const vanished = [...byBase.values()].some((xs) => xs.length > 1 && add(...xs) === ZERO);
  return [{ expr: combined, rule: vanished ? "cancel" : "combine powers" }];
};

/** Like terms collected: f - f*y - y + f*y = f - y. */
const collect: Local = (e) => {
  if (e.kind !== "add") return [];
  const byRest = new Map<Expr, Rational>();
  for (const t of e.args) {
    const [c, rest] = splitCoefficient(t);
    byRest.set(rest, Q.add(byRest.get(rest) ?? Q.ZERO, c));
  }
  if (byRest.size === e.args.length) return [];
  return [{ expr: add(...[...byRest].map(([rest, c]) => mul(num(c), rest))), rule: "collect like terms" }];
};

/** A factor every term shares taken out: 1/D - 1/D^2 = (1 - 1/D)/D. */
const commonFactor: Local = (e) => {
  if (e.kind !== "add") return [];
  const factorLists = e.args.map((t) => (t.kind === "mul" ? t.args.filter((f) => f.kind !== "num") : t.kind === "num" ? [] : [t]));
  const first = factorLists[0]!;
  const common: Expr[] = [];
  for (const f of first) {
    const b = baseOf(f);
    const exps = factorLists.map((fs) => fs.find((g) => baseOf(g) === b)).map((g) => (g === undefined ? undefined : expOf(g)));
    if (exps.some((x) => x === undefined || x.kind !== "num")) continue;
    const values = exps.map((x) => (x as { value: Q.Rational }).value);
    const positive = values.every((v) => !Q.isNegative(v));
    const negative = values.every((v) => Q.isNegative(v));
    if (!positive && !negative) continue;
    // the power nearest zero is the one every term holds
    const k = values.reduce((a, v) => (Q.compare(Q.abs(v), Q.abs(a)) < 0 ? v : a));
    common.push(pow(b, num(k)));
  }
  if (common.length === 0) return [];
  const out = mul(...common);
  const inverse = pow(out, MINUS_ONE);
  // each term divided by the factor at once: taking a factor out is one step on paper
  return [{ expr: mul(out, add(...e.args.map((t) => combined(mul(t, inverse))))), rule: "common factor" }];
};

/** e^u/(e^u + 1) = 1/(1 + e^-u): numerator and denominator divided by e^u. */
const divideByExp: Local = (e) => {
  if (e.kind !== "mul") return [];
  const out: Array<{ expr: Expr; rule: string }> = [];
  for (const f of e.args) {
    if (f.kind !== "call" || f.fn !== "exp") continue;
    const den = e.args.find((g) => g.kind === "pow" && g.base.kind === "add" && g.exp === MINUS_ONE && g.base.args.includes(f));
    if (!den || den.kind !== "pow" || den.base.kind !== "add") continue;
    const inverse = call("exp", neg(f.args[0]!));
    const reduced = add(...den.base.args.map((t) => (t === f ? ONE : simplify(mul(t, inverse)))));
    out.push({ expr: mul(...e.args.filter((g) => g !== f && g !== den), pow(reduced, MINUS_ONE)), rule: "numerator and denominator divided by the exponential" });
  }
  return out;
};

/** A sum of fractions over one denominator: a - b/D^2 = (a D^2 - b)/D^2. */
const commonDenominator: Local = (e) => {
  if (e.kind !== "add") return [];
  const denominators = new Map<Expr, Rational>(); // base → the largest power any term divides by
  for (const t of e.args) for (const f of t.kind === "mul" ? t.args : [t]) {
    if (!isDenominator(f)) continue;
    const k = Q.neg((expOf(f) as { value: Rational }).value);
    const had = denominators.get(baseOf(f));
    if (!had || Q.compare(k, had) > 0) denominators.set(baseOf(f), k);
  }
  if (denominators.size === 0) return [];
  const den = mul(...[...denominators].map(([b, k]) => pow(b, num(k))));
  const numerator = add(...e.args.map((t) => combined(mul(t, den))));
  return [{ expr: mul(numerator, pow(den, MINUS_ONE)), rule: "common denominator" }];
};

/** exp(a) exp(b) = exp(a + b), the sum simplified: exp(x) exp(-x) = 1. */
const expProduct: Local = (e) => {
  if (e.kind !== "mul") return [];
  const exps = e.args.filter((f) => f.kind === "call" && f.fn === "exp");
  if (exps.length < 2) return [];
  const sum = simplify(add(...exps.map((f) => (f as { args: readonly Expr[] }).args[0]!)));
  return [{ expr: mul(...e.args.filter((f) => !exps.includes(f)), sum === ZERO ? ONE : call("exp", sum)), rule: "exp(a) exp(b) = exp(a + b)" }];
};

/** Registry knowledge at a node: identities (σ(-x) = 1 - σ(x)), recognised forms (e^x/(1 + e^x) = σ(x)). */
const registry: Local = (e) => {
  const out: Array<{ expr: Expr; rule: string }> = [];
  if (e.kind === "call") {
    const s = lookupFunction(e.fn)?.simplify?.(e);
    if (s !== undefined && s !== e) out.push({ expr: s, rule: `identity of ${e.fn}` });
  }
  for (const f of FUNCTIONS) {
    if (!f.recognize) continue;
    const r = f.recognize(e);
    if (r !== undefined && r !== e) out.push({ expr: r, rule: `definition of ${f.name}` });
  }
  return out;
};

const LOCALS: readonly Local[] = [distribute, expandPower, cancel, collect, commonFactor, commonDenominator, expProduct, divideByExp, registry];

// -- moves on the whole expression ------------------------------------------------------------

/** Calls of the given functions written through their definitions (innermost first). */
export function expandCalls(e: Expr, fns: ReadonlySet<string>): Expr {
  return mapBottomUp(e, (n) => (n.kind === "call" && fns.has(n.fn) ? (lookupFunction(n.fn)?.expand?.(n) ?? n) : n));
}

/** Each function's definition folded back where its expanded form occurs: 1/(1 + e^-x) → σ(x). */
function foldCalls(e: Expr, calls: readonly Expr[]): Edge[] {
  const out: Edge[] = [];
  for (const c of calls) {
    if (c.kind !== "call") continue;
    const expanded = lookupFunction(c.fn)?.expand?.(c);
    if (!expanded || expanded === c) continue;
    const next = substitute(e, new Map([[expanded, c]]));
    if (next !== e) out.push({ lines: [{ shown: next, rule: `definition of ${c.fn}` }], next });
  }
  return out;
}

/**
 * N/D^k where D - N is a constant c: N written as (D) - c, then split into D^(1-k) - c/D^k. The
 * textbook step for σ': e^-x/(1 + e^-x)² = ((1 + e^-x) - 1)/(1 + e^-x)² = 1/(1 + e^-x) - 1/(1 + e^-x)².
 */
export function throughDenominator(e: Expr, ph: Placeholders): Edge | undefined {
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
  return { lines: [{ shown: held, rule: "numerator written through the denominator" }, { shown: split, rule: "split the fraction" }], next: split };
}

/** Every move from e: each local move at each distinct subexpression, and the whole-expression ones. */
function edges(e: Expr, goal: Expr, ph: Placeholders, names: ReadonlyMap<Expr, Expr>): Edge[] {
  const out: Edge[] = [];
  for (const node of postorder(e)) {
    for (const local of LOCALS) {
      for (const { expr, rule } of local(node)) {
        const next = substitute(e, new Map([[node, expr]]));
        if (next !== e) out.push({ lines: [{ shown: next, rule }], next });
      }
    }
  }
  const through = throughDenominator(e, ph);
  if (through) out.push(through);
  out.push(...foldCalls(e, postorder(goal).filter((n) => n.kind === "call")));
  // functions the goal does not call, written through their definitions (tanh in exp form)
  const goalFns = callees(goal);
  const toExpand = new Set([...callees(e)].filter((f) => !goalFns.has(f) && lookupFunction(f)?.expand));
  if (toExpand.size > 0) {
    const next = expandCalls(e, toExpand);
    if (next !== e) out.push({ lines: [{ shown: next, rule: `definition of ${[...toExpand].join(", ")}` }], next });
  }
  if (names.size > 0) {
    const next = substitute(e, names);
    if (next !== e) out.push({ lines: [{ shown: next, rule: "definitions written as their names" }], next });
  }
  return out;
}

const callees = (e: Expr): Set<string> => new Set(postorder(e).flatMap((n) => (n.kind === "call" ? [n.fn] : [])));

/** The goal with the functions e does not call written through their definitions: what e may reach before folding them. */
function goalIn(e: Expr, goal: Expr): { expr: Expr; fns: string[] } {
  const have = callees(e);
  const fns = [...callees(goal)].filter((f) => !have.has(f) && lookupFunction(f)?.expand);
  return { expr: fns.length === 0 ? goal : expandCalls(goal, new Set(fns)), fns };
}

/** How far e is from the goal: the goal's subexpressions e does not hold yet. */
function distance(e: Expr, goal: ReadonlySet<Expr>): number {
  const have = new Set(postorder(e));
  let missing = 0;
  for (const g of goal) if (!have.has(g)) missing++;
  return missing;
}

/**
 * The shortest chain of moves found from `from` to `goal`, or undefined when none is found within
 * the budget. The lines are not yet checked; the caller checks each against the one before.
 */
export function searchRewrites(from: Expr, goal: Expr, ph: Placeholders, options: SearchOptions = {}): Move[] | undefined {
  const budget = options.budget ?? 600;
  const depth = options.depth ?? 10;
  const names = options.names ?? new Map<Expr, Expr>();
  const goalNodes = new Set(postorder(goal));
  interface Node {
    readonly expr: Expr;
    readonly path: readonly Move[];
    readonly score: number;
  }
  const expandedNodes = new Set(postorder(expandCalls(goal, callees(goal))));
  // steps taken, the goal's pieces still missing, and a little for size: cancelling comes before multiplying out
  const score = (e: Expr, steps: number): number => steps + 2 * Math.min(distance(e, goalNodes), distance(e, expandedNodes)) + operatorCount(e) / 16;
  /** The path ending at e when e is the goal, or the goal through definitions (then folded: one more line). */
  const arrived = (e: Expr, path: readonly Move[]): Move[] | undefined => {
    if (e === goal) return [...path];
    const through = goalIn(e, goal);
    return through.fns.length > 0 && e === through.expr ? [...path, { shown: goal, rule: `definition of ${through.fns.join(", ")}` }] : undefined;
  };
  const queue: Node[] = [{ expr: from, path: [], score: score(from, 0) }];
  const seen = new Set<Expr>([from]);
  for (let taken = 0; queue.length > 0 && taken < budget; taken++) {
    queue.sort((a, b) => a.score - b.score || a.path.length - b.path.length);
    const node = queue.shift()!;
    const done = arrived(node.expr, node.path);
    if (done) return done;
    if (node.path.length >= depth) continue;
    for (const edge of edges(node.expr, goal, ph, names)) {
      if (seen.has(edge.next)) continue;
      seen.add(edge.next);
      const path = [...node.path, ...edge.lines];
      queue.push({ expr: edge.next, path, score: score(edge.next, path.length) });
    }
  }
  return undefined;
}
