/**
 * A gradient derived entry by entry, as sheet C1 derives ∂L/∂W for Y = W X:
 *
 *   ∂L/∂W_ij = Σ_k Σ_l ∂L/∂Y_kl ∂Y_kl/∂W_ij      the chain rule through Y, entry by entry
 *            = Σ_k Σ_l ∂L/∂Y_kl δ_ki X_jl         the entries of Y differentiated
 *            = Σ_l ∂L/∂Y_il X_jl                  the delta picks k = i
 *            = (∂L/∂Y Xᵀ)_ij                       in matrix form (matrix programs)
 *
 * and for index programs (D3 for any n) the same chain through the definitions that use the
 * variable, ending with their gradients substituted:
 *
 *   ∂f/∂w_kl = Σ_i ∂f/∂z_i ∂z_i/∂w_kl = Σ_i ∂f/∂z_i δ_ik x_l = ∂f/∂z_k x_l = 2 (Σ_i σ(z_i) - y) …
 *
 * The derivation is data (lines with their rules); src/render prints it.
 */
import { DeriveError } from "../errors.js";
import { matrixBackwardPass } from "../diff/matrix.js";
import { functionName, type MatrixProgram } from "../matrix/build.js";
import { variables, type MExpr } from "../matrix/nodes.js";
import type { Dim } from "../matrix/shape.js";
import { entryDifferentiator } from "./derive.js";
import { add, entry, grad, mapChildren, ZERO, mul, renameIndices, sumOver, sumUncontracted, SUMMATION_LETTERS, tidyIndices, type IEntry, type IExpr, type Index } from "./expr.js";
import { arities, arityOfShape, entryOf, type Arity, type Naming } from "./from-matrix.js";

export type ElementwiseLine =
  | { readonly rule: string; readonly kind: "index"; readonly rhs: IExpr }
  /** Entry `indices` of a matrix expression (in the adjoints ∂f/∂Y of the backward pass). */
  | { readonly rule: string; readonly kind: "matrix"; readonly rhs: MExpr; readonly indices: readonly Index[] };

/** ∂f/∂z_k = …: a gradient a derivation substitutes, given before it. */
export interface NamedGradient {
  readonly entry: IEntry;
  readonly result: IExpr;
}

export interface ElementwiseDerivation {
  /** The program's function (L), or f when it ends with an unnamed expression. */
  readonly of: string;
  readonly wrt: IEntry;
  /** Gradients by the names the chain goes through, worked out first (index programs). */
  readonly given: readonly NamedGradient[];
  readonly lines: readonly ElementwiseLine[];
}

/** What the chain needs of a program: its names' entries written out, and who uses whom. */
export interface ChainSource {
  /** The function's name (L), f for an unnamed one. */
  readonly of: string;
  arity(name: string): Arity | undefined;
  /** The names defined in terms of `name` directly (the function itself excluded). */
  users(name: string): readonly string[];
  /** The range of each index of a name's entries, where known. */
  ranges(name: string): ReadonlyArray<Dim | undefined>;
  /** The definition of `name` written out at the indices. */
  entryOf(name: string, indices: readonly Index[]): IExpr;
  /** The function's formula when it uses `name` directly. */
  direct(name: string): IExpr | undefined;
  /** The letters a definition was written with (z_i = …: i), preferred for sums over its entries. */
  ownLetters?(name: string): readonly string[];
  /** Summation letters preferred, first first (the program's own), and a sum's written letter. */
  readonly letters?: readonly string[];
  readonly writtenLetter?: (index: string) => string | undefined;
}

/** The free indices of an entry of a name with `arity` indices. */
const OWN_LETTERS: readonly string[][] = [[], ["i"], ["i", "j"]];

interface Chain {
  readonly wrt: IEntry;
  readonly users: readonly string[];
  readonly lines: ElementwiseLine[];
  /** The last line: the deltas contracted, in the users' gradients ∂f/∂Y_kl. */
  readonly contracted: IExpr;
  readonly letters: readonly string[];
  /** The letters each user's entries were summed over (z: ["i"]). */
  readonly userLetters: ReadonlyMap<string, readonly string[]>;
  /** Names the sums of an expression as the chain does (a definition's own letters kept). */
  readonly tidy: (e: IExpr) => IExpr;
}

/** The chain rule through the users of `name`, their entries differentiated, the deltas contracted. */
function chain(source: ChainSource, name: string, own: readonly string[] = OWN_LETTERS[source.arity(name) ?? 0]!): Chain {
  const arity = source.arity(name);
  if (arity === undefined) throw new DeriveError(`${name} does not occur in the program`);
  const of = source.of;
  const wrt = entry(name, name, own);
  // the other names stay names: a local derivative, as a step writes it
  const local = entryDifferentiator({ expand: () => undefined, dependsOn: () => false }, wrt);
  const taken = new Set(wrt.free);
  const letters = (source.letters ?? SUMMATION_LETTERS).filter((l) => !taken.has(l));
  const chosen = new Set<string>();
  /** Letters of the definitions' own (Σ_i over z_i): kept through contractions and substitutions. */
  const written = new Set<string>();
  const tidy = (e: IExpr, preferred: readonly string[]): IExpr => tidyIndices(e, preferred, (index) => source.writtenLetter?.(index) ?? (written.has(index) ? index : undefined));

  interface Term {
    /** ∂f/∂U_kl; undefined for the function's own formula. */
    readonly outer: IExpr | undefined;
    readonly named: IExpr;
    readonly worked: IExpr;
    readonly sums: ReadonlyArray<{ index: string; range: Dim }>;
  }
  const users = source.users(name);
  const terms: Term[] = [];
  let used = 0;
  const userLetters = new Map<string, readonly string[]>();
  for (const u of users) {
    const userArity = source.arity(u) ?? 0;
    const ranges = source.ranges(u);
    // the definition's own letters where they are free (Σ_i over z_i), else the next ones
    const own = source.ownLetters?.(u) ?? [];
    const indices = Array.from({ length: userArity }, (_, m) => {
      const mine = own[m];
      if (mine !== undefined && !taken.has(mine) && !chosen.has(mine)) {
        written.add(mine);
        return mine;
      }
      while (chosen.has(letters[used]!)) used++;
      return letters[used++]!;
    });
    indices.forEach((l) => chosen.add(l));
    userLetters.set(u, indices);
    const sums = indices.map((index, m) => {
      const range = ranges[m];
      if (range === undefined) throw new DeriveError(`the range of the index ${m + 1} of ${u} is unknown, so the chain through it cannot be written as a sum`);
      return { index, range };
    });
    const at = entry(u, u, indices);
    const worked = tidy(local(source.entryOf(u, indices)), letters.filter((l) => !chosen.has(l)));
    terms.push({ outer: grad(entry(of, of, []), at), named: grad(at, wrt), worked, sums });
  }
  const direct = source.direct(name);
  if (direct !== undefined) terms.push({ outer: undefined, named: grad(entry(of, of, []), wrt), worked: tidy(local(direct), letters.filter((l) => !chosen.has(l))), sums: [] });
  if (terms.length === 0) {
    return { wrt, users, lines: [{ rule: `${of} does not depend on ${name}`, kind: "index", rhs: ZERO }], contracted: ZERO, letters, userLetters, tidy: (e) => tidy(e, letters) };
  }

  const summed = (t: Term, body: IExpr, contract: boolean): IExpr =>
    t.sums.reduceRight((acc, s) => (contract ? sumOver(s.index, s.range, acc) : sumUncontracted(s.index, s.range, acc)), body);
  const line = (pick: (t: Term) => IExpr, contract: boolean): IExpr =>
    add(...terms.map((t) => summed(t, t.outer === undefined ? pick(t) : mul(t.outer, pick(t)), contract)));

  const lines: ElementwiseLine[] = [];
  // a function using the name directly has nothing to go through: its own formula is the first line
  if (users.length > 0) lines.push({ rule: `chain rule through ${users.join(", ")}, entry by entry`, kind: "index", rhs: line((t) => t.named, false) });
  const worked = line((t) => t.worked, false);
  lines.push({ rule: users.length > 0 ? `the entries of ${users.join(", ")} differentiated` : `the formula of ${of} differentiated`, kind: "index", rhs: worked });
  const raw = line((t) => t.worked, true);
  const contracted = raw === worked ? worked : tidy(raw, letters);
  if (raw !== worked) lines.push({ rule: "the Kronecker deltas pick out single terms of the sums", kind: "index", rhs: contracted });
  return { wrt, users, lines, contracted, letters, userLetters, tidy: (e) => tidy(e, letters) };
}

// ---------------------------------------------------------------------------------------------
// Matrix programs

function matrixSource(program: MatrixProgram): ChainSource {
  const names = arities(program);
  const f = functionName(program);
  const targetBody = f === undefined ? program.target : program.definitions.find((d) => d.name === f)!.body;
  if (targetBody.shape.rows !== 1 || targetBody.shape.cols !== 1) throw new DeriveError("an elementwise derivation needs a scalar function");
  let counter = 0;
  const naming: Naming = { arity: (n) => names.get(n) ?? 0, label: (n) => n, fresh: () => `#${++counter}` };
  const bodies = new Map(program.definitions.map((d) => [d.name, d.body]));
  const rowCol = (indices: readonly Index[]): [Index, Index] => (indices.length === 0 ? [1, 1] : indices.length === 1 ? [indices[0]!, 1] : [indices[0]!, indices[1]!]);
  return {
    of: f ?? "f",
    arity: (name) => names.get(name),
    users: (name) => program.definitions.filter((d) => d.name !== f && usesDirectly(d.body, name)).map((d) => d.name),
    ranges(name) {
      const body = bodies.get(name);
      if (!body) return [];
      const arity = arityOfShape(body.shape);
      return arity === 0 ? [] : arity === 1 ? [body.shape.rows] : [body.shape.rows, body.shape.cols];
    },
    entryOf: (name, indices) => entryOf(bodies.get(name)!, ...rowCol(indices), naming),
    direct: (name) => (usesDirectly(targetBody, name) ? entryOf(targetBody, 1, 1, naming) : undefined),
  };
}

/** Whether `name` occurs in e itself (not through other definitions). */
function usesDirectly(e: MExpr, name: string): boolean {
  return variables(e).some((v) => v.name === name);
}

/**
 * ∂f/∂name of a matrix program entry by entry: through every definition that uses `name` directly
 * (or from the function's own formula), the deltas contracted, then the backward pass's matrix form
 * and its gradients substituted, so the two derivations meet.
 */
export function elementwiseDerivation(program: MatrixProgram, name: string): ElementwiseDerivation {
  const source = matrixSource(program);
  const c = chain(source, name);
  const pass = matrixBackwardPass(program, [name]).find((s) => s.name === name);
  if (pass) {
    c.lines.push({ rule: "in matrix form", kind: "matrix", rhs: pass.local ?? pass.result, indices: c.wrt.indices });
    if (pass.local) c.lines.push({ rule: `the gradients of ${c.users.join(", ")} substituted`, kind: "matrix", rhs: pass.result, indices: c.wrt.indices });
  }
  return { of: source.of, wrt: c.wrt, given: [], lines: c.lines };
}

// ---------------------------------------------------------------------------------------------
// Index programs

/**
 * An index program's chain: the gradients by the users (∂f/∂z_k) are worked out first and then
 * substituted into the contracted line. `gradient(entry)` is the program's derivative of its
 * function by one entry (program.ts), `orient` its way of writing differences.
 */
export function chainDerivation(source: ChainSource, wrt: IEntry, gradient: (e: IEntry) => IExpr, orient: (e: IExpr) => IExpr): ElementwiseDerivation {
  const c = chain(source, wrt.name, wrt.indices.map(String));
  const given: NamedGradient[] = [];
  // each user's gradient at its own letters, then put in wherever the line has ∂f/∂z_X
  const gradients = new Map<string, { entry: IEntry; result: IExpr }>();
  for (const u of c.users) {
    // the letters the chain summed the user's entries over, where the last line leaves them free
    const own = (c.userLetters.get(u) ?? []).filter((l) => !c.contracted.free.includes(l));
    const spare = c.letters.filter((l) => !c.contracted.free.includes(l) && !own.includes(l));
    const letters = [...own, ...spare].slice(0, source.arity(u) ?? 0);
    const at = entry(u, u, letters);
    const result = gradient(at);
    gradients.set(u, { entry: at, result });
    given.push({ entry: at, result: c.tidy(orient(result)) });
  }
  if (gradients.size > 0) {
    const put = (e: IExpr): IExpr => {
      if (e.kind === "grad" && e.of.indices.length === 0 && gradients.has(e.entry.name)) {
        const g = gradients.get(e.entry.name)!;
        return renameIndices(g.result, g.entry.indices.map(String), e.entry.indices);
      }
      return mapChildren(e, put);
    };
    c.lines.push({ rule: `the gradients by ${c.users.join(", ")} substituted`, kind: "index", rhs: c.tidy(orient(put(c.contracted))) });
  } else {
    const oriented = c.tidy(orient(c.contracted));
    if (oriented !== c.contracted) c.lines.push({ rule: "the sign taken into a difference", kind: "index", rhs: oriented });
  }
  return { of: source.of, wrt: c.wrt, given, lines: c.lines };
}
