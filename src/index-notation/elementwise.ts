/**
 * A matrix gradient derived entry by entry, as sheet C1 derives ∂L/∂W for Y = W X:
 *
 *   ∂L/∂W_ij = Σ_k Σ_l ∂L/∂Y_kl ∂Y_kl/∂W_ij      the chain rule through Y, entry by entry
 *            = Σ_k Σ_l ∂L/∂Y_kl δ_ki X_jl         Y_kl = Σ_m W_km X_ml
 *            = Σ_l ∂L/∂Y_il X_jl                  the delta picks k = i
 *            = (∂L/∂Y Xᵀ)_ij                       in matrix form
 *
 * The derivation is data (lines with their rules); src/render prints it. The last line is the
 * backward pass's own matrix result (src/diff/matrix.ts), so the two derivations meet.
 */
import { DeriveError } from "../errors.js";
import { matrixBackwardPass } from "../diff/matrix.js";
import { functionName, type MatrixProgram } from "../matrix/build.js";
import { variables, type MExpr } from "../matrix/nodes.js";
import type { Dim } from "../matrix/shape.js";
import { entryDifferentiator } from "./derive.js";
import { add, entry, grad, mul, sumOver, sumUncontracted, SUMMATION_LETTERS, tidyIndices, type IEntry, type IExpr, type Index } from "./expr.js";
import { arities, arityOfShape, entryOf, type Naming } from "./from-matrix.js";

export type ElementwiseLine =
  | { readonly rule: string; readonly kind: "index"; readonly rhs: IExpr }
  /** Entry `indices` of a matrix expression (in the adjoints ∂f/∂Y of the backward pass). */
  | { readonly rule: string; readonly kind: "matrix"; readonly rhs: MExpr; readonly indices: readonly Index[] };

export interface ElementwiseDerivation {
  /** The program's function (L), or f when it ends with an unnamed expression. */
  readonly of: string;
  readonly wrt: IEntry;
  readonly lines: readonly ElementwiseLine[];
}

/** The free indices of an entry of a name with `arity` indices. */
const OWN_LETTERS: readonly string[][] = [[], ["i"], ["i", "j"]];

/**
 * ∂f/∂name entry by entry: through every definition that uses `name` directly (or from the
 * function's own formula), the deltas contracted, and the backward pass's matrix form.
 */
export function elementwiseDerivation(program: MatrixProgram, name: string): ElementwiseDerivation {
  const names = arities(program);
  const arity = names.get(name);
  if (arity === undefined) throw new DeriveError(`${name} does not occur in the program`);
  const f = functionName(program);
  const of = f ?? "f";
  const targetBody = f === undefined ? program.target : program.definitions.find((d) => d.name === f)!.body;
  if (targetBody.shape.rows !== 1 || targetBody.shape.cols !== 1) throw new DeriveError("an elementwise derivation needs a scalar function");
  let counter = 0;
  const naming: Naming = { arity: (n) => names.get(n) ?? 0, label: (n) => n, fresh: () => `#${++counter}` };
  const wrt = entry(name, name, OWN_LETTERS[arity]!);
  // the other names stay names: a local derivative, as a step writes it
  const local = entryDifferentiator({ expand: () => undefined, dependsOn: () => false }, wrt);
  const taken = new Set(wrt.free);
  const letters = SUMMATION_LETTERS.filter((l) => !taken.has(l));

  interface Term {
    /** ∂f/∂U_kl (1 for the function's own formula). */
    readonly outer: IExpr | undefined;
    readonly named: IExpr;
    readonly worked: IExpr;
    readonly sums: ReadonlyArray<{ index: string; range: Dim }>;
  }
  const users = program.definitions.filter((d) => d.name !== f && usesDirectly(d.body, name));
  const terms: Term[] = [];
  let used = 0;
  for (const u of users) {
    const userArity = arityOfShape(u.body.shape);
    const ranges: Dim[] = userArity === 0 ? [] : userArity === 1 ? [u.body.shape.rows] : [u.body.shape.rows, u.body.shape.cols];
    const indices = ranges.map(() => letters[used++]!);
    const at = entry(u.name, u.name, indices);
    const [row, col] = indices.length === 0 ? [1, 1] : indices.length === 1 ? [indices[0]!, 1] : [indices[0]!, indices[1]!];
    const worked = tidyIndices(local(entryOf(u.body, row, col, naming)), letters.slice(used));
    terms.push({ outer: grad(entry(of, of, []), at), named: grad(at, wrt), worked, sums: indices.map((index, m) => ({ index, range: ranges[m]! })) });
  }
  if (usesDirectly(targetBody, name)) {
    const worked = tidyIndices(local(entryOf(targetBody, 1, 1, naming)), letters.slice(used));
    terms.push({ outer: undefined, named: grad(entry(of, of, []), wrt), worked, sums: [] });
  }
  if (terms.length === 0) throw new DeriveError(`${of} does not depend on ${name}`);

  const summed = (t: Term, body: IExpr, contract: boolean): IExpr =>
    t.sums.reduceRight((acc, s) => (contract ? sumOver(s.index, s.range, acc) : sumUncontracted(s.index, s.range, acc)), body);
  const line = (pick: (t: Term) => IExpr, contract: boolean): IExpr =>
    add(...terms.map((t) => summed(t, t.outer === undefined ? pick(t) : mul(t.outer, pick(t)), contract)));

  const lines: ElementwiseLine[] = [];
  const through = users.map((u) => u.name);
  // a function using the name directly has nothing to go through: its own formula is the first line
  if (users.length > 0) lines.push({ rule: `chain rule through ${through.join(", ")}, entry by entry`, kind: "index", rhs: line((t) => t.named, false) });
  const worked = line((t) => t.worked, false);
  lines.push({ rule: users.length > 0 ? `the entries of ${through.join(", ")} differentiated` : `the entries of ${of} differentiated`, kind: "index", rhs: worked });
  const contracted = tidyIndices(line((t) => t.worked, true), letters);
  if (contracted !== worked) lines.push({ rule: "the Kronecker deltas pick out single terms of the sums", kind: "index", rhs: contracted });
  const pass = matrixBackwardPass(program, [name]).find((s) => s.name === name);
  if (pass) {
    lines.push({ rule: "in matrix form", kind: "matrix", rhs: pass.local ?? pass.result, indices: wrt.indices });
    if (pass.local) lines.push({ rule: `the gradients of ${through.join(", ")} substituted`, kind: "matrix", rhs: pass.result, indices: wrt.indices });
  }
  return { of, wrt, lines };
}

/** Whether `name` occurs in e itself (not through other definitions). */
function usesDirectly(e: MExpr, name: string): boolean {
  return variables(e).some((v) => v.name === name);
}
