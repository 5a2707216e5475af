/**
 * Steps with sums up to a symbolic bound (Σ_{i=1}^{n}, sum(…, i, 1, n)) decided through index
 * programs (src/index-notation/program.ts): each side, written in the formula language (LaTeX
 * sides translated here from the LaTeX reader's syntax tree), becomes one definition of a single
 * program, so that both sides agree on what has entries (x_i, w_ij) and on the sizes (n). A
 * derivative side (d/dw …, ∂/∂x_j …, \frac{\partial}{\partial w} …, ∂L/∂w of a defined L) is
 * differentiated in index notation, Kronecker deltas contracted.
 *
 * The sides are compared at random draws: every size name from 1 to 6, every input's entries
 * random. Agreement everywhere is a randomised check, not a proof for every n; one draw where the
 * sides differ is a counterexample. Identical index expressions are equal without sampling.
 * What index programs refuse (the index used as a number, a sum from 0) returns `refused`: the
 * caller falls back to expanding the sums for n = 1, 2, 3, 4 (chain.ts).
 */
import { DeriveError } from "../errors.js";
import { lookupFunction } from "../functions/index.js";
import { canonicalName, parseStatements } from "../parse/index.js";
import { listItems, syntaxChildren, type Syntax } from "../parse/syntax.js";
import {
  buildIndexProgram,
  freeIndexRanges,
  indexProgramDerivative,
  indexProgramValue,
  indexToLatex,
  indexToText,
  namedSums,
  wrtEntry,
  type IExpr,
  type IndexProgram,
} from "../index-notation/index.js";
import { tidyIndices } from "../index-notation/expr.js";
import type { Context } from "./context.js";
import { formatNumber, type StepOutcome } from "./compare.js";
import { AGREE, DISAGREE, generator, relativeDifference } from "./sample.js";
import { Unsupported } from "./types.js";
import type { LatexToken } from "./latex/lexer.js";
import type { Node } from "./latex/syntax.js";

/** A side in the formula language: the text, or a derivative operator's operand and variables. */
export interface IndexSide {
  readonly text: string;
  /** The variables of a derivative operator as written, left to right (w, x_j, w_{jk}). */
  readonly wrts?: readonly string[];
}

/** What a reader offers for index programs: its sides in the formula language. */
export interface IndexReader {
  indexSide(text: string): IndexSide;
}

export type IndexOutcome = StepOutcome & { readonly expected?: { readonly text: string; readonly latex: string } };

export type IndexStep = { readonly outcome: IndexOutcome } | { readonly refused: string };

/** The sizes tried for every size name. */
export const INDEX_SIZES = [1, 2, 3, 4, 5, 6] as const;
const DRAWS = 24;
const MIN_AGREED = 10;

// ---------------------------------------------------------------------------------------------
// LaTeX to the formula language

/** The LaTeX reader's syntax tree as formula-language text; `parse` reads a token list (bounds, variables). */
export function latexIndexText(node: Node, parse: (tokens: readonly LatexToken[]) => Node): string {
  const go = (n: Node): string => latexIndexText(n, parse);
  /** Bounds and exponent bases stay bare when they are a name or a number (Σ's bounds, e^x). */
  const bare = (n: Node): string => (n.type === "name" || n.type === "number" ? go(n) : `(${go(n)})`);
  switch (node.type) {
    case "number":
      return node.token.value;
    case "name": {
      const base = node.token.value;
      if (base === "∂") throw new Unsupported("a lone ∂ cannot be read in index notation");
      if (!node.sub) return base;
      const groups = node.sub.map((g) => g.map((t) => t.value).join(""));
      return `${base}_{${groups.join(",")}}`;
    }
    case "group":
      return `(${go(node.inner)})`;
    case "negate":
      return `(-${bare(node.operand)})`;
    case "binary": {
      const op = node.op === "implicit" ? "*" : node.op;
      if (node.op === "implicit" && node.left.type === "name" && (node.right.type === "list" || node.right.type === "group")) {
        // f(x) of a user function is no product: index programs have no user functions
        if (node.right.type === "list") throw new Unsupported("functions of several arguments cannot be used with sums up to a symbolic bound");
      }
      return `(${go(node.left)}) ${op} (${go(node.right)})`;
    }
    case "power":
      return `${bare(node.base)}^(${go(node.exp)})`;
    case "call": {
      if (node.prime) throw new Unsupported(`${node.fn.value}' cannot be used with sums up to a symbolic bound`);
      const value = `${node.fn.value}(${go(node.arg)})`;
      return node.power ? `(${value})^(${go(node.power)})` : value;
    }
    case "frac":
      return `(${go(node.num)}) / (${go(node.den)})`;
    case "sqrt":
      return node.index ? `(${go(node.arg)})^(1/(${go(node.index)}))` : `sqrt(${go(node.arg)})`;
    case "abs":
      return `abs(${go(node.arg)})`;
    case "sum": {
      const parts = node.token.parts!;
      const lo = bare(parse(parts.lo!));
      const hi = bare(parse(parts.hi!));
      return `sum(${go(node.body)}, ${parts.index!}, ${lo}, ${hi})`;
    }
    default:
      throw new Unsupported(`${node.type === "dop" || node.type === "leib" ? "a derivative inside a side" : "vectors, matrices and user functions"} cannot be read in index notation`);
  }
}

/** A LaTeX side for index programs: a derivative operator (\frac{\partial}{\partial w} …, \frac{\partial L}{\partial x_j}) or plain. */
export function latexIndexSide(node: Node, parse: (tokens: readonly LatexToken[]) => Node): IndexSide {
  if (node.type === "dop" || node.type === "leib") {
    const parts = node.token.parts!;
    const wrts = parts.variables!.map((v) => latexIndexText(parse(v), parse));
    const operand = node.type === "dop" ? node.body : parse(parts.numerator!);
    return { text: latexIndexText(operand, parse), wrts };
  }
  return { text: latexIndexText(node, parse) };
}

// ---------------------------------------------------------------------------------------------
// Definitions the sides may use

const NAME_RE = /[\p{L}][\p{L}\p{Nd}]*/gu;

/** The base of a defined name as written on a definition's left side (z_i → z, L → L). */
function definedBase(line: string): string | undefined {
  const left = line.slice(0, line.indexOf("=")).trim();
  const base = left.replace(/_(?:\{[^}]*\}|[\p{L}\p{Nd}]+)$/u, "");
  try {
    return canonicalName(base);
  } catch {
    return undefined;
  }
}

/** The names a formula text mentions (bases, without subscripts). */
function mentioned(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.replace(/_(?:\{[^}]*\}|[\p{L}\p{Nd}]+)/gu, " ").matchAll(NAME_RE)) out.add(m[0]);
  return out;
}

/**
 * Remembers a definition (`z_i = …`, `L = (1/n) Σ …`, `w1 = 0.25`) for index programs; `only`
 * when the scalar reader could not read it (a sum up to a symbolic bound): then claims that use
 * the name are decided here alone. False when the definition cannot be written as index text.
 */
export function noteIndexDefinition(context: Context, reader: IndexReader, targetText: string, bodyText: string, only: boolean): boolean {
  let line: string;
  try {
    const target = reader.indexSide(targetText);
    const body = reader.indexSide(bodyText);
    if (target.wrts || body.wrts) return false;
    line = `${target.text} = ${body.text}`;
  } catch {
    return false;
  }
  const base = definedBase(line);
  if (base === undefined) return false;
  // `x = x + 1` is a claim, not a definition
  if (only && mentioned(line.slice(line.indexOf("=") + 1)).has(base)) return false;
  context.indexSource.push(line);
  if (only) context.indexOnly.add(base);
  return true;
}

/** Whether a side uses a name only index programs know (defined with a sum up to a symbolic bound). */
export function mentionsIndexOnly(context: Context, reader: IndexReader, text: string): boolean {
  if (context.indexOnly.size === 0) return false;
  let names: Set<string>;
  try {
    names = mentioned(reader.indexSide(text).text);
  } catch {
    names = mentioned(text);
  }
  return [...names].some((n) => context.indexOnly.has(n));
}

/** The definitions of the context that the texts use, in order (transitively). */
function relevantDefinitions(context: Context, texts: readonly string[]): string[] {
  const used = new Set<string>();
  for (const t of texts) for (const n of mentioned(t)) used.add(n);
  const keep = new Array<boolean>(context.indexSource.length).fill(false);
  for (let changed = true; changed; ) {
    changed = false;
    context.indexSource.forEach((line, k) => {
      if (keep[k]) return;
      const base = definedBase(line);
      if (base === undefined || !used.has(base)) return;
      keep[k] = true;
      changed = true;
      for (const n of mentioned(line.slice(line.indexOf("=") + 1))) used.add(n);
    });
  }
  // a name defined twice: its last definition
  const lines = context.indexSource.filter((_, k) => keep[k]);
  return lines.filter((line, k) => !lines.slice(k + 1).some((later) => definedBase(later) === definedBase(line)));
}

// ---------------------------------------------------------------------------------------------
// Free indices of a side

const SUBSCRIPTED = /^([^_{}]+)_(?:\{([^{}]*)\}|([\p{L}\p{Nd}]+))$/u;

function subscriptParts(raw: string): { base: string; parts: string[] } | undefined {
  const m = SUBSCRIPTED.exec(raw);
  if (!m) return undefined;
  const inner = (m[2] ?? m[3]!).trim();
  const parts = /[,\s]/u.test(inner) ? inner.split(/[\s,]+/u).filter((p) => p !== "") : [...inner];
  return { base: m[1]!, parts };
}

/** A text's subscripted names and the letters its sums bind. */
interface Subscripts {
  readonly names: Array<{ base: string; parts: string[] }>;
  readonly sumLetters: Set<string>;
}

/** The subscripted names of a text and the letters its sums bind. */
function subscripts(text: string): Subscripts {
  const names: Array<{ base: string; parts: string[] }> = [];
  const sumLetters = new Set<string>();
  const stack: Syntax[] = [];
  for (const st of parseStatements(text)) {
    if (st.type === "expression") stack.push(st.expr);
    else if (st.type === "define" || st.type === "function") stack.push(st.body);
    if (st.type === "define") {
      const sub = subscriptParts(st.name.text);
      if (sub) names.push(sub);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "name") {
      const sub = subscriptParts(n.token.text);
      if (sub) names.push(sub);
    } else if (n.type === "apply" && n.callee.text === "sum") {
      const args = listItems(n.args);
      const index = args[1];
      if (args.length === 4 && index?.type === "name") sumLetters.add(index.token.text);
    } else if (n.type === "bigsum") sumLetters.add(n.index);
    stack.push(...syntaxChildren(n));
  }
  return { names, sumLetters };
}

/**
 * The free indices of a side: letters in the subscripts of names that have entries (a name
 * subscripted somewhere with a sum's index, a variable of the derivative, a definition's z_i),
 * bound by no sum of the side (x_j in ∂/∂x_j Σ_i (y_i - w x_i)^2 = -2 w (y_j - w x_j)).
 */
function freeLetters({ names, sumLetters }: Subscripts, indexed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const { base, parts } of names) {
    if (!indexed.has(base)) continue;
    for (const p of parts) if (/^[a-z]$/u.test(p) && !sumLetters.has(p) && !out.includes(p)) out.push(p);
  }
  return out.sort();
}

/** Names with entries: subscripted with a sum's letter somewhere, or a definition's or variable's subscript. */
function indexedBases(texts: readonly Subscripts[], extra: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const { names, sumLetters } of texts) {
    for (const { base, parts } of names) if (parts.some((p) => sumLetters.has(p))) out.add(base);
  }
  for (const t of extra) {
    const sub = subscriptParts(t.slice(0, t.includes("=") ? t.indexOf("=") : t.length).trim());
    if (sub && sub.parts.every((p) => /^[a-z]$/u.test(p))) out.add(sub.base);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Random draws


type Domain = "positive" | "unit" | "real";

/** Inputs used directly as the argument of log, sqrt (positive) or of a probability function (0, 1). */
function domains(exprs: readonly IExpr[]): Map<string, Domain> {
  const out = new Map<string, Domain>();
  const seen = new Set<IExpr>();
  const visit = (e: IExpr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    switch (e.kind) {
      case "apply": {
        const domain = lookupFunction(e.fn)?.domain;
        if (e.arg.kind === "entry" && domain && domain !== "real" && domain !== "nonzero") out.set(e.arg.name, domain === "open-unit" ? "unit" : "positive");
        visit(e.arg);
        return;
      }
      case "sum": return visit(e.body);
      case "add": return e.terms.forEach(visit);
      case "mul": return e.factors.forEach(visit);
      case "pow": return visit(e.base);
      default: return;
    }
  };
  exprs.forEach(visit);
  return out;
}

/** Numbers with two decimals (counterexamples read well), never 0. */
function drawNumber(random: () => number, domain: Domain): number {
  const [lo, hi] = domain === "unit" ? [0.05, 0.95] : domain === "positive" ? [0.1, 3] : [-2.5, 2.5];
  const v = Math.round((lo + (hi - lo) * random()) * 100) / 100;
  return v === 0 ? 0.07 : v;
}

interface Draw {
  readonly sizes: Map<string, number>;
  readonly indices: Map<string, number>;
  readonly values: Map<string, number[][]>;
}

/** The counterexample of a draw: sizes, free indices, then every entry of every input. */
function counterexample(p: IndexProgram, draw: Draw): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [n, k] of draw.sizes) out[n] = k;
  for (const [l, k] of draw.indices) out[l] = k;
  for (const name of p.inputs) {
    const m = draw.values.get(name)!;
    const arity = p.arities.get(name) ?? 0;
    if (arity === 0) out[name] = m[0]![0]!;
    else if (arity === 1) m.forEach((row, i) => (out[`${name}_${i + 1}`] = row[0]!));
    else m.forEach((row, i) => row.forEach((v, j) => (out[`${name}_{${i + 1},${j + 1}}`] = v)));
  }
  return out;
}

const at = (draw: Draw): string => [...draw.sizes, ...draw.indices].map(([n, k]) => `${n} = ${k}`).join(", ");

// ---------------------------------------------------------------------------------------------
// The step

/** A name for a side's definition that the texts do not use. */
function sideName(stem: string, texts: readonly string[]): string {
  const used = new Set(texts.flatMap((t) => [...mentioned(t)]));
  for (let k = 0; ; k++) {
    const name = `${stem}${k === 0 ? "" : k}`;
    if (!used.has(name)) return name;
  }
}

const subscript = (letters: readonly string[]): string => (letters.length === 0 ? "" : `_{${letters.join(",")}}`);


interface Built {
  readonly program: IndexProgram;
  readonly left: IExpr;
  readonly right: IExpr;
  /** The derivative of the left side, when it is one. */
  readonly derivative?: IExpr;
  readonly free: readonly string[];
}

/** Both sides as definitions of one program (and the left side's derivative taken). */
function buildStep(left: IndexSide, right: IndexSide, context: Context, chainWrts: readonly string[]): Built {
  if (right.wrts) throw new Unsupported("a derivative operator on the right side is not checked in index notation");
  const texts = [left.text, right.text];
  const defs = relevantDefinitions(context, texts);
  const wrts = left.wrts ?? [];
  const leftSubscripts = subscripts(left.text);
  const rightSubscripts = subscripts(right.text);
  const indexed = indexedBases([leftSubscripts, rightSubscripts, ...defs.map(subscripts)], [...defs, ...wrts, ...chainWrts]);
  const freeLeft = freeLetters(leftSubscripts, indexed);
  const freeRight = freeLetters(rightSubscripts, indexed);
  if (freeLeft.length > 2 || freeRight.length > 2) throw new Unsupported("more than two free indices are not supported");
  const L = sideName("LHS", [...texts, ...defs]);
  const R = sideName("RHS", [...texts, ...defs]);
  const text = [...defs, `${L}${subscript(freeLeft)} = ${left.text}`, `${R}${subscript(freeRight)} = ${right.text}`, `${L}${subscript(freeLeft)}`].join("\n");
  const program = buildIndexProgram(text, parseStatements(text));
  const n = program.definitions.length;
  const leftDef = program.definitions[n - 2]!;
  const rightDef = program.definitions[n - 1]!;
  let leftExpr = namedSums(program, leftDef.body);
  let derivative: IExpr | undefined;
  if (wrts.length > 0) {
    // ∂²/∂x∂y: by the last variable written first
    derivative = indexProgramDerivative(program, [...wrts].reverse().map((w) => wrtEntry(program, w))).result;
    leftExpr = derivative;
  }
  const right_ = namedSums(program, rightDef.body);
  const free = [...new Set([...leftExpr.free, ...right_.free])].sort();
  return { program, left: leftExpr, right: right_, free, ...(derivative ? { derivative } : {}) };
}

function refusal(err: unknown): { refused: string } {
  if (err instanceof DeriveError || err instanceof Unsupported) return { refused: err.message };
  throw err;
}

/** The expected derivative as text and LaTeX. */
const printed = (e: IExpr): { text: string; latex: string } => ({ text: indexToText(e, { bounds: true }), latex: indexToLatex(e, { bounds: true }) });

/** A chain's first side for index programs; undefined when it cannot be read in index notation. */
export function chainSide(reader: IndexReader, text: string): IndexSide | undefined {
  try {
    return reader.indexSide(text);
  } catch {
    return undefined;
  }
}

/** The derivative of a chain's first side (read by chainSide), for the expected expression of a later wrong step. */
export function indexDerivative(context: Context, side: IndexSide | undefined): IExpr | undefined {
  if (!side?.wrts) return undefined;
  try {
    return buildStep(side, { text: "0" }, context, []).derivative;
  } catch {
    return undefined;
  }
}

/** What is wrong, when the right side is a constant multiple of the left one at every draw. */
function factorMistake(ratios: readonly number[], derivative: boolean): string | undefined {
  if (ratios.length < 3) return undefined;
  const c = ratios[0]!;
  if (!Number.isFinite(c) || c === 0 || ratios.some((r) => relativeDifference(r, c) > DISAGREE)) return undefined;
  const what = derivative ? "the correct derivative" : "the left side";
  if (relativeDifference(c, -1) <= DISAGREE) return derivative ? "sign error: the claim is the negative of the correct derivative" : "sign error: the right side is the negative of the left side";
  return `a constant factor is off: the claim is ${formatNumber(c)} times ${what}`;
}

/**
 * Decides `left = right` with index programs, or says why it cannot (`refused`). `chainWrts`:
 * the variables of the chain's derivative (their free indices stay free in later steps);
 * `expected`: the chain's derivative, shown when a later step is wrong.
 */
export function indexStep(reader: IndexReader, context: Context, leftText: string, rightText: string, options: { chainWrts?: readonly string[]; expected?: IExpr } = {}): IndexStep {
  let built: Built;
  try {
    built = buildStep(reader.indexSide(leftText), reader.indexSide(rightText), context, options.chainWrts ?? []);
  } catch (err) {
    return refusal(err);
  }
  const { program: p, left, right, derivative } = built;
  const expectedExpr = derivative ?? options.expected;
  const expected = expectedExpr ? { expected: printed(expectedExpr) } : {};
  // summation letters renamed alike on both sides (Σ_i x_i and Σ_k x_k are one expression)
  if (tidyIndices(left) === tidyIndices(right)) return { outcome: { verdict: "valid", reason: "both sides are the same expression in index notation" } };
  const sizes = [...p.sizes];
  const domain = domains([left, right, ...p.definitions.map((d) => d.body)]);
  const random = generator(0x5eed);
  const ranges = new Map([...freeIndexRanges(p, left), ...freeIndexRanges(p, right)]);
  let agreed = 0;
  let noisy: Draw | undefined;
  const ratios: number[] = [];
  let first: { draw: Draw; a: number; b: number } | undefined;
  for (let k = 0; k < DRAWS * 4 && agreed < DRAWS; k++) {
    // the first draws set every size to 1, 2, …, 6 in turn; later ones mix them
    const drawSizes = new Map(sizes.map((s) => [s, k < INDEX_SIZES.length ? INDEX_SIZES[k]! : INDEX_SIZES[Math.floor(random() * INDEX_SIZES.length)]!] as const));
    const largest = Math.max(1, ...drawSizes.values());
    const sizeOf = (d: string | number | undefined): number => (d === undefined ? largest : typeof d === "number" ? d : drawSizes.get(d) ?? largest);
    const values = new Map<string, number[][]>();
    for (const name of p.inputs) {
      const arity = p.arities.get(name) ?? 0;
      const r = p.ranges.get(name) ?? [];
      const rows = arity >= 1 ? sizeOf(r[0]) : 1;
      const cols = arity === 2 ? sizeOf(r[1]) : 1;
      values.set(name, Array.from({ length: rows }, () => Array.from({ length: cols }, () => drawNumber(random, domain.get(name) ?? "real"))));
    }
    for (const [s, v] of drawSizes) values.set(s, [[v]]);
    const indices = new Map(built.free.map((l) => [l, 1 + Math.floor(random() * sizeOf(ranges.get(l)))] as const));
    const draw: Draw = { sizes: drawSizes, indices, values };
    let a: number, b: number;
    try {
      a = indexProgramValue(p, left, { values, indices });
      b = indexProgramValue(p, right, { values, indices });
    } catch {
      continue;
    }
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const r = relativeDifference(a, b);
    if (r <= AGREE) {
      agreed++;
      continue;
    }
    if (r <= DISAGREE) {
      noisy ??= draw;
      continue;
    }
    first ??= { draw, a, b };
    if (a !== 0) ratios.push(b / a);
    if (ratios.length >= 6 || k >= DRAWS * 2) break;
  }
  if (first) {
    const sameFree = left.free.length === right.free.length && left.free.every((f) => right.free.includes(f));
    const list = (free: readonly string[]): string => (free.length === 0 ? "no free index" : `the free ${free.length === 1 ? "index" : "indices"} ${free.join(", ")}`);
    const mistake = sameFree ? factorMistake(ratios, derivative !== undefined) : `wrong index: the left side has ${list(left.free)}, the right side ${list(right.free)}`;
    const base = `for ${at(first.draw)}: the left side is ${formatNumber(first.a)}, the right side ${formatNumber(first.b)}`;
    return {
      outcome: {
        verdict: "invalid",
        reason: mistake ? `${mistake}; ${base}` : base,
        counterexample: counterexample(p, first.draw),
        lhs: first.a,
        rhs: first.b,
        ...expected,
      },
    };
  }
  if (noisy) return { outcome: { verdict: "unknown", reason: `the two sides differ only in the last digits for ${at(noisy)} (rounding noise or a tiny difference)` } };
  if (agreed < MIN_AGREED) return { outcome: { verdict: "unknown", reason: "could not find enough random draws where both sides are defined" } };
  const names = sizes.length > 0 ? sizes.join(", ") : "the sizes";
  const inputs = p.inputs.map((n) => ((p.arities.get(n) ?? 0) === 0 ? n : (p.arities.get(n) === 1 ? `${n}_i` : `${n}_ij`)));
  const of = inputs.length > 0 ? ` with random values of ${inputs.join(", ")}` : "";
  return {
    outcome: {
      verdict: "valid",
      reason: `both sides agree at ${agreed} random draws of ${names} from 1 to 6${of} (randomised test at sizes 1–6 of every size name; not proved for every ${names})`,
    },
  };
}
