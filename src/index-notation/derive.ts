/**
 * Per-entry derivatives of matrix programs, the way the sheets derive them by hand (A5–A7, C1):
 * write the entry out in index notation, differentiate with ∂w_ik/∂w_jl = δ_ij δ_kl, and let the
 * deltas contract the sums. Defined names are written out only where the derivative has to go
 * through them, so the result keeps them: ∂y_i/∂w_jk = δ_ij φ'(z_i) x_k.
 */
import * as Q from "../ast/rational.js";
import { call, sym, type Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { getFunction, lookupFunction } from "../functions/index.js";
import type { MatrixProgram } from "../matrix/build.js";
import { variables, type MExpr } from "../matrix/nodes.js";
import type { Dim } from "../matrix/shape.js";
import { add, apply, delta as deltaOf, entry, grad, mul, num, pow, sumOver, tidyIndices, ZERO, type IEntry, type IExpr, type Index } from "./expr.js";
import { arities, entryOf, type Arity, type Naming } from "./from-matrix.js";
import { parseEntryName, type EntryName } from "./entry-name.js";

/**
 * How entries of matrices are printed: `lower` writes w_ik for W (the sheets' A problems),
 * `declared` keeps the program's spelling (W_ij, as in C1).
 */
export type MatrixLabels = "lower" | "declared";

export interface IndexOptions {
  /** Default: `declared` when the entry names given spell a matrix with a capital, else `lower`. */
  readonly matrixLabels?: MatrixLabels;
  /**
   * Letters for summation indices, first choice first (default k, l, m, n, p, …); a letter free
   * in the result is skipped. A7's ∂y_i/∂d_j is written with l in the sheet: pass ["l", "m"].
   */
  readonly summationLetters?: readonly string[];
}

/** name_indices = its definition entry by entry. */
export interface IndexForm {
  readonly lhs: IEntry;
  readonly rhs: IExpr;
}

export interface EntryDerivative {
  /** The entry differentiated (z_i), or the unspecified scalar (L) of C1. */
  readonly of: IEntry;
  /** The entry differentiated by, or the entries in turn (∂²L/∂W_ij∂W_kl). */
  readonly wrt: IEntry | readonly IEntry[];
  /** ∂of/∂wrt, summation indices renamed k, l, m, … in reading order. */
  readonly result: IExpr;
}

interface Setup {
  readonly program: MatrixProgram;
  readonly naming: Naming;
  readonly bodies: ReadonlyMap<string, MExpr>;
}

function lowerLabel(name: string, taken: ReadonlyMap<string, Arity>): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  // W and w both in the program: lower-casing W would name the other one
  return lower !== name && taken.has(lower) ? name : lower;
}

function setup(program: MatrixProgram, labels: MatrixLabels): Setup {
  const names = arities(program);
  let counter = 0;
  const naming: Naming = {
    arity: (name) => names.get(name) ?? 0,
    label: (name) => (labels === "lower" && names.get(name) === 2 ? lowerLabel(name, names) : name),
    // never a letter a user can write: tidyIndices gives the final names
    fresh: () => `#${++counter}`,
  };
  return { program, naming, bodies: new Map(program.definitions.map((d) => [d.name, d.body])) };
}

/** The labels a user's spelling asks for: a matrix written with its capital keeps it (W_ij). */
function chooseLabels(entries: readonly EntryName[], program: MatrixProgram, options: IndexOptions): MatrixLabels {
  if (options.matrixLabels) return options.matrixLabels;
  const names = arities(program);
  const capital = entries.some((e) => e.known && !e.recased && names.get(e.name) === 2 && e.name.charAt(0) !== e.name.charAt(0).toLowerCase());
  return capital ? "declared" : "lower";
}

const letters = (options: IndexOptions): readonly string[] | undefined => options.summationLetters;

/** Row and column of the entry with these indices, by the name's arity. */
function rowCol(indices: readonly Index[]): [Index, Index] {
  if (indices.length === 0) return [1, 1];
  if (indices.length === 1) return [indices[0]!, 1];
  return [indices[0]!, indices[1]!];
}

/** The definition of `name` written out at the entry with these indices. */
function expand(s: Setup, name: string, indices: readonly Index[]): IExpr {
  const body = s.bodies.get(name);
  if (!body) throw new Error(`internal: ${name} is not defined`);
  const [row, col] = rowCol(indices);
  return entryOf(body, row, col, s.naming);
}

/** The names each defined name depends on, directly or through other definitions. */
function dependencies(program: MatrixProgram): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of program.definitions) {
    const deps = new Set<string>();
    for (const v of variables(d.body)) {
      deps.add(v.name);
      for (const w of out.get(v.name) ?? []) deps.add(w);
    }
    out.set(d.name, deps);
  }
  return out;
}

/**
 * What differentiation needs of a program's definitions: each written out at given indices, and
 * which inputs it depends on. Matrix programs (below) and index programs (program.ts) give them.
 */
export interface EntryDefinitions {
  /** The definition of `name` at these indices, or undefined when `name` is not defined. */
  expand(name: string, indices: readonly Index[]): IExpr | undefined;
  /** Whether the defined `name` depends on `input`, directly or through other definitions. */
  dependsOn(name: string, input: string): boolean;
}

function matrixDefinitions(s: Setup): EntryDefinitions {
  const deps = dependencies(s.program);
  return {
    expand: (name, indices) => (s.bodies.has(name) ? expand(s, name, indices) : undefined),
    dependsOn: (name, input) => deps.get(name)?.has(input) ?? false,
  };
}

/**
 * Differentiates by one entry of a name (an input, or a defined name held as a variable):
 * ∂w_ik/∂w_jl = δ_ij δ_kl, defined names written out where they depend on the name.
 */
export function entryDifferentiator(defs: EntryDefinitions, wrt: IEntry): (e: IExpr) => IExpr {
  const memo = new Map<IExpr, IExpr>();
  const d = (e: IExpr): IExpr => {
    const seen = memo.get(e);
    if (seen) return seen;
    const out = rule(e);
    memo.set(e, out);
    return out;
  };
  const rule = (e: IExpr): IExpr => {
    switch (e.kind) {
      case "num":
      case "delta":
        return ZERO;
      case "entry": {
        // ∂w_ik/∂w_jl = δ_ij δ_kl
        if (e.name === wrt.name) return mul(...e.indices.map((i, m) => deltaOf(i, wrt.indices[m]!)));
        if (!defs.dependsOn(e.name, wrt.name)) return ZERO;
        const body = defs.expand(e.name, e.indices);
        return body === undefined ? ZERO : d(body);
      }
      case "grad":
        throw new DeriveError(`∂${e.of.name}/∂${e.entry.name} is not known as a formula, so it cannot be differentiated again`);
      case "sum":
        return sumOver(e.index, e.range, d(e.body));
      case "add":
        return add(...e.terms.map(d));
      case "mul":
        // the product rule, each term keeping the factors in place
        return add(...e.factors.map((f, t) => mul(...e.factors.slice(0, t), d(f), ...e.factors.slice(t + 1))));
      case "pow":
        return mul(num(e.exp), pow(e.base, Q.sub(e.exp, Q.ONE)), d(e.base));
      case "apply":
        return mul(functionDerivative(e.fn, e.order, e.arg), d(e.arg));
    }
  };
  return d;
}

const PLACEHOLDER = "\u0000u";

/**
 * f'(u) for f applied to an entry u: a declared function (or a derivative already) gets a prime,
 * φ'(z_i); a registry function is written out by its registry derivative, σ(u) (1 - σ(u)), as
 * the matrix gradients (src/diff/matrix.ts) and the scalar printers write it.
 */
function functionDerivative(fn: string, order: number, u: IExpr): IExpr {
  if (order > 0 || !lookupFunction(fn)) return apply(fn, u, order + 1);
  return fromScalar(getFunction(fn).derivative(call(fn, sym(PLACEHOLDER)), 0), u);
}

/** A scalar expression in the placeholder, with u in its place. */
function fromScalar(e: Expr, u: IExpr): IExpr {
  switch (e.kind) {
    case "num":
      return num(e.value);
    case "sym":
      return e.name === PLACEHOLDER ? u : entry(e.name, e.name, []);
    case "add":
      return add(...e.args.map((t) => fromScalar(t, u)));
    case "mul":
      return mul(...e.args.map((t) => fromScalar(t, u)));
    case "pow":
      if (e.exp.kind !== "num") throw new DeriveError("internal: a derivative with a symbolic exponent cannot be written entry by entry");
      return pow(fromScalar(e.base, u), e.exp.value);
    case "call":
      if (e.args.length !== 1) throw new DeriveError(`internal: ${e.fn} of several arguments in an elementwise derivative`);
      return apply(e.fn, fromScalar(e.args[0]!, u));
  }
}

function entryExpr(s: Setup, n: EntryName): IEntry {
  return entry(n.name, s.naming.label(n.name), n.indices);
}

/**
 * The entry of a defined name written out: indexForm(p, "z", ["i"]) for z = W x + b is
 * z_i = Σ_k w_ik x_k + b_i. `indices` may be left out when `name` is an entry name (`z_i`).
 */
export function indexForm(program: MatrixProgram, name: string, indices?: readonly Index[], options: IndexOptions = {}): IndexForm {
  const parsed = indices === undefined ? parseEntryName(program, name) : parseEntryName(program, entryText(name, indices));
  if (!parsed.known) throw new DeriveError(`${parsed.name} is neither declared nor defined in the program`);
  const s = setup(program, chooseLabels([parsed], program, options));
  const lhs = entryExpr(s, parsed);
  const rhs = s.bodies.has(parsed.name) ? expand(s, parsed.name, parsed.indices) : lhs;
  return { lhs, rhs: tidyIndices(rhs, letters(options)) };
}

/** `z` with indices i → "z_i"; w with 1, 2 → "w_12"; longer indices in braces. */
function entryText(name: string, indices: readonly Index[]): string {
  if (indices.length === 0) return name;
  const parts = indices.map(String);
  return parts.every((p) => p.length === 1) ? `${name}_${parts.join("")}` : `${name}_{${parts.join(",")}}`;
}

/**
 * ∂of/∂wrt for entry names (`z_i`, `w_jk`, `w_12`, `b_j`): `of` an entry of a defined or
 * declared name; `wrt` an entry of an input, or of a defined name held as a variable. An `of`
 * the program does not know (`L`) is an unspecified scalar function of the program's target
 * (C1: Y = W X gives ∂L/∂W_ij = Σ_k ∂L/∂Y_ik X_jk).
 */
export function entryDerivative(program: MatrixProgram, of: string, wrt: string | readonly string[], options: IndexOptions = {}): EntryDerivative {
  const ofName = parseEntryName(program, of);
  const wrtNames = (typeof wrt === "string" ? [wrt] : wrt).map((w) => parseEntryName(program, w));
  for (const w of wrtNames) if (!w.known) throw new DeriveError(`${w.name} does not occur in the program`);
  const s = setup(program, chooseLabels([ofName, ...wrtNames], program, options));
  const wrtEntries = wrtNames.map((w) => entryExpr(s, w));
  // a shared index (∂z_i/∂x_i) is allowed: it asks for the diagonal, where δ_ii = 1
  const defs = matrixDefinitions(s);
  const first = entryDifferentiator(defs, wrtEntries[0]!);
  const ofEntry = ofName.known ? entryExpr(s, ofName) : entry(ofName.name, ofName.name, []);
  let result = ofName.known ? first(ofEntry) : throughTarget(s, ofName.name, first);
  // second and higher derivatives: by each further entry in turn (∂²L/∂W_ij∂W_kl)
  for (const w of wrtEntries.slice(1)) result = entryDifferentiator(defs, w)(result);
  return { of: ofEntry, wrt: typeof wrt === "string" ? wrtEntries[0]! : wrtEntries, result: tidyIndices(result, letters(options)) };
}

/** ∂L/∂wrt = Σ_a Σ_b ∂L/∂T_ab ∂T_ab/∂wrt for an unspecified scalar L of the target T. */
function throughTarget(s: Setup, of: string, d: (e: IExpr) => IExpr): IExpr {
  const target = s.program.target;
  if (target.kind !== "var") {
    throw new DeriveError(`${of} is not in the program; as an unspecified function of the program's result, that result needs a name (end the program with a defined name, as in Y = W X; Y)`);
  }
  const arity = s.naming.arity(target.name);
  const ranges: Dim[] = arity === 0 ? [] : arity === 1 ? [target.shape.rows] : [target.shape.rows, target.shape.cols];
  const indices = ranges.map(() => s.naming.fresh());
  const t = entry(target.name, s.naming.label(target.name), indices);
  let out = mul(grad(entry(of, of, []), t), d(t));
  for (let m = ranges.length - 1; m >= 0; m--) out = sumOver(indices[m]!, ranges[m]!, out);
  return out;
}
