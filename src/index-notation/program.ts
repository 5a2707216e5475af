/**
 * Index programs: formulas with sums up to a symbolic bound, as exercise sheets write them,
 *
 *   L = (1/n) sum((y_i - w x_i)^2, i, 1, n)
 *   z_i = Σ_{j=1}^{d} w_ij x_j + b_i;  f = (y - Σ_{i=1}^{n} σ(z_i))^2
 *
 * read into index expressions (expr.ts). A subscript made of the indices of the sums around it,
 * or of the definition's own indices (z_i = …), makes a name an entry of a vector or matrix (x_i,
 * w_ij); once a name is known to have entries, its other subscripts are entries too (x_1, w_jk).
 * Other names are scalars, as everywhere else: f_in stays a name under a sum over i. A sum up to
 * n runs over a dimension of size n, and n may also be used as a number ((1/n) Σ …).
 *
 * Differentiation, printing and numbers are index notation's own (derive.ts, print.ts,
 * evaluate.ts): ∂/∂w gives -(2/n) Σ_i (y_i - w x_i) x_i, ∂/∂x_j contracts the sum with δ_ij.
 */
import * as Q from "../ast/rational.js";
import { DeriveError } from "../errors.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import type { Dim } from "../matrix/shape.js";
import type { Matrix } from "../numeric/matrix.js";
import { errorAt, firstToken } from "../parse/build.js";
import type { Token } from "../parse/lexer.js";
import { canonicalName, isGreekLetterName } from "../parse/names.js";
import { listItems, syntaxChildren, type Statement, type Syntax } from "../parse/syntax.js";
import { entryDifferentiator, type EntryDefinitions } from "./derive.js";
import { readEntryName } from "./entry-name.js";
import { chainDerivation, type ChainSource, type ElementwiseDerivation } from "./elementwise.js";
import { evaluateIndex } from "./evaluate.js";
import { equationToLatex, equationToText, indexToLatex, indexToText } from "./print.js";
import { add, apply, entry, mapChildren, mul, num, pow, splitCoefficient, substitute, sumOver, SUMMATION_LETTERS, tidyIndices, type IEntry, type IExpr, type Index } from "./expr.js";
import type { Arity } from "./from-matrix.js";

/** `name_indices = body`: a scalar definition (no indices) or one written entry by entry (z_i). */
export interface IndexDefinition {
  readonly name: string;
  readonly indices: readonly string[];
  readonly body: IExpr;
}

export interface IndexProgram {
  readonly definitions: readonly IndexDefinition[];
  /** The expression asked about: the last statement, or the last definition's left-hand side. */
  readonly target: IExpr;
  /** The target's name, when the program ends with a name (L, z_i) or a definition. */
  readonly targetName: string | undefined;
  /** Indices of each name's entries (0 scalar, 1 vector, 2 matrix), inputs and defined names. */
  readonly arities: ReadonlyMap<string, Arity>;
  /** The inputs (neither defined nor sizes nor constants), in order of first appearance. */
  readonly inputs: readonly string[];
  /** The range of each index of a name, where a sum said it (x_i under a sum up to n: n). */
  readonly ranges: ReadonlyMap<string, ReadonlyArray<Dim | undefined>>;
  /** Names used as the upper bound of a sum (n). */
  readonly sizes: ReadonlySet<string>;
  /** The index letters of the sums as written, first seen first: results name their sums so. */
  readonly letters: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Which programs are index programs

/** The bounds of a sum node: `sum(body, i, lo, hi)` or Σ_{i=lo}^{hi}. */
interface SumParts {
  readonly token: Token;
  readonly index: Syntax | string;
  readonly lower: Syntax | string | null;
  readonly upper: Syntax | string | null;
  readonly body: Syntax;
}

function sumParts(n: Syntax): SumParts | undefined {
  if (n.type === "apply" && n.callee.text === "sum") {
    const args = listItems(n.args);
    if (args.length === 4) return { token: n.callee, body: args[0]!, index: args[1]!, lower: args[2]!, upper: args[3]! };
  }
  if (n.type === "bigsum") return { token: n.token, body: n.body, index: n.index, lower: n.lower, upper: n.upper };
  return undefined;
}

const isWholeNumber = (b: Syntax | string | null): boolean => (typeof b === "string" ? /^\d+$/u.test(b) : b !== null && b.type === "number" && /^\d+$/u.test(b.token.text));

/** Whether a program has a sum whose bounds are not both whole numbers (sum(…, i, 1, n)). */
export function usesSymbolicSums(statements: readonly Statement[]): boolean {
  const stack: Syntax[] = [];
  for (const st of statements) if (st.type !== "declare") stack.push(st.type === "expression" ? st.expr : st.body);
  while (stack.length > 0) {
    const n = stack.pop()!;
    const sum = sumParts(n);
    if (sum && sum.upper !== null && !(isWholeNumber(sum.lower) && isWholeNumber(sum.upper))) return true;
    stack.push(...syntaxChildren(n));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Names with subscripts

/** A name split into its base and the characters (or comma-separated parts) of its subscript. */
interface Subscripted {
  readonly base: string;
  readonly parts: readonly string[];
  /** The subscript is one run of digits (x_12: the twelfth entry of a vector, w_12 of a matrix). */
  readonly digits: string | undefined;
}

function subscripted(raw: string): Subscripted | undefined {
  // the last subscript: __proto___i is an entry of __proto__
  const m = /^([^{}]+)_(?:\{([^{}]*)\}|([\p{L}\p{Nd}]+))$/u.exec(raw);
  if (!m) return undefined;
  const inner = (m[2] ?? m[3]!).trim();
  const parts = /[,\s]/u.test(inner) ? inner.split(/[\s,]+/u).filter((p) => p !== "") : [...inner];
  if (parts.length === 0 || parts.length > 2) return undefined;
  if (!parts.every((p) => /^[a-z]$/u.test(p) || /^\d+$/u.test(p))) return undefined;
  let base: string;
  try {
    base = canonicalName(m[1]!);
  } catch {
    return undefined;
  }
  return { base, parts, digits: /^\d+$/u.test(inner) ? inner : undefined };
}

// ---------------------------------------------------------------------------------------------
// Building

const SUPERSCRIPTS: ReadonlyMap<string, string> = new Map([..."⁰¹²³⁴⁵⁶⁷⁸⁹"].map((c, i) => [c, String(i)] as [string, string]).concat([["⁻", "-"]]));

/** What the names of one statement mean while it is built. */
interface Context {
  /** Letters bound by the sums around the point, to the engine's own index names. */
  readonly bound: ReadonlyMap<string, string>;
  /** The definition's own indices (z_i = …: i). */
  readonly own: ReadonlySet<string>;
}

class Builder {
  readonly arities = new Map<string, Arity>();
  readonly ranges = new Map<string, Array<Dim | undefined>>();
  readonly sizes = new Set<string>();
  readonly letters: string[] = [];
  readonly inputs: string[] = [];
  readonly defined = new Set<string>();
  private readonly rangeOf = new Map<string, Dim>();
  private fresh = 0;

  constructor(
    private readonly text: string,
    /** Arities learned by an earlier pass (x_1 before x_i is seen). */
    private readonly known: ReadonlyMap<string, Arity>,
    /** Sizes learned by an earlier pass (a bound met after a name that uses its letter). */
    private readonly knownSizes: ReadonlySet<string> = new Set(),
  ) {}

  fail(token: Token, message: string): never {
    throw errorAt(this.text, token, message);
  }

  private setArity(name: string, arity: Arity, token: Token): void {
    const seen = this.arities.get(name) ?? this.known.get(name);
    if (seen !== undefined && seen !== arity) {
      const what = (a: Arity): string => ["a scalar", "a vector (one index)", "a matrix (two indices)"][a]!;
      this.fail(token, `${name} is used as ${what(seen)} and here as ${what(arity)}`);
    }
    this.arities.set(name, arity);
  }

  private use(name: string): void {
    if (!this.defined.has(name) && !this.sizes.has(name) && !this.inputs.includes(name) && !lookupConstant(name)) this.inputs.push(name);
  }

  /** The entry or scalar a name token stands for. */
  name(token: Token, ctx: Context): IExpr {
    const sub = subscripted(token.text);
    if (sub) {
      const isIndex = (p: string): boolean => ctx.bound.has(p) || ctx.own.has(p);
      // W_ij under a sum over j is an entry of W with i free; a size's letter (f_in, sums to n) is no index
      const isFreeLetter = (p: string): boolean => /^[a-z]$/u.test(p) && !this.sizes.has(p) && !this.knownSizes.has(p);
      const indexed =
        (sub.parts.every((p) => isIndex(p) || /^\d+$/u.test(p)) && sub.parts.some(isIndex)) ||
        (sub.parts.some((p) => ctx.bound.has(p)) && sub.parts.every((p) => isIndex(p) || /^\d+$/u.test(p) || isFreeLetter(p)));
      const arity = this.arities.get(sub.base) ?? this.known.get(sub.base);
      if (indexed || (arity !== undefined && arity > 0 && sub.parts.every((p) => /^[a-z]$/u.test(p) || /^\d+$/u.test(p)))) {
        const parts = sub.digits !== undefined && arity === 1 ? [sub.digits] : sub.parts;
        const indices: Index[] = parts.map((p) => {
          if (/^\d+$/u.test(p)) {
            if (Number(p) < 1) this.fail(token, `indices start at 1: ${token.text}`);
            return Number(p);
          }
          return ctx.bound.get(p) ?? p;
        });
        this.setArity(sub.base, indices.length as Arity, token);
        indices.forEach((i, m) => {
          const range = typeof i === "string" ? this.rangeOf.get(i) : undefined;
          if (range === undefined) return;
          const ranges = this.ranges.get(sub.base) ?? [];
          ranges[m] ??= range;
          this.ranges.set(sub.base, ranges);
        });
        this.use(sub.base);
        return entry(sub.base, sub.base, indices);
      }
    }
    if (ctx.bound.has(token.text) || ctx.own.has(token.text)) {
      this.fail(token, `the index ${token.text} used as a number is not supported in a sum up to a symbolic bound (its entries can be: ${token.text === "i" ? "x_i" : `x_${token.text}`})`);
    }
    let name: string;
    try {
      name = canonicalName(token.text);
    } catch (err) {
      if (err instanceof DeriveError) this.fail(token, err.message);
      throw err;
    }
    // a Greek letter is a name as well as a function (σ² the variance, σ(z) the sigmoid), as in the scalar parser
    if (lookupFunction(name) && !lookupConstant(name) && !isGreekLetterName(name)) this.fail(token, `${name} is a function: write ${name}(…)`);
    const arity = this.arities.get(name) ?? this.known.get(name);
    if (arity !== undefined && arity > 0) {
      this.fail(token, `${name} has entries (${name}_${arity === 1 ? "i" : "ij"}): write an entry, or the sum over them`);
    }
    this.setArity(name, 0, token);
    this.use(name);
    return entry(name, name, []);
  }

  /** Σ over `index` from 1 to the bound: the body built with the letter bound to a new index. */
  sum(parts: SumParts, ctx: Context): IExpr {
    const { token } = parts;
    const letter = typeof parts.index === "string" ? parts.index : parts.index.type === "name" ? parts.index.token.text : undefined;
    if (letter === undefined || !/^[a-z]$/u.test(letter)) this.fail(token, "the index of a sum is a single lower-case letter, as in sum(x_i^2, i, 1, n)");
    if (parts.upper === null || parts.lower === null) this.fail(token, `give the bounds of the sum: Σ_{${letter}=1}^{n}`);
    if (!isOne(parts.lower)) this.fail(token, `a sum up to a symbolic bound runs from ${letter} = 1 here: write Σ_{${letter}=1}^{n} (or shift the index)`);
    const range = this.bound(parts.upper, token);
    if (!this.letters.includes(letter)) this.letters.push(letter);
    // the engine's own name, never one a user can write; it remembers the letter for printing
    const index = `#${++this.fresh}:${letter}`;
    this.rangeOf.set(index, range);
    const body = this.expr(parts.body, { bound: new Map([...ctx.bound, [letter, index]]), own: ctx.own });
    return sumOver(index, range, body);
  }

  private bound(b: Syntax | string, token: Token): Dim {
    const text = typeof b === "string" ? b : b.type === "number" || b.type === "name" ? b.token.text : undefined;
    if (text !== undefined && /^\d+$/u.test(text)) {
      if (Number(text) < 1) this.fail(token, "a sum up to 0 is empty: the upper bound is at least 1");
      return Number(text);
    }
    let name: string | undefined;
    try {
      name = text === undefined ? undefined : canonicalName(text);
    } catch {
      name = undefined;
    }
    if (name === undefined || lookupConstant(name) || name.includes("_")) {
      this.fail(token, "the upper bound of a sum up to a symbolic size is a name such as n or a whole number (a sum to n - 1 is a sum to a size of its own: m)");
    }
    if ((this.arities.get(name) ?? this.known.get(name) ?? 0) > 0) this.fail(token, `${name} has entries, so it cannot be the size of a sum`);
    this.sizes.add(name);
    // a size may have been met as a number before it was a bound ((1/n) Σ …)
    const at = this.inputs.indexOf(name);
    if (at >= 0) this.inputs.splice(at, 1);
    return name;
  }

  expr(root: Syntax, ctx: Context): IExpr {
    const n = root;
    switch (n.type) {
      case "number":
        return num(Q.parseDecimal(n.token.text));
      case "name":
        return this.name(n.token, ctx);
      case "group":
        return this.expr(n.inner, ctx);
      case "negate": {
        const operand = this.expr(n.operand, ctx);
        return n.count % 2 === 1 ? mul(num(-1), operand) : operand;
      }
      case "binary": {
        // the whole left spine of operators of one level at once: a long sum is one add, built once
        const sum = n.op === "+" || n.op === "-";
        const parts: Array<{ op: string | undefined; node: Syntax }> = [];
        let spine: Syntax = n;
        while (spine.type === "binary" && (spine.op === "+" || spine.op === "-") === sum) {
          parts.push({ op: spine.op, node: spine.right });
          spine = spine.left;
        }
        parts.push({ op: undefined, node: spine });
        // built in source order, so inputs are listed as they first appear
        const operands = parts.reverse().map(({ op, node }) => {
          const e = this.expr(node, ctx);
          return op === "-" ? mul(num(-1), e) : op === "/" ? pow(e, -1) : e;
        });
        return sum ? add(...operands) : mul(...operands);
      }
      case "power": {
        const exponent = this.expr(n.exponent, ctx);
        const signed = n.signs % 2 === 1 ? mul(num(-1), exponent) : exponent;
        if (n.base.type === "name" && n.base.token.text === "e" && !this.known.has("e")) return apply("exp", signed);
        if (signed.kind !== "num") this.fail(n.token, "with sums up to a symbolic bound, exponents are numbers (write exp(…) for e^…)");
        return this.raised(n.base, signed.value, ctx);
      }
      case "superscript": {
        let digits = "";
        for (const ch of n.token.text) digits += SUPERSCRIPTS.get(ch) ?? "";
        return this.raised(n.base, Q.rational(BigInt(digits)), ctx);
      }
      case "apply":
        return this.apply(n, ctx);
      case "bigsum":
        return this.sum(sumParts(n)!, ctx);
      case "bracket": {
        const items = listItems(n.items);
        if (items.length === 1 && items[0]!.type !== "bracket") return this.expr(items[0]!, ctx);
        return this.fail(n.open, "a vector or matrix literal cannot be used with sums up to a symbolic bound: write the entries (x_i)");
      }
      case "deriv":
        return this.fail(n.token, "d/dx(…) cannot be used with sums up to a symbolic bound: differentiate with derive diff --wrt");
      case "transpose":
        return this.fail(n.token, "a transpose cannot be used with sums up to a symbolic bound: write the entries (w_ji)");
      case "norm":
        return this.fail(n.open, "a norm cannot be used with sums up to a symbolic bound: write the sum of squares");
    }
  }

  /**
   * base^exp; `x(a)^2` where x is no function is x·(a)^2, as in the scalar parser: the exponent
   * belongs to the parenthesised factor.
   */
  private raised(base: Syntax, exp: Q.Rational, ctx: Context): IExpr {
    if (base.type === "apply" && !sumParts(base) && base.args.prev === null && !isFunctionName(base.callee.text)) {
      return mul(this.name(base.callee, ctx), pow(this.expr(base.args.item, ctx), exp));
    }
    return pow(this.expr(base, ctx), exp);
  }

  private apply(n: Syntax & { type: "apply" }, ctx: Context): IExpr {
    const sum = sumParts(n);
    if (sum) return this.sum(sum, ctx);
    const args = listItems(n.args);
    let name: string;
    try {
      name = canonicalName(n.callee.text);
    } catch (err) {
      if (err instanceof DeriveError) this.fail(n.callee, err.message);
      throw err;
    }
    const fn = lookupFunction(name);
    if (fn) {
      if (fn.arity !== 1 || args.length !== 1) this.fail(n.callee, `${fn.name} of several arguments cannot be used with sums up to a symbolic bound`);
      return apply(fn.name, this.expr(args[0]!, ctx));
    }
    if (name === "sum") this.fail(n.callee, "sum(expr, i, lo, hi) takes four arguments: the body, the index, and the bounds");
    // x(a) where x is no function is the product x·(a)
    if (args.length === 1) return mul(this.name(n.callee, ctx), this.expr(args[0]!, ctx));
    return this.fail(n.callee, `unknown function ${JSON.stringify(n.callee.text)}; functions defined in the program cannot be used with sums up to a symbolic bound`);
  }
}

function isFunctionName(text: string): boolean {
  try {
    return lookupFunction(canonicalName(text)) !== undefined;
  } catch {
    return false;
  }
}

const isOne = (b: Syntax | string): boolean => (typeof b === "string" ? b === "1" : b.type === "number" && b.token.text === "1");

/** The letters of a definition's subscript that may be its own indices (z_i, w_jk). */
function ownLetters(raw: string): string[] {
  const sub = subscripted(raw);
  return sub && sub.parts.every((p) => /^[a-z]$/u.test(p)) ? [...sub.parts] : [];
}

function buildAll(text: string, statements: readonly Statement[], known: ReadonlyMap<string, Arity>, knownSizes?: ReadonlySet<string>): { builder: Builder; program: IndexProgram } {
  const b = new Builder(text, known, knownSizes);
  const definitions: IndexDefinition[] = [];
  let target: IExpr | undefined;
  let targetName: string | undefined;
  statements.forEach((st, at) => {
    const last = at === statements.length - 1;
    if (st.type === "function") return b.fail(st.name, "functions defined in the program cannot be used with sums up to a symbolic bound: write their formula");
    if (st.type === "declare") return b.fail(st.name, "declarations cannot be used with sums up to a symbolic bound: a subscript (x_i) makes a vector");
    if (st.type === "expression") {
      if (!last) b.fail(firstToken(st.expr), "the expression asked about comes last; earlier lines define names (name = …)");
      target = b.expr(st.expr, { bound: new Map(), own: new Set() });
      if (st.expr.type === "name" && target.kind === "entry") targetName = target.name;
      return;
    }
    const own = ownLetters(st.name.text);
    const body = b.expr(st.body, { bound: new Map(), own: new Set(own) });
    const usedOwn = own.filter((l) => body.free.includes(l));
    // z_i = w is a vector too when z_i is used as one (constant entries)
    const usedAsEntries = own.length > 0 && known.get(subscripted(st.name.text)!.base) === own.length;
    if (usedOwn.length > 0 && usedOwn.length < own.length && !usedAsEntries) {
      b.fail(st.name, `${st.name.text} = …: the right side has no ${own.filter((l) => !usedOwn.includes(l)).join(", ")} in its subscripts`);
    }
    const indexed = usedOwn.length > 0 || usedAsEntries;
    const name = indexed ? subscripted(st.name.text)!.base : canonicalName(st.name.text);
    const indices = indexed ? own : [];
    const stray = body.free.filter((f) => !indices.includes(f));
    if (stray.length > 0) b.fail(st.name, `${name} = … has the free ${stray.length === 1 ? "index" : "indices"} ${stray.join(", ")}: name ${stray.length === 1 ? "it" : "them"} on the left (${name}_${stray.join("")} = …)`);
    if (b.defined.has(name) || b.inputs.includes(name)) b.fail(st.name, `${name} is ${b.defined.has(name) ? "defined twice" : "used before its definition"}`);
    if (b.arities.has(name) && b.arities.get(name) !== indices.length) b.fail(st.name, `${name} is used with ${b.arities.get(name)} indices elsewhere`);
    b.arities.set(name, indices.length as Arity);
    b.defined.add(name);
    definitions.push({ name, indices, body });
    if (last) {
      target = entry(name, name, indices);
      targetName = name;
    }
  });
  if (target === undefined) throw new DeriveError("empty input: expected an expression");
  propagateRanges(definitions, b.ranges);
  const inputs = b.inputs.filter((n) => !b.defined.has(n) && !b.sizes.has(n));
  return {
    builder: b,
    program: { definitions, target, targetName, arities: b.arities, inputs, ranges: b.ranges, sizes: b.sizes, letters: b.letters },
  };
}

/**
 * A definition's own index ranges over what its uses say (Σ_{i=1}^{n} σ(z_i) makes z's i run to
 * n), and so do the entries its body indexes with it (b_i, w_ij in z_i = Σ_j w_ij x_j + b_i):
 * the sizes of inputs follow from the sums that use the names defined from them.
 */
function propagateRanges(definitions: readonly IndexDefinition[], ranges: Map<string, Array<Dim | undefined>>): void {
  for (const d of [...definitions].reverse()) {
    const own = ranges.get(d.name);
    if (!own) continue;
    d.indices.forEach((letter, m) => {
      const range = own[m];
      if (range === undefined) return;
      forEachEntry(d.body, (e) => {
        e.indices.forEach((i, k) => {
          if (i !== letter) return;
          const theirs = ranges.get(e.name) ?? [];
          theirs[k] ??= range;
          ranges.set(e.name, theirs);
        });
      });
    });
  }
}

/** Calls `f` on every entry of e (once per distinct entry). */
function forEachEntry(e: IExpr, f: (e: IEntry) => void): void {
  const seen = new Set<IExpr>();
  const visit = (n: IExpr): void => {
    if (seen.has(n)) return;
    seen.add(n);
    switch (n.kind) {
      case "entry":
        f(n);
        break;
      case "sum":
        visit(n.body);
        break;
      case "add":
        n.terms.forEach(visit);
        break;
      case "mul":
        n.factors.forEach(visit);
        break;
      case "pow":
        visit(n.base);
        break;
      case "apply":
        visit(n.arg);
        break;
      case "grad":
        visit(n.entry);
        break;
      default:
        break;
    }
  };
  visit(e);
}

/**
 * The index program of parsed statements (`text` is their source, for messages). Built twice:
 * the first pass learns which names have entries, so that x_1 before x_i is an entry too.
 */
export function buildIndexProgram(text: string, statements: readonly Statement[]): IndexProgram {
  const first = buildAll(text, statements, new Map());
  return buildAll(text, statements, first.builder.arities, first.builder.sizes).program;
}

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
      // through placeholders, so that z_ij at (j, i) does not merge the two
      let body = d.body;
      d.indices.forEach((letter, m) => (body = substitute(body, letter, `\u0000${m}`)));
      indices.forEach((index, m) => (body = substitute(body, `\u0000${m}`, index)));
      return body;
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

// ---------------------------------------------------------------------------------------------
// Numbers

export interface IndexProgramValues {
  /** Values of the inputs (scalars as 1×1, vectors as columns); sizes may be given as numbers. */
  readonly values: ReadonlyMap<string, Matrix>;
  /** Values of free indices (z_i at i = 2). */
  readonly indices?: ReadonlyMap<string, number>;
  /** Values of gradients a step names (∂f/∂z_i: by "f/z"), see evaluate.ts. */
  readonly gradients?: ReadonlyMap<string, Matrix>;
}

/** The size a sum runs to: given as a number, else the length of an input indexed up to it. */
export function sizeOf(p: IndexProgram, values: ReadonlyMap<string, Matrix>, d: Dim): number {
  if (typeof d === "number") return d;
  const given = values.get(d);
  if (given) {
    const v = given[0]![0]!;
    if (!Number.isInteger(v) || v < 1) throw new DeriveError(`${d} is the size of a sum: give a whole number of at least 1, not ${v}`);
    return v;
  }
  let found: { name: string; length: number } | undefined;
  for (const [name, ranges] of p.ranges) {
    const m = values.get(name);
    ranges.forEach((range, at) => {
      if (!m || range !== d) return;
      const length = at === 0 ? m.length : m[0]!.length;
      if (found && found.length !== length) {
        throw new DeriveError(`${found.name} has ${found.length} entries and ${name} has ${length}, but both are summed up to ${d}`);
      }
      found ??= { name, length };
    });
  }
  if (found) return found.length;
  throw new DeriveError(`the size ${d} is unknown: give ${d} or the values of an input summed up to it`);
}

/** A value fits a name's entries: a number for a scalar, a list (a column) for a vector. */
function checkShape(name: string, arity: Arity, m: Matrix): void {
  const shape = `${m.length}×${m[0]!.length}`;
  if (arity === 0 && (m.length !== 1 || m[0]!.length !== 1)) throw new DeriveError(`${name} is a scalar, but its value is ${shape}`);
  if (arity === 1 && m[0]!.length !== 1) throw new DeriveError(`${name} is a vector (${name}_i): give a list such as [1, 2, 3], not a ${shape} matrix`);
}

/** The value of an expression of the program (definitions computed from the inputs). */
export function indexProgramValue(p: IndexProgram, e: IExpr, at: IndexProgramValues): number {
  const missing = p.inputs.filter((n) => !at.values.has(n));
  if (missing.length > 0) throw new DeriveError(`no value for ${missing.join(", ")}`);
  for (const name of p.inputs) checkShape(name, p.arities.get(name) ?? 0, at.values.get(name)!);
  const values = new Map(at.values);
  for (const n of p.sizes) if (!values.has(n)) values.set(n, [[sizeOf(p, at.values, n)]]);
  const defs = new Map(p.definitions.map((d) => [d.name, d]));
  const memo = new Map<string, number>();
  const size = (d: Dim): number => sizeOf(p, values, d);
  const entryValue = (name: string, indices: readonly number[]): number | undefined => {
    const d = defs.get(name);
    if (!d) return undefined;
    const key = `${name}[${indices.join(",")}]`;
    let v = memo.get(key);
    if (v === undefined) {
      v = evaluateIndex(d.body, { values, indices: new Map(d.indices.map((l, m) => [l, indices[m]!])), size, entry: entryValue });
      memo.set(key, v);
    }
    return v;
  };
  return evaluateIndex(e, { values, indices: at.indices ?? new Map(), size, entry: entryValue, ...(at.gradients ? { gradients: at.gradients } : {}) });
}

/** The range of each free index of e, where a sum of the program gave it (undefined elsewhere). */
export function freeIndexRanges(p: IndexProgram, e: IExpr, fallback: ReadonlyMap<string, Dim> = new Map()): Map<string, Dim | undefined> {
  const out = new Map<string, Dim | undefined>();
  forEachEntry(e, (n) => {
    n.indices.forEach((i, m) => {
      if (typeof i === "string" && e.free.includes(i) && out.get(i) === undefined) out.set(i, p.ranges.get(n.name)?.[m] ?? fallback.get(i));
    });
  });
  return out;
}

/**
 * The size an index of e runs over: the range a sum gave the entries it indexes, else the length
 * of a given input it indexes, else what the definition of a defined name it indexes says
 * (z_i = Σ_j w_ij x_j: i runs over the rows of w).
 */
function indexSize(p: IndexProgram, e: IExpr, index: string, values: ReadonlyMap<string, Matrix>, visited: Set<string> = new Set()): number | undefined {
  const defs = new Map(p.definitions.map((d) => [d.name, d]));
  let size: number | undefined;
  forEachEntry(e, (n) => {
    n.indices.forEach((i, m) => {
      if (size !== undefined || i !== index) return;
      const range = p.ranges.get(n.name)?.[m];
      const value = values.get(n.name);
      const d = defs.get(n.name);
      if (range !== undefined) size = sizeOf(p, values, range);
      else if (value) size = m === 0 ? value.length : value[0]!.length;
      else if (d && !visited.has(`${d.name}/${m}`)) size = indexSize(p, d.body, d.indices[m]!, values, visited.add(`${d.name}/${m}`));
    });
  });
  return size;
}

/**
 * The value of e at the given values (inputs and sizes; a value for a free index of e, i=2, fixes
 * it): a number, or one per entry when e has free indices, in the order of `order` (the rest
 * after): a vector for one, a matrix for two (∂f/∂w_kl is shaped like w). `context` holds the
 * entries the indices also belong to (the variables of a derivative), for their ranges.
 */
export function valuesOver(p: IndexProgram, e: IExpr, given: ReadonlyMap<string, Matrix>, order: readonly string[] = [], context: readonly IExpr[] = []): Matrix {
  const indices = new Map<string, number>();
  const inputs = new Map<string, Matrix>();
  // the indices of e and of its context (∂/∂x_j: j, even where the result has no j)
  const all = mul(e, ...context);
  for (const [name, m] of given) {
    if (all.free.includes(name) && !p.arities.has(name)) indices.set(name, m[0]![0]!);
    else inputs.set(name, m);
  }
  for (const [index, v] of indices) {
    const size = indexSize(p, all, index, inputs);
    if (!Number.isInteger(v) || v < 1 || (size !== undefined && v > size)) throw new DeriveError(`the index ${index} = ${v} is out of range: it runs from 1 to ${size ?? "its size"}`);
  }
  // a value per entry of the context too: ∂/∂x_j of Σ_i x_i is 1 for every j, shaped like x
  const free = [...order.filter((i) => all.free.includes(i)), ...all.free.filter((i) => !order.includes(i))].filter((i) => !indices.has(i));
  if (free.length > 2) throw new DeriveError(`the result has ${free.length} free indices (${free.join(", ")}): give some of them a value (${free[0]}=1)`);
  const sizes = free.map((i) => {
    const size = indexSize(p, all, i, inputs);
    if (size === undefined) throw new DeriveError(`the range of the index ${i} is unknown: give it a value (${i}=1)`);
    return size;
  });
  const at = (r: number, c: number): number => {
    const own = new Map(indices);
    if (free[0] !== undefined) own.set(free[0], r);
    if (free[1] !== undefined) own.set(free[1], c);
    return indexProgramValue(p, e, { values: inputs, indices: own });
  };
  return Array.from({ length: sizes[0] ?? 1 }, (_, r) => Array.from({ length: sizes[1] ?? 1 }, (_, c) => at(r + 1, c + 1)));
}
