/**
 * Claims about matrices and vectors (`d/dW ||W X - Y||^2 = 2*(W X - Y)*X^T`, `x^T A x`, products
 * of matrix literals). Each side is read as a matrix program (src/matrix) with the declarations and
 * definitions in scope; a derivative by a matrix is the engine's gradient (denominator layout).
 *
 * A step is decided symbolically when both sides simplify to the same hash-consed node, else by
 * numbers: at random matrices of random sizes (1–4) consistent with the shapes, entry by entry;
 * claims without free names are evaluated exactly where they are rational and compared with the
 * tolerance of the digits written, as scalar claims are.
 */
import { DeriveError } from "../errors.js";
import { canonicalName } from "../parse/index.js";
import { lookupConstant } from "../functions/index.js";
import { parseMatrixProgram, inlineProgram, unknownKind, type MatrixProgram, type ShapeHints } from "../matrix/build.js";
import * as N from "../matrix/nodes.js";
import type { MExpr } from "../matrix/nodes.js";
import { formatDim, formatShape, isScalarShape, isUnknownDim, type Dim } from "../matrix/shape.js";
import { matrixGradient } from "../diff/matrix.js";
import { evaluateMatrix, evaluateMatrixExact, shapeOfValue, type Matrix } from "../numeric/matrix.js";
import { createRandom } from "../numeric/random.js";
import * as Q from "../ast/rational.js";
import { matrixToLatex, matrixToText } from "../render/matrix.js";
import { simplifyMatrix } from "../simplify/matrix.js";
import { AGREE, DISAGREE, relativeDifference } from "./sample.js";
import { formatNumber, type StepOutcome } from "./compare.js";
import { NAME, readLiteral } from "./text.js";
import type { Segment } from "./chain.js";
import type { StepReport } from "./types.js";

const NAMES = new RegExp(NAME, "gu");
const DECLARATION = new RegExp(String.raw`^\s*(${NAME})\s*:\s*(scalar|vector|matrix|function)\s*(\([^)]*\))?\s*$`, "u");
const DEFINITION = new RegExp(String.raw`^\s*(${NAME})\s*$`, "u");
/** `d/dW …`, `∂/∂W …` at the start of a side: the operator applies to the rest of the side. */
const OPERATOR = new RegExp(String.raw`^\s*(?:d|∂)\s*/\s*(?:d|∂)\s*(${NAME})(?![\p{L}\p{M}\p{Nd}_])`, "u");
/** A Leibniz quotient `∂L/∂W` (or `dL/dW` for a defined L) anywhere in a side. */
const LEIBNIZ = new RegExp(String.raw`(?<![\p{L}\p{Nd}_])(d|∂)\s*(${NAME})\s*/\s*(?:d|∂)\s*(${NAME})(?![\p{L}\p{M}\p{Nd}_(])`, "gu");
/** A side that is one Leibniz quotient and nothing else. */
const WHOLE_LEIBNIZ = new RegExp(`^\\s*${LEIBNIZ.source}\\s*$`, "u");
/** Matrix syntax that scalar claims never use: transposes, ⊙, norms, products of bracketed literals. */
const MATRIX_SYNTAX = /\^\s*T(?![\p{L}\p{Nd}_])|ᵀ|⊙|\.\*|\|\||\]\s*\*?\s*[[(\p{L}]|[\p{L}\p{Nd})]\s*\*?\s*\[\[/u;

function canonical(raw: string): string | undefined {
  try {
    return canonicalName(raw);
  } catch {
    return undefined;
  }
}

/** The names a text mentions, canonical. */
export function mentionedNames(text: string): Set<string> {
  const out = new Set<string>();
  // ᵀ is a letter to Unicode but a transpose here: Xᵀ mentions X
  for (const m of text.replace(/ᵀ/g, " ").matchAll(NAMES)) {
    const n = canonical(m[0]);
    if (n !== undefined) out.add(n);
  }
  return out;
}

/**
 * What matrix claims know: declarations (`W: matrix`) and definitions (`Y = W X`, given values
 * `W = [[0.3, 0.5], [-0.2, 0.4]]`, scalars such as `eta = 0.1`), as lines of a matrix program.
 */
export class MatrixScope {
  /** Declaration lines, then definition lines, each with the name it introduces. */
  private readonly declarations: Array<{ name: string; line: string }> = [];
  private readonly definitions: Array<{ name: string; line: string }> = [];
  /** Names that make a claim a matrix claim: declared vectors, matrices and functions, definitions built from them. */
  readonly matrixNames = new Set<string>();
  /** Every declared or defined name. */
  readonly known = new Set<string>();
  /** Names declared only because they were written bold: they do not make a claim with other unknown names a matrix claim. */
  readonly inferred = new Set<string>();
  /** Numbers written rounded in earlier steps (as written): later steps that reuse them may carry their rounding. */
  readonly rounded = new Set<string>();

  /** Declares a bold name: lowercase a vector, uppercase a matrix. */
  declareInferred(raw: string, kind: "vector" | "matrix"): void {
    const name = canonical(raw);
    if (name === undefined || this.known.has(name)) return;
    this.addGiven(`${raw}: ${kind}`);
    this.inferred.add(name);
  }

  /** Adds a `--given` item when it belongs to matrix programs; false when it does not. */
  addGiven(item: string): boolean {
    const declared = DECLARATION.exec(item);
    if (declared) {
      const name = canonical(declared[1]!);
      if (name === undefined) throw new DeriveError(`--given: "${declared[1]}" is not a name`);
      this.forget(name);
      this.declarations.push({ name, line: item.trim() });
      this.known.add(name);
      if (declared[2] !== "scalar") this.matrixNames.add(name);
      return true;
    }
    // `W: matr` is a declaration too, of a kind that does not exist
    const misdeclared = new RegExp(String.raw`^\s*(?:${NAME})\s*:\s*([^=]*?)\s*$`, "u").exec(item);
    if (misdeclared) throw new DeriveError(`--given ${item.trim()}: ${unknownKind(misdeclared[1]!)}`);
    const eq = item.indexOf("=");
    if (eq <= 0) return false;
    const target = item.slice(0, eq);
    const body = item.slice(eq + 1);
    const name = DEFINITION.exec(target) ? canonical(target.trim()) : undefined;
    if (name === undefined) return false;
    if (this.isMatrixText(body)) {
      this.define(name, body);
      return true;
    }
    // scalars (η = 0.1) are definitions of matrix programs too, and stay given to scalar claims
    this.forget(name);
    this.definitions.push({ name, line: `${name} = ${body.trim()}` });
    this.known.add(name);
    return false;
  }

  /** A name given again replaces its earlier meaning (as in sheets: x: scalar after x: vector). */
  private forget(name: string): void {
    for (const list of [this.declarations, this.definitions]) {
      const at = list.findIndex((d) => d.name === name);
      if (at >= 0) list.splice(at, 1);
    }
    this.matrixNames.delete(name);
    this.inferred.delete(name);
  }

  define(name: string, body: string): void {
    this.forget(name);
    this.definitions.push({ name, line: `${name} = ${body.replace(/\s*\n\s*/g, " ").trim()}` });
    this.known.add(name);
    this.matrixNames.add(name);
  }

  /** Whether a text needs matrix programs: matrix syntax, or a name of a matrix in scope. */
  isMatrixText(text: string): boolean {
    if (MATRIX_SYNTAX.test(text) || /^\s*\[/.test(text)) return true;
    for (const n of mentionedNames(text)) if (this.matrixNames.has(n)) return true;
    return false;
  }

  /** Whether a claim mentions matrices in scope (then it is decided here, whatever its syntax). */
  mentionsMatrices(text: string): boolean {
    for (const n of mentionedNames(text)) if (this.matrixNames.has(n) && !this.inferred.has(n)) return true;
    return false;
  }

  program(extra: readonly string[], target: string, hints: ShapeHints = new Map()): MatrixProgram {
    const lines = [...this.declarations, ...this.definitions].map((d) => d.line);
    return parseMatrixProgram([...lines, ...extra, target.replace(/\s*\n\s*/g, " ")].join("\n"), hints);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading sides

interface ReadSide {
  readonly program: MatrixProgram;
  /** The side as written, defined names kept. */
  readonly target: MExpr;
  /** Defined names replaced by their bodies. */
  readonly inlined: MExpr;
  /** The whole side is a derivative (then `inlined` is the engine's gradient). */
  readonly derivative?: { readonly wrt: string; readonly gradient: MExpr };
}

/** The gradient of `of` (a side's text) by `wrt`, written in the names in scope, and as text for the side's program. */
function gradientText(scope: MatrixScope, of: string, wrt: string): { expr: MExpr; text: string } {
  const program = scope.program([], of);
  if (program.declarations.has(wrt) && !N.variables(inlineProgram(program)).some((v) => v.name === wrt)) {
    // a declared name the expression does not contain: the gradient is zero, shaped like the name
    const zero = `0*${wrt}`;
    return { expr: scope.program([], zero).target, text: zero };
  }
  const g = simplifyMatrix(matrixGradient(program, [wrt]).get(wrt)!);
  // ᵀ is a transpose even where T is a declared name (a target matrix T), ^T would be a power there
  return { expr: g, text: matrixToText(g).replace(/\^T(?![\p{L}\p{Nd}_])/gu, "ᵀ") };
}

let counter = 0;

/** Tuples `(1, 2)` (a "(" that does not apply a function, with commas) are column vectors `[1, 2]`. */
export function tuplesToBrackets(text: string): string {
  let out = text;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== "(" || /[\p{L}\p{Nd}_'}]\s*$/u.test(out.slice(0, i))) continue;
    let depth = 0;
    let comma = false;
    let close = -1;
    for (let j = i; j < out.length; j++) {
      const c = out[j]!;
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        if (--depth === 0) {
          close = j;
          break;
        }
      } else if (c === "," && depth === 1) comma = true;
    }
    if (close > 0 && comma) out = `${out.slice(0, i)}[${out.slice(i + 1, close)}]${out.slice(close + 1)}`;
  }
  return out;
}

interface PreparedSide {
  /** Definitions of the derivatives the side uses (`__dm0 = 2*(W*X - Y)*X^T`). */
  readonly extra: readonly string[];
  /** The side with its derivatives replaced by their names. */
  readonly rest: string;
  readonly derivative?: { readonly wrt: string; readonly gradient: MExpr };
}

/** Computes the derivatives a side writes (`d/dW …`, `∂L/∂W`) and names them. */
function prepareSide(scope: MatrixScope, text: string): PreparedSide {
  const extra: string[] = [];
  let rest = tuplesToBrackets(text.replace(/\s*\n\s*/g, " "));
  let derivative: { wrt: string; gradient: MExpr } | undefined;
  const op = OPERATOR.exec(rest);
  if (op) {
    const wrt = canonical(op[1]!)!;
    const operand = rest.slice(op[0].length);
    if (operand.trim() === "") throw new DeriveError(`${op[0].trim()} has nothing to differentiate`);
    const { expr: gradient, text: written } = gradientText(scope, operand, wrt);
    const name = `__dm${counter++}`;
    extra.push(`${name} = ${written}`);
    derivative = { wrt, gradient };
    rest = name;
  } else {
    const whole = rest.trim();
    rest = rest.replace(LEIBNIZ, (match: string, d: string, f: string, w: string) => {
      const of = canonical(f);
      const wrt = canonical(w);
      if (of === undefined || wrt === undefined) return match;
      // dL/dW is a quotient of products unless L is defined; ∂ always differentiates
      if (d === "d" && !scope.known.has(of)) return match;
      const { expr: gradient, text: written } = gradientText(scope, of, wrt);
      const name = `__dm${counter++}`;
      extra.push(`${name} = ${written}`);
      if (match.trim() === whole) derivative = { wrt, gradient };
      return ` ${name} `;
    });
  }
  return { extra, rest, ...(derivative ? { derivative } : {}) };
}

function buildSide(scope: MatrixScope, side: PreparedSide, hints: ShapeHints): ReadSide {
  const program = scope.program(side.extra, side.rest, hints);
  const inlined = inlineProgram(program);
  return { program, target: program.target, inlined, ...(side.derivative ? { derivative: side.derivative } : {}) };
}

/** Reads a side in the text syntax of matrix programs (a LaTeX side is translated first). */
function readSide(scope: MatrixScope, text: string, hints: ShapeHints): ReadSide {
  return buildSide(scope, prepareSide(scope, text), hints);
}

const hintsOf = (program: MatrixProgram): ShapeHints => new Map([...program.declarations].map(([n, d]) => [n, d.shape]));

/**
 * Both sides read with the same sizes: the right side with the left's shapes, then the left again
 * with the joint ones. When the two shapes still differ only where a side leaves a size open
 * (`W^T x = (1, 2)` says nothing else about W's columns), the sides are read as one program whose
 * sides have one shape; two sizes that each side infers separately (rows(W)×cols(X) against
 * cols(X)×rows(W)) are a mismatch, not a reason to assume them equal.
 */
function readPair(scope: MatrixScope, left: string, right: string): { left: ReadSide; right: ReadSide; mismatch: boolean } | { conflict: string } {
  const pl = prepareSide(scope, left);
  const pr = prepareSide(scope, right);
  const l0 = buildSide(scope, pl, new Map());
  let r: ReadSide;
  try {
    r = buildSide(scope, pr, hintsOf(l0.program));
  } catch (err) {
    // the right side alone is fine: its shapes contradict the left side's
    if (!(err instanceof DeriveError)) throw err;
    buildSide(scope, pr, new Map());
    return { conflict: err.message.split("\n")[0]! };
  }
  const l = buildSide(scope, pl, hintsOf(r.program));
  const collapsed = collapsedBy(l0.program, r.program);
  if (collapsed) return { conflict: collapsed };
  const a = l.inlined.shape;
  const b = r.inlined.shape;
  if ((a.rows === b.rows && a.cols === b.cols) || l.inlined === N.M_ZERO || r.inlined === N.M_ZERO) return { left: l, right: r, mismatch: false };
  const separate = (x: Dim, y: Dim): boolean => x !== y && isUnknownDim(x) && isUnknownDim(y);
  if (separate(a.rows, b.rows) || separate(a.cols, b.cols)) return { left: l, right: r, mismatch: true };
  let joint: MatrixProgram;
  try {
    joint = scope.program([...pl.extra, ...pr.extra, `__lhs = ${pl.rest}`, `__rhs = ${pr.rest}`], "__lhs - __rhs");
  } catch (err) {
    if (!(err instanceof DeriveError)) throw err;
    return { left: l, right: r, mismatch: true };
  }
  const squeezed = collapsedBy(l0.program, joint);
  if (squeezed) return { conflict: squeezed };
  const hints = hintsOf(joint);
  return { left: buildSide(scope, pl, hints), right: buildSide(scope, pr, hints), mismatch: false };
}

/**
 * A size the left side leaves open that reading both sides together makes 1: the right side fits
 * only when a vector or matrix is a number (`(A + A^T) x^T` against `(A + A^T) x`), so comparing
 * there would prove nothing about the claim as meant.
 */
function collapsedBy(alone: MatrixProgram, together: MatrixProgram): string | undefined {
  for (const [name, d] of alone.declarations) {
    if (d.kind === "scalar" || d.kind === "function") continue;
    const t = together.declarations.get(name);
    if (!t) continue;
    const open = (x: Dim, y: Dim): boolean => isUnknownDim(x) && y === 1;
    if (open(d.shape.rows, t.shape.rows) || open(d.shape.cols, t.shape.cols)) return `the right side fits the left only if ${name} is ${formatShape(t.shape)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Numbers

const isConstant = (name: string): boolean => lookupConstant(name) !== undefined;

function inputs(...es: MExpr[]): N.MVar[] {
  const seen = new Map<string, N.MVar>();
  for (const e of es) for (const v of N.variables(e)) if (!isConstant(v.name) && !seen.has(v.name)) seen.set(v.name, v);
  return [...seen.values()];
}

/** Declared functions without a formula (Φ) take concrete ones in turn: an identity in Φ holds for each. */
const STAND_INS = ["tanh", "sin", "exp"] as const;

function withStandIns(e: MExpr, functions: ReadonlySet<string>, k: number): MExpr {
  if (functions.size === 0) return e;
  return N.rewrite(e, (n) => (n.kind === "apply" && functions.has(n.fn) ? N.apply(STAND_INS[k % STAND_INS.length]!, withStandIns(n.arg, functions, k), n.order) : undefined));
}

/** The sizes named in an expression's shapes (identities and ones have sizes but no variable to learn them from). */
function namedDims(...es: MExpr[]): string[] {
  const out = new Set<string>();
  const seen = new Set<MExpr>();
  const stack = [...es];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const d of [n.shape.rows, n.shape.cols]) if (typeof d === "string") out.add(d);
    stack.push(...N.children(n));
  }
  return [...out];
}

/** A stand-in variable whose value fixes the size `d` for evaluation. */
const dimCarrier = (d: string): N.MVar => N.mvar(`\u0002${d}`, { rows: d, cols: 1 });

interface Draw {
  readonly sizes: Map<string, number>;
  readonly env: Map<string, Matrix>;
  readonly k: number;
}

const DRAWS = 8;

/** The k-th draw: sizes 1–4 (the first gives distinct sizes to distinct dimensions, so mismatched shapes show), entries in [-2, 2]. */
function draw(vars: readonly N.MVar[], k: number, seed: number): Draw {
  const random = createRandom(seed + 7919 * k);
  const sizes = new Map<string, number>();
  const FIRST = [2, 3, 4, 1];
  const size = (d: Dim): number => {
    if (typeof d === "number") return d;
    let n = sizes.get(d);
    if (n === undefined) {
      n = k === 0 ? FIRST[sizes.size % FIRST.length]! : 1 + Math.floor(random.uniform() * 4);
      sizes.set(d, n);
    }
    return n;
  };
  const env = new Map<string, Matrix>();
  for (const v of vars) {
    const rows = size(v.shape.rows);
    const cols = size(v.shape.cols);
    // entries uniform in [-2, 2], rounded to 3 decimals (readable when reported)
    env.set(v.name, Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round((random.uniform() * 4 - 2) * 1000) / 1000)));
  }
  return { sizes, env, k };
}

/** A side's value; a written 0 is the zero matrix of the other side's shape. */
function valueAt(e: MExpr, d: Draw, functions: ReadonlySet<string>, others: readonly MExpr[]): Matrix {
  return evaluateMatrix(withStandIns(e, functions, d.k), d.env, others.map((o) => withStandIns(o, functions, d.k)));
}

const zeroLike = (m: Matrix): Matrix => m.map((row) => row.map(() => 0));

type Comparison =
  | { readonly status: "agree"; readonly draws: number }
  | { readonly status: "shape"; readonly left: Matrix; readonly right: Matrix; readonly draw: Draw }
  | { readonly status: "differ"; readonly row: number; readonly col: number; readonly a: number; readonly b: number; readonly draw: Draw }
  | { readonly status: "undetermined"; readonly reason: string };

/** Compares two matrix expressions at random draws. */
function compareAtRandom(a: MExpr, b: MExpr, functions: ReadonlySet<string>, seed = 1): Comparison {
  const named = inputs(a, b);
  const vars = [...named, ...namedDims(a, b).map(dimCarrier)];
  let agreed = 0;
  let failure: string | undefined;
  let noisy = false;
  for (let k = 0; k < DRAWS; k++) {
    const d = draw(vars, k, seed);
    let A: Matrix;
    let B: Matrix;
    try {
      A = valueAt(a, d, functions, [b, ...vars]);
      B = valueAt(b, d, functions, [a, ...vars]);
    } catch (err) {
      if (!(err instanceof DeriveError)) throw err;
      failure ??= err.message;
      continue;
    }
    if (b === N.M_ZERO) B = zeroLike(A);
    if (a === N.M_ZERO) A = zeroLike(B);
    if (formatShape(shapeOfValue(A)) !== formatShape(shapeOfValue(B))) return { status: "shape", left: A, right: B, draw: d };
    let defined = true;
    let differs: Comparison | undefined;
    A.forEach((row, i) => row.forEach((x, j) => {
      const y = B[i]![j]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) defined = false;
      else if (!differs && relativeDifference(x, y) > DISAGREE) differs = { status: "differ", row: i, col: j, a: x, b: y, draw: d };
      else if (relativeDifference(x, y) > AGREE) noisy = true;
    }));
    if (differs) return differs;
    if (defined) agreed++;
  }
  if (noisy) return { status: "undetermined", reason: "the two sides differ only in the last digits at some draws (rounding noise or a tiny difference)" };
  if (agreed < 4) return { status: "undetermined", reason: failure ? `could not evaluate the sides at random matrices: ${failure}` : "could not find enough random matrices where both sides are defined" };
  return { status: "agree", draws: agreed };
}

const agree = (a: MExpr, b: MExpr, functions: ReadonlySet<string>): boolean => {
  try {
    return compareAtRandom(a, b, functions, 11).status === "agree";
  } catch {
    return false;
  }
};

/** The sizes of a draw and the entry, as the report's counterexample. */
function counterexample(d: Draw, row: number, col: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [dim, n] of d.sizes) out[formatDim(dim)] = n;
  return { ...out, row: row + 1, column: col + 1 };
}

function shapesAt(d: Draw): string {
  return [...d.env].filter(([name]) => !name.startsWith("\u0002")).map(([name, m]) => `${name} ${formatShape(shapeOfValue(m))}`).join(", ");
}

// ---------------------------------------------------------------------------------------------
// Diagnosis

/** Names the mistake when a simple change of the claimed side gives the correct one. */
function diagnose(correct: MExpr, claimed: ReadSide, functions: ReadonlySet<string>): string | undefined {
  const inline = (e: MExpr): MExpr => inlineProgram(claimed.program, e);
  const tries: Array<[string, () => MExpr]> = [
    ["the sign is wrong", () => N.neg(claimed.target)],
    ["the claim is the transpose of the gradient (derive's gradients are shaped like the variable: denominator layout)", () => N.transpose(claimed.target)],
    ["a factor 2 is missing", () => N.scale(2, claimed.target)],
    ["a factor 2 too many", () => N.scale(Q.rational(1n, 2n), claimed.target)],
  ];
  // a factor of a product transposed (or not): one position at a time, so X in W X stays as it is
  const isScalarNode = (x: MExpr): boolean => isScalarShape(x.shape);
  const factorsOf = new Set<MExpr>();
  N.rewrite(claimed.target, (n) => {
    if (n.kind === "mul") factorsOf.add(n);
    return undefined;
  });
  for (const p of factorsOf) {
    if (p.kind !== "mul") continue;
    p.args.forEach((f, i) => {
      const v = f.kind === "transpose" && f.arg.kind === "var" ? f.arg : f.kind === "var" ? f : undefined;
      if (!v || isScalarNode(v)) return;
      const t = `${v.name}^T`;
      const what = f === v ? `${v.name} should be ${t}` : `${t} should be ${v.name}`;
      tries.push([`a transposed factor: ${what}`, () => N.rewrite(claimed.target, (n) => (n === p ? N.mul(...p.args.map((g, j) => (j === i ? (f === v ? N.transpose(v) : v) : g))) : undefined))]);
    });
  }
  const products = new Set<MExpr>();
  N.rewrite(claimed.target, (n) => {
    if (n.kind === "mul" && n.args.filter((x) => !isScalarShape(x.shape)).length >= 2) products.add(n);
    return undefined;
  });
  for (const p of products) {
    if (p.kind !== "mul") continue;
    const scalars = p.args.filter((x) => isScalarShape(x.shape));
    const matrices = p.args.filter((x) => !isScalarShape(x.shape));
    tries.push([`the factors of ${matrixToText(p)} are in the wrong order`, () => N.rewrite(claimed.target, (n) => (n === p ? N.mul(...scalars, ...[...matrices].reverse()) : undefined))]);
  }
  for (const [why, make] of tries) {
    let candidate: MExpr;
    try {
      candidate = inline(make());
    } catch {
      continue;
    }
    if (agree(correct, candidate, functions)) return why;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Steps

/** The numbers written in a side that is a literal (`3.3`, `[1.5, 1.1]`, `[[0.4, 6.2], [6, 4.2]]`), row by row. */
function writtenEntries(text: string): string[][] | undefined {
  const t = text.trim();
  if (readLiteral(t)) return [[t]];
  const inner = /^\[([\s\S]*)\]$/.exec(t)?.[1];
  if (inner === undefined) return undefined;
  const rows = /^\s*\[/.test(inner) ? [...inner.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!.split(",")) : inner.split(",").map((x) => [x]);
  return rows.every((r) => r.every((x) => readLiteral(x))) ? rows.map((r) => r.map((x) => x.trim())) : undefined;
}

const decimalsOf = (literal: string | undefined): number => readLiteral(literal ?? "")?.decimals ?? 0;
const halfUnit = (decimals: number): number => 0.5 * 10 ** -decimals;

function exactOrNumbers(e: MExpr): { exact?: Q.Rational[][]; values: Matrix } {
  try {
    const exact = evaluateMatrixExact(e, new Map());
    if (exact) return { exact, values: exact.map((r) => r.map(Q.toNumber)) };
  } catch {
    // not rational: doubles
  }
  return { values: evaluateMatrix(e, new Map()) };
}

const entryName = (m: Matrix, i: number, j: number): string => (m.length === 1 && m[0]!.length === 1 ? "" : m[0]!.length === 1 ? `component ${i + 1}: ` : `entry (${i + 1}, ${j + 1}): `);

/** Both sides without free names: exact where rational, else to the digits written. */
/**
 * How much the rounding of numbers a side reuses can move each of its entries: every decimal
 * written rounded in an earlier step, or with 5 or more significant digits, moved by half a unit
 * in its last place (a 5 appended), the side re-read and the changes added up.
 */
function carriedSlack(text: string, values: Matrix, scope: MatrixScope, reread: (text: string) => Matrix): Matrix {
  const slack = zeroLike(values);
  for (const m of text.matchAll(/(?<![\w.])\d*\.\d+/g)) {
    const literal = m[0];
    const significant = literal.replace(".", "").replace(/^0+/, "").length;
    if (!scope.rounded.has(literal) && significant < 5) continue;
    try {
      const moved = reread(text.slice(0, m.index) + literal + "5" + text.slice(m.index + literal.length));
      if (formatShape(shapeOfValue(moved)) !== formatShape(shapeOfValue(values))) continue;
      moved.forEach((row, i) => row.forEach((v, j) => {
        if (Number.isFinite(v)) slack[i]![j]! += Math.abs(v - values[i]![j]!) * 1.000001;
      }));
    } catch {
      // the side could not be re-read: no slack from this number
    }
  }
  return slack;
}

function compareClosed(left: ReadSide, right: ReadSide, leftText: string, rightText: string, scope: MatrixScope, reread: (text: string) => Matrix): StepOutcome {
  const a = exactOrNumbers(left.inlined);
  const b = exactOrNumbers(right.inlined);
  let A = a.values;
  let B = b.values;
  let EA = a.exact;
  let EB = b.exact;
  // a written 0 is the zero matrix of the other side's shape
  if (right.inlined === N.M_ZERO) {
    B = zeroLike(A);
    EB = A.map((r) => r.map(() => Q.ZERO));
  }
  if (left.inlined === N.M_ZERO) {
    A = zeroLike(B);
    EA = B.map((r) => r.map(() => Q.ZERO));
  }
  if (formatShape(shapeOfValue(A)) !== formatShape(shapeOfValue(B))) return { verdict: "invalid", reason: `the sides have different shapes: the left side is ${formatShape(shapeOfValue(A))}, the right side ${formatShape(shapeOfValue(B))}` };
  const writtenRight = writtenEntries(rightText);
  const writtenLeft = writtenRight ? undefined : writtenEntries(leftText);
  // a side written as a literal carries only its own rounding (the half unit below)
  const slackA = writtenLeft ? zeroLike(A) : carriedSlack(leftText, A, scope, reread);
  const slackB = writtenRight ? zeroLike(B) : carriedSlack(rightText, B, scope, reread);
  const roundedNow: string[] = [];
  let exactAll = true;
  let rounded = false;
  const count = A.length * A[0]!.length;
  for (let i = 0; i < A.length; i++) {
    for (let j = 0; j < A[i]!.length; j++) {
      const x = A[i]![j]!;
      const y = B[i]![j]!;
      const ex = EA?.[i]?.[j];
      const ey = EB?.[i]?.[j];
      if (ex && ey && Q.equals(ex, ey)) continue;
      exactAll = false;
      const written = writtenRight?.[i]?.[j] ?? writtenLeft?.[i]?.[j];
      const decimals = decimalsOf(written);
      const tolerance = AGREE * Math.max(1, Math.abs(x), Math.abs(y)) * 1e-3 + (decimals > 0 ? halfUnit(decimals) : 0) + slackA[i]![j]! + slackB[i]![j]!;
      if (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= tolerance) {
        rounded = true;
        if (written !== undefined && decimals > 0) roundedNow.push(written.replace(/^-/, "").replace(/^0(?=\.)/, ""));
        continue;
      }
      if (!Number.isFinite(x) || !Number.isFinite(y)) return { verdict: "unknown", reason: `${entryName(A, i, j)}a side has no finite value (${formatNumber(x)} and ${formatNumber(y)})` };
      const computed = writtenRight ? x : y;
      const note = decimals > 0 ? `: ${formatNumber(computed)} rounded to ${decimals} decimal${decimals === 1 ? "" : "s"} is ${computed.toFixed(decimals)}` : "";
      return { verdict: "invalid", reason: `${entryName(A, i, j)}the left side is ${formatNumber(x)}, the right side ${formatNumber(y)}${note}`, lhs: x, rhs: y };
    }
  }
  for (const r of roundedNow) {
    scope.rounded.add(r);
    scope.rounded.add(`0${r}`.replace(/^0(?=\d\d)/, ""));
  }
  if (count === 1) {
    const x = A[0]![0]!;
    return { verdict: "valid", reason: exactAll && EA ? `both sides are exactly ${Q.toText(EA[0]![0]!)}` : `both sides are ${formatNumber(x)}${rounded ? " to the digits written" : ""}`, lhs: x, rhs: B[0]![0]! };
  }
  return { verdict: "valid", reason: `all ${count} entries agree (${exactAll ? "exactly" : "to the digits written"})` };
}

interface Derivative {
  readonly text: string;
}

/** One step `left = right` of a matrix chain. */
function compareStep(scope: MatrixScope, leftText: string, rightText: string, derivative: Derivative | undefined): StepOutcome & { expected?: { text: string; latex: string } } {
  const pair = readPair(scope, leftText, rightText);
  if ("conflict" in pair) return { verdict: "invalid", reason: `the shapes of the two sides do not fit together: ${pair.conflict}` };
  const { left, right, mismatch } = pair;
  const d = derivative ? (derivative.text === leftText ? left : readSide(scope, derivative.text, hintsOf(right.program))) : undefined;
  const correct = d?.derivative?.gradient;
  const functions = new Set([...left.program.functions, ...right.program.functions]);
  const closed = inputs(left.inlined, right.inlined).length === 0 && namedDims(left.inlined, right.inlined).length === 0;
  const expected = (): { expected?: { text: string; latex: string } } => {
    if (!correct || !d) return {};
    let text = matrixToText(correct);
    let latex = matrixToLatex(correct);
    if (closed) {
      try {
        const v = exactOrNumbers(d.inlined);
        const shown = v.exact ? v.exact.map((r) => r.map(Q.toText)) : v.values.map((r) => r.map(formatNumber));
        const value = shown.length === 1 && shown[0]!.length === 1 ? shown[0]![0]! : `[${shown.map((r) => `[${r.join(", ")}]`).join(", ")}]`;
        if (value !== text) {
          text = `${text} = ${value}`;
          latex = `${latex} = ${value}`;
        }
      } catch {
        // the expression alone
      }
    }
    return { expected: { text, latex } };
  };
  const why = (): string | undefined => (correct && d ? diagnose(d.inlined, right, functions) : undefined);
  if (mismatch) {
    const mistake = why();
    const base = `the sides have different shapes: the left side is ${formatShape(left.inlined.shape)}, the right side ${formatShape(right.inlined.shape)}`;
    return { verdict: "invalid", reason: mistake ? `${mistake}; ${base}` : base, ...expected() };
  }
  if (closed) {
    const reread = (text: string): Matrix => exactOrNumbers(readSide(scope, text, hintsOf(right.program)).inlined).values;
    const outcome = compareClosed(left, right, leftText, rightText, scope, reread);
    if (outcome.verdict !== "invalid") return outcome;
    const mistake = why();
    return { ...outcome, reason: mistake ? `${mistake}; ${outcome.reason}` : outcome.reason, ...expected() };
  }
  let symbolic = false;
  try {
    symbolic = simplifyMatrix(left.inlined) === simplifyMatrix(right.inlined);
  } catch {
    symbolic = false;
  }
  const sampled = compareAtRandom(left.inlined, right.inlined, functions);
  if (symbolic) {
    // a cross-check of the simplifier: never valid when a draw disagrees
    if (sampled.status === "differ" || sampled.status === "shape") return { verdict: "unknown", reason: "the simplified forms agree but random matrices do not (please report this claim)" };
    return { verdict: "valid", reason: "both sides have the same canonical form (as matrices)" };
  }
  switch (sampled.status) {
    case "agree": {
      const standIn = functions.size > 0 ? `, with ${[...functions].join(", ")} replaced by ${STAND_INS.join(", ")} in turn` : "";
      return { verdict: "valid", reason: `both sides agree entry by entry at ${sampled.draws} random draws of matrices of sizes 1–4${standIn} (randomised test; not proved symbolically)` };
    }
    case "undetermined":
      return { verdict: "unknown", reason: sampled.reason };
    case "shape": {
      const mistake = why();
      const base = `the sides have different shapes: the left side is ${formatShape(left.inlined.shape)}, the right side ${formatShape(right.inlined.shape)} (${formatShape(shapeOfValue(sampled.left))} and ${formatShape(shapeOfValue(sampled.right))} for ${shapesAt(sampled.draw)})`;
      return { verdict: "invalid", reason: mistake ? `${mistake}; ${base}` : base, ...expected() };
    }
    case "differ": {
      const mistake = why();
      const at = `entry (${sampled.row + 1}, ${sampled.col + 1}) differs at random matrices ${shapesAt(sampled.draw)}`;
      return { verdict: "invalid", reason: mistake ? `${mistake}; ${at}` : at, counterexample: counterexample(sampled.draw, sampled.row, sampled.col), lhs: sampled.a, rhs: sampled.b, ...expected() };
    }
  }
}

/** The name a first side `name` defines, canonical (for scalar definitions that matrix claims may use too). */
export function definedName(text: string): string | undefined {
  const m = DEFINITION.exec(text);
  return m ? canonical(m[1]!.trim()) : undefined;
}

/** Whether a chain is about matrices: it mentions one in scope, or uses matrix syntax without undeclared names. */
export function isMatrixChain(texts: readonly string[], scope: MatrixScope): boolean {
  if (texts.some((t) => scope.mentionsMatrices(t))) return true;
  if (!texts.some((t) => MATRIX_SYNTAX.test(t))) return false;
  return namesKnown(texts, scope);
}

/**
 * Whether every name of a chain is declared, defined or built in (a first side `name` being
 * defined excepted): matrix syntax or bold names alone do not say what an undeclared x is.
 */
export function namesKnown(texts: readonly string[], scope: MatrixScope): boolean {
  const target = texts.length >= 2 ? definedName(texts[0]!) : undefined;
  for (const [k, t] of texts.entries()) {
    if (k === 0 && target !== undefined) continue;
    for (const n of mentionedNames(t)) {
      if (scope.known.has(n) || isConstant(n) || /^(?:T|d|tr|trace|sum|norm|transpose|diag|ones|I)$/.test(n)) continue;
      if (/^[a-z]+$/.test(n) && n.length > 2) continue; // function names (tanh, sigmoid)
      return false;
    }
  }
  return true;
}

export interface MatrixChainOptions {
  readonly lenient: boolean;
  readonly notation: "latex" | "text";
  /** Translates a side as written to the text syntax (LaTeX claims). */
  readonly translate: (text: string) => string;
}

function failure(err: unknown, lenient: boolean): string {
  if (err instanceof DeriveError) return lenient ? `could not read this: ${err.message.split("\n")[0]}` : `could not read this as matrices: ${err.message.split("\n")[0]}`;
  if (lenient && err instanceof Error) return `could not check this (internal error: ${err.message})`;
  throw err;
}

/** Checks a chain of matrix claims; a first side `name = …` with a new name is a definition. */
export function checkMatrixChain(segments: readonly Segment[], scope: MatrixScope, options: MatrixChainOptions): StepReport[] {
  const steps: StepReport[] = [];
  const written = segments.map((s) => s.text.replace(/\s*\n\s*/g, " ").trim());
  const display = (claim: string, expectedLatex?: string): Pick<StepReport, "display"> => {
    const d = { ...(options.notation === "latex" ? { claimLatex: claim } : {}), ...(expectedLatex ? { expectedLatex } : {}) };
    return Object.keys(d).length > 0 ? { display: d } : {};
  };
  let texts: string[];
  try {
    texts = segments.map((s) => options.translate(s.text));
  } catch (err) {
    const claim = written.join(" = ");
    return [{ line: segments[0]!.line, claim, verdict: "unknown", reason: failure(err, options.lenient), ...display(claim) }];
  }
  let start = 0;
  const defined = definedName(texts[0]!);
  if (defined !== undefined && !scope.known.has(defined) && segments.length >= 2) {
    try {
      scope.program([], `${defined} = ${texts[1]}; ${defined}`);
      scope.define(defined, texts[1]!);
      start = 1;
    } catch (err) {
      const claim = written.join(" = ");
      return [{ line: segments[0]!.line, claim, verdict: "unknown", reason: failure(err, options.lenient), ...display(claim) }];
    }
  }
  const first = texts[start]!;
  const derivative = OPERATOR.test(first) || WHOLE_LEIBNIZ.test(first) ? { text: first } : undefined;
  for (let i = start + 1; i < segments.length; i++) {
    const claim = `${written[i - 1]} = ${written[i]}`;
    let outcome: ReturnType<typeof compareStep>;
    try {
      outcome = compareStep(scope, texts[i - 1]!, texts[i]!, derivative);
    } catch (err) {
      outcome = { verdict: "unknown", reason: failure(err, options.lenient) };
    }
    const { expected, ...rest } = outcome;
    steps.push({ line: segments[i]!.line, claim, ...rest, ...(expected ? { expected: expected.text } : {}), ...display(claim, expected?.latex) });
  }
  return steps;
}

