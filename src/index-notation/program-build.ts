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
 * This file reads programs; program.ts differentiates and prints them (∂/∂w gives
 * (2/n) Σ_i (w x_i - y_i) x_i, ∂/∂x_j contracts the sum with δ_ij), program-values.ts gives numbers.
 */
import * as Q from "../ast/rational.js";
import { DeriveError } from "../errors.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import type { Dim } from "../matrix/shape.js";
import { errorAt, firstToken } from "../parse/build.js";
import type { Token } from "../parse/lexer.js";
import { canonicalName, isGreekLetterName } from "../parse/names.js";
import { listItems, syntaxChildren, type Statement, type Syntax } from "../parse/syntax.js";
import { add, apply, entry, forEachEntry, mul, num, pow, sumOver, type IExpr, type Index } from "./expr.js";
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


/**
 * The index program of parsed statements (`text` is their source, for messages). Built twice:
 * the first pass learns which names have entries, so that x_1 before x_i is an entry too.
 */
export function buildIndexProgram(text: string, statements: readonly Statement[]): IndexProgram {
  const first = buildAll(text, statements, new Map());
  return buildAll(text, statements, first.builder.arities, first.builder.sizes).program;
}

