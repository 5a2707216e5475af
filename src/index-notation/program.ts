/**
 * Derivatives of index programs (program-build.ts reads them): by scalars and entries through the
 * definitions, step by step through the definitions that use a variable, and the programs and
 * results printed with their sums' bounds, differences oriented as the sheets write them.
 */
import * as Q from "../ast/rational.js";
import { DeriveError } from "../errors.js";
import { entryDifferentiator, type EntryDefinitions } from "./derive.js";
import { readEntryName } from "./entry-name.js";
import { chainDerivation, type ChainSource, type ElementwiseDerivation } from "./elementwise.js";
import { equationToLatex, equationToText, indexToLatex, indexToText } from "./print.js";
import { add, entry, forEachEntry, mapChildren, mul, num, splitCoefficient, renameIndices, sumOver, SUMMATION_LETTERS, tidyIndices, type IEntry, type IExpr } from "./expr.js";
import type { IndexProgram } from "./program-build.js";

// ---------------------------------------------------------------------------------------------
// Derivatives

/** Definitions written out at given indices (the left side's letters replaced at once). */
function definitionsOf(p: IndexProgram): EntryDefinitions {
  const byName = new Map(p.definitions.map((d) => [d.name, d]));
  const deps = new Map<string, Set<string>>();
  for (const d of p.definitions) {
    const set = new Set<string>();
    for (const name of entryNames(d.body)) {
      set.add(name);
      for (const w of deps.get(name) ?? []) set.add(w);
    }
    deps.set(d.name, set);
  }
  return {
    expand(name, indices) {
      const d = byName.get(name);
      if (!d) return undefined;
      return renameIndices(d.body, d.indices, indices);
    },
    dependsOn: (name, input) => deps.get(name)?.has(input) ?? false,
  };
}

/** The names of the entries in an expression. */
function entryNames(e: IExpr): Set<string> {
  const out = new Set<string>();
  forEachEntry(e, (n) => out.add(n.name));
  return out;
}

/** Letters for free indices of --wrt entries given without them (--wrt x gives ∂/∂x_j). */
const WRT_LETTERS = ["j", "k", "l", "m", "p", "q", "r", "s", "t", "u", "v"];

/**
 * The entry a --wrt text names: `w` (a scalar), `x_j`, `w_jk`, `x_2`, or a vector or matrix
 * without indices (`x`: then its entry at new letters, ∂/∂x_j).
 */
export function wrtEntry(p: IndexProgram, text: string): IEntry {
  const whole = p.arities.get(text.trim());
  const read = whole !== undefined && whole > 0 ? { name: text.trim(), indices: [], known: true } : readEntryName(p.arities, text);
  if (p.sizes.has(read.name)) throw new DeriveError(`${read.name} is the size of a sum, not a variable to differentiate by`);
  if (!read.known) throw new DeriveError(`${read.name} does not occur in the program`);
  const arity = p.arities.get(read.name)!;
  if (read.indices.length === arity) return entry(read.name, read.name, read.indices);
  const taken = new Set([...p.target.free, ...p.letters]);
  const letters = WRT_LETTERS.filter((l) => !taken.has(l)).slice(0, arity);
  return entry(read.name, read.name, letters);
}

export interface IndexDerivative {
  /** What was differentiated: the target's entry, or `f` for an unnamed expression. */
  readonly of: IExpr;
  readonly wrt: readonly IEntry[];
  readonly result: IExpr;
}

/** Summation letters for results: the program's own first, then the usual k, l, m, … */
const resultLetters = (p: IndexProgram): string[] => [...p.letters, ...SUMMATION_LETTERS.filter((l) => !p.letters.includes(l))];

/** The letter a sum was written with (#3:i → i). */
const writtenLetter = (index: string): string | undefined => /^#\d+:([a-z])$/u.exec(index)?.[1];

/**
 * ∂f/∂wrt step by step (derive steps on an index program): the chain rule through the definitions
 * that use the variable, their entries differentiated, the deltas contracted, and their gradients
 * (worked out first) substituted. D3: ∂f/∂w_kl = Σ_i ∂f/∂z_i ∂z_i/∂w_kl = … = ∂f/∂z_k x_l = ….
 */
export function indexProgramSteps(p: IndexProgram, wrt: IEntry): ElementwiseDerivation {
  const defs = definitionsOf(p);
  const f = p.targetName ?? "f";
  const own = p.definitions.find((d) => d.name === p.targetName);
  if (own && own.indices.length > 0) throw new DeriveError(`steps derive a scalar function; ${f} has entries (${f}_${own.indices.join("")})`);
  const formula = own ? own.body : p.target;
  const source: ChainSource = {
    of: f,
    arity: (name) => p.arities.get(name),
    users: (name) => p.definitions.filter((d) => d.name !== f && entryNames(d.body).has(name)).map((d) => d.name),
    ranges: (name) => p.ranges.get(name) ?? [],
    entryOf: (name, indices) => defs.expand(name, indices)!,
    direct: (name) => (entryNames(formula).has(name) ? formula : undefined),
    ownLetters: (name) => p.definitions.find((d) => d.name === name)?.indices ?? [],
    letters: resultLetters(p),
    writtenLetter,
  };
  // the gradients with their sums as written (#3:i), named only where they are printed
  return chainDerivation(source, wrt, (e) => entryDifferentiator(defs, e)(p.target), orientDifferences);
}

/** e with its sums named with the letters they were written with where free, else the program's others. */
export const tidy = (p: IndexProgram, e: IExpr): IExpr => tidyIndices(orientDifferences(e), resultLetters(p), writtenLetter);

/** Σ_{k=1}^{n} c for a body without k: n c, as on paper. */
function constantSum(e: IExpr): IExpr {
  if (e.kind !== "sum" || e.body.free.includes(e.index)) return e;
  return mul(typeof e.range === "number" ? num(e.range) : entry(e.range, e.range, []), e.body);
}

/** A difference of two terms with the negative one first (y - s is -s + y), as a - b reads. */
const isDifference = (e: IExpr): boolean => e.kind === "add" && e.terms.length === 2 && e.terms.filter((t) => splitCoefficient(t)[0].n < 0n).length === 1;

/**
 * -e written by turning one difference in it around (y - s → s - y), in a factor of a product or
 * inside a sum; undefined when e has no such difference.
 */
function negatedDifference(e: IExpr): IExpr | undefined {
  if (isDifference(e)) return add(...(e as IExpr & { kind: "add" }).terms.map((t) => mul(num(-1), t)));
  if (e.kind === "sum") {
    const body = negatedDifference(e.body);
    return body && sumOver(e.index, e.range, body);
  }
  if (e.kind === "mul") {
    for (let k = 0; k < e.factors.length; k++) {
      const f = negatedDifference(e.factors[k]!);
      if (f) return mul(...e.factors.slice(0, k), f, ...e.factors.slice(k + 1));
    }
  }
  return undefined;
}

/**
 * A negative product absorbs its sign into a difference, as the sheets write it: -2 (y - s) x is
 * 2 (s - y) x (the matrix results orient their differences the same way).
 */
function orientDifferences(e: IExpr): IExpr {
  const memo = new Map<IExpr, IExpr>();
  const go = (n: IExpr): IExpr => {
    const seen = memo.get(n);
    if (seen) return seen;
    let out = constantSum(mapChildren(n, go));
    const [c, rest] = splitCoefficient(out);
    if (n.kind === "mul" && c.n < 0n) {
      const flipped = negatedDifference(rest);
      if (flipped) out = mul(num(Q.neg(c)), flipped);
    }
    memo.set(n, out);
    return out;
  };
  return go(e);
}

/** ∂target/∂wrt[0]∂wrt[1]…, each wrt an entry (wrtEntry). */
export function indexProgramDerivative(p: IndexProgram, wrt: readonly IEntry[]): IndexDerivative {
  const defs = definitionsOf(p);
  let result = p.target;
  for (const w of wrt) result = entryDifferentiator(defs, w)(result);
  const of = p.targetName !== undefined ? p.target : entry("f", "f", []);
  return { of, wrt, result: tidy(p, result) };
}

/** The lines of a program: its definitions, then the expression asked about unless it is the last one's name. */
function programLines(p: IndexProgram): Array<{ lhs?: IExpr; rhs: IExpr }> {
  const lines: Array<{ lhs?: IExpr; rhs: IExpr }> = p.definitions.map((d) => ({ lhs: entry(d.name, d.name, d.indices), rhs: tidy(p, d.body) }));
  const last = p.definitions[p.definitions.length - 1];
  if (!(last && p.targetName === last.name)) lines.push({ rhs: tidy(p, p.target) });
  return lines;
}

/** The program as text, sums with their bounds; with `ascii` input of the formula language again. */
export function indexProgramToText(p: IndexProgram, options: { readonly ascii?: boolean } = {}): string {
  const style = { ...options, bounds: true };
  return programLines(p)
    .map((l) => (l.lhs ? equationToText(l.lhs, l.rhs, style) : indexToText(l.rhs, style)))
    .join("; ");
}

export function indexProgramToLatex(p: IndexProgram): string {
  const lines = programLines(p).map((l) => (l.lhs ? equationToLatex(l.lhs, l.rhs, { bounds: true }) : indexToLatex(l.rhs, { bounds: true })));
  return lines.length === 1 ? lines[0]! : `\\begin{aligned} ${lines.map((l) => l.replace(" = ", " &= ")).join(" \\\\ ")} \\end{aligned}`;
}

