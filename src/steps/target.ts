/**
 * "Show that": derive, then rewrite toward a given target (σ'(x) = σ(x)(1 - σ(x)) from
 * σ(x) = 1/(1 + e^-x); tanh' = 1 - tanh² from the exponential form; B2's
 * (-y/f + (1-y)/(1-f)) f(1-f) = f - y; softplus' = σ).
 *
 * First a bounded search for a chain of small named moves (rewrite.ts: split, multiply out,
 * cancel, collect, common factor or denominator, a function's definition either way, …), each
 * line checked equal to the one before. Without such a chain: one step the simplifier proves
 * (through the target's definitions when the derivative does not use its functions); else the
 * equality is checked numerically at random points and the trace says so; when even that fails
 * the target is not the derivative, and that is an error.
 */
import { ZERO, freeSymbols, mapBottomUp, postorder, sub, substitute, sym, type Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { lookupFunction } from "../functions/index.js";
import { evaluate } from "../numeric/index.js";
import { createRandom } from "../numeric/random.js";
import { inline, valueDefinitions, type Program } from "../program/index.js";
import { searchRewrites, type Move } from "./rewrite.js";
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

export interface TargetSteps {
  readonly lines: StepLine[];
  readonly notes: string[];
}

/** The program's defined names by their bodies (as written and simplified), to fold bodies back. */
function definitionNames(program: Program): Map<Expr, Expr> {
  const out = new Map<Expr, Expr>();
  for (const [name, d] of valueDefinitions(program)) {
    if (d.body.kind === "sym" || d.body.kind === "num") continue;
    out.set(d.body, sym(name));
    const s = simplify(d.body);
    if (s.kind !== "sym" && s.kind !== "num" && !out.has(s)) out.set(s, sym(name));
  }
  return out;
}

/** Whether each move's line equals the one before: by the simplifier, else at random points. */
function checkedMoves(from: Expr, moves: readonly Move[], program: Program, ph: Placeholders): boolean {
  const ungroup = (e: Expr): Expr => {
    const groups = new Map<Expr, Expr>();
    for (const p of ph.in(e)) {
      const op = ph.operator(p)!;
      if (op.kind === "group") groups.set(p, op.of);
    }
    return groups.size === 0 ? e : substitute(e, groups);
  };
  let previous = from;
  for (const m of moves) {
    const current = ungroup(m.shown);
    if (ph.in(current).length > 0) return false;
    if (!provablyEqual(previous, current) && !numericallyEqual(previous, current, program).equal) return false;
    previous = current;
  }
  return true;
}

export function rewriteToTarget(from: Expr, target: Expr, program: Program, ph: Placeholders): TargetSteps {
  const lines: StepLine[] = [];
  const notes: string[] = [];
  if (from === target) return { lines, notes };
  // a short chain of named algebraic moves, each checked; else the heuristics below, else numbers
  const moves = searchRewrites(from, target, ph, { names: definitionNames(program) });
  if (moves && checkedMoves(from, moves, program, ph)) return { lines: moves.map((m) => ({ rhs: m.shown, rule: m.rule })), notes };
  // one step the simplifier proves, through the target's definitions when the derivative does not use its functions
  const present = new Set(postorder(from).flatMap((n) => (n.kind === "call" ? [n.fn] : [])));
  const { expr: expanded, names } = expandFunctions(target, present);
  if (expanded !== target && provablyEqual(from, expanded)) {
    lines.push({ rhs: expanded, rule: "algebra" }, { rhs: target, rule: `definition of ${names.join(", ")}` });
    return { lines, notes };
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

