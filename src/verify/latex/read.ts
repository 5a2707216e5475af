/**
 * LaTeX sides to expressions: the parse (grammar/latex.ne) and the builder, which resolves names
 * to the canonical names of the text syntax (`w_{12}` → w12, `z_{2,\text{out}}` → z_2_out),
 * expands sums with numeric bounds, applies user functions and differentiates derivative
 * operators in the context of the derivation.
 */
import nearley from "nearley";
import compiled from "./generated/grammar.js";
import { add, call, freeSymbols, mul, neg, num, pow, substitute, sym, Q, MINUS_ONE, type Expr } from "../../ast/index.js";
import { DeriveError } from "../../errors.js";
import { lookupFunction } from "../../functions/index.js";
import { canonicalName } from "../../parse/index.js";
import { differentiateSafe } from "../deps.js";
import type { Context } from "../context.js";
import type { Side } from "../compare.js";
import type { Reader } from "../chain.js";
import { readLiteral } from "../text.js";
import { MATRIX_CALCULUS, SymbolicBound, Unsupported } from "../types.js";
import { isConstantName } from "../context.js";
import { assemble, derivativeTensor, fromRows, isPlaceholder, Tensors, type Tensor } from "../tensor.js";
import { LatexTokenStream, tokenize, type LatexToken } from "./lexer.js";
import type { Node } from "./syntax.js";
import { latexIndexSide, type IndexSide } from "../index-sums.js";

const grammar = nearley.Grammar.fromCompiled(compiled as unknown as nearley.CompiledRules);

/** Parses tokens of one side. */
export function parseTokens(tokens: readonly LatexToken[], text: string): Node {
  if (tokens.length === 0) throw new DeriveError(`empty formula`);
  const parser = new nearley.Parser(grammar, { lexer: new LatexTokenStream(tokens) });
  (parser as unknown as { reportError: () => string }).reportError = () => "syntax error";
  try {
    parser.feed("");
  } catch (err) {
    const e = err as { token?: LatexToken };
    const at = e.token ? `unexpected "${e.token.text}"` : "syntax error";
    throw new DeriveError(`cannot read "${text.trim()}": ${at}`);
  }
  const results = parser.results as Node[];
  if (results.length === 0) throw new DeriveError(`cannot read "${text.trim()}": it ends too early`);
  return results[0]!;
}

/** Parses tokens of one side, quoting the tokens' own text in errors. */
const parseTokenList = (tokens: readonly LatexToken[]): Node => parseTokens(tokens, tokens.map((t) => t.text).join(""));

interface Scope {
  readonly context: Context;
  readonly keep: ReadonlySet<string>;
  /** Sum indices bound to numbers. */
  readonly indices: ReadonlyMap<string, number>;
  /** The vectors and matrices of the side being read, as placeholders. */
  readonly tensors: Tensors;
}

function nameOf(node: Extract<Node, { type: "name" }>, scope: Scope): string {
  const base = node.token.value;
  if (!node.sub) {
    const bound = scope.indices.get(base);
    if (bound !== undefined) return String(bound);
    return canonical(base);
  }
  const parts = node.sub.map((part) => {
    const text = part.map((t) => t.value).join("");
    // an index bound by a sum is replaced by its value, letter by letter (w_{ij} with i = 1, j = 2 is w12)
    if ([...text].every((ch) => scope.indices.has(ch) || /\d/.test(ch)) && [...text].some((ch) => scope.indices.has(ch))) {
      return [...text].map((ch) => (scope.indices.has(ch) ? String(scope.indices.get(ch)) : ch)).join("");
    }
    return text;
  });
  return canonical(`${base}_{${parts.join(",")}}`);
}

function canonical(raw: string): string {
  try {
    return canonicalName(raw);
  } catch (err) {
    throw new DeriveError(err instanceof Error ? err.message : String(err));
  }
}

/** The variable of a derivative (`w_3` in ∂/∂w_3). */
function variable(tokens: readonly LatexToken[], scope: Scope): string {
  const node = parseTokenList(tokens);
  if (node.type !== "name") throw new DeriveError(`cannot differentiate with respect to "${tokens.map((t) => t.text).join("")}": expected a name`);
  return nameOf(node, scope);
}

/** The variables of a derivative fraction, left to right as written. */
const variablesOf = (token: LatexToken, scope: Scope): string[] => token.parts!.variables!.map((v) => variable(v, scope));

/** A sum's bound: an integer, possibly through given values; a name without a value is a SymbolicBound. */
function integer(tokens: readonly LatexToken[], scope: Scope): number {
  const built = build(parseTokenList(tokens), scope);
  const value = scope.context.withValues(scope.context.inline(built));
  if (value.kind === "num" && Q.isInteger(value.value)) return Number(value.value.n);
  const names = [...new Set(freeSymbols(value).map((s) => s.name))].filter((n) => !isConstantName(n));
  if (names.length > 0) throw new SymbolicBound(names);
  throw new Unsupported("the bounds of a sum must be integers");
}

const hasPlaceholder = (e: Expr): boolean => freeSymbols(e).some((s) => isPlaceholder(s.name));

/**
 * Differentiates `operand` by the variables (∂²/∂x∂y: by y, then by x), holding the variables fixed
 * when they are defined names. `operand` is what the last differentiation applies to (the first
 * derivative of a second one), so a wrong step is diagnosed against the last rule applied.
 */
function derivativeOf(operand: Expr, wrts: readonly string[], scope: Scope): { operand: Expr; wrt: string; result: Expr } {
  if (hasPlaceholder(operand)) throw new Unsupported("derivatives of vectors and matrices are not supported: differentiate each component");
  let inner = scope.context.inline(operand, new Set([...scope.keep, ...wrts]));
  for (let k = wrts.length - 1; k > 0; k--) inner = differentiateSafe(inner, wrts[k]!);
  const wrt = wrts[0]!;
  return { operand: inner, wrt, result: differentiateSafe(inner, wrt) };
}

/** The value a number node was written with, for the digit tolerance of a tuple's entries. */
function entryLiteral(node: Node): Side["literal"] {
  if (node.type === "number") return readLiteral(node.token.value);
  if (node.type === "negate" && node.operand.type === "number") return readLiteral(`-${node.operand.token.value}`);
  if (node.type === "group") return entryLiteral(node.inner);
  return undefined;
}

/** One entry of a tuple or matrix: a scalar side (a vector inside a vector is no entry). */
function entry(node: Node, scope: Scope): Side {
  const inner: Scope = { ...scope, tensors: new Tensors() };
  const expr = scope.context.inline(build(node, inner), scope.keep);
  if (inner.tensors.size > 0) throw new Unsupported("vectors of vectors are not supported");
  const literal = entryLiteral(node);
  return { text: "entry", expr, ...(literal ? { literal } : {}) };
}

/** The rows of a "[" list: each item a "[" list (or a bracketed single entry); undefined for a vector. */
function matrixRows(node: Extract<Node, { type: "list" }>): (readonly Node[])[] | undefined {
  if (node.bracket !== "[") return undefined;
  const rows = node.items.map((item) => (item.type === "list" && item.bracket === "[" ? item.items : item.type === "group" && item.bracket === "[" ? [item.inner] : undefined));
  return rows.every((r) => r !== undefined) ? (rows as (readonly Node[])[]) : undefined;
}

function listTensor(node: Extract<Node, { type: "list" }>, scope: Scope): Tensor {
  const rows = matrixRows(node);
  if (rows) return fromRows(rows.map((r) => r.map((n) => entry(n, scope))), true);
  return fromRows(node.items.map((n) => [entry(n, scope)]), false);
}

/** \nabla f, \nabla^2 f, optionally at a point. */
function nablaTensor(token: LatexToken, scope: Scope): Tensor {
  const parts = token.parts!;
  const nameNode = parseTokenList(parts.name!);
  if (nameNode.type !== "name") throw new DeriveError("expected the name of a defined function after \\nabla");
  const fname = nameOf(nameNode, scope);
  let point: Expr[] | undefined;
  if (parts.args) {
    const argNode = parseTokenList(parts.args);
    const items = argNode.type === "list" ? argNode.items : argNode.type === "group" ? [argNode.inner] : [argNode];
    point = items.map((n) => entry(n, scope).expr);
  }
  const order = scope.context.written;
  return derivativeTensor(fname, parts.order === 2 ? 2 : 1, point, scope.context, (n) => order.get(n) ?? []);
}

export function build(node: Node, scope: Scope): Expr {
  switch (node.type) {
    case "number":
      return num(Q.parseDecimal(node.token.value));
    case "name": {
      const n = nameOf(node, scope);
      if (n === "∂") throw new DeriveError(`a lone ∂: write \\frac{\\partial L}{\\partial w}`);
      return /^\d+$/.test(n) ? num(BigInt(n)) : sym(n);
    }
    case "group":
      return build(node.inner, scope);
    case "negate":
      return neg(build(node.operand, scope));
    case "binary": {
      if (node.op === "implicit" && node.left.type === "name" && node.right.type === "group") {
        const fname = nameOf(node.left, scope);
        if (scope.context.functions.has(fname)) return applyUser(fname, [build(node.right.inner, scope)], scope);
      }
      // f(6, 6) also parses as f times the tuple (6, 6): read it as the application either way
      if (node.op === "implicit" && node.left.type === "name" && node.right.type === "list" && node.right.bracket === "(") {
        return build({ type: "apply", name: node.left, args: node.right.items }, scope);
      }
      const a = build(node.left, scope);
      const b = build(node.right, scope);
      switch (node.op) {
        case "+": return add(a, b);
        case "-": return add(a, neg(b));
        case "/": return mul(a, pow(b, MINUS_ONE));
        default: return mul(a, b);
      }
    }
    case "power":
      return pow(build(node.base, scope), build(node.exp, scope));
    case "transpose":
      throw new Unsupported(MATRIX_CALCULUS);
    case "call": {
      const fn = node.fn.value;
      const def = lookupFunction(fn);
      if (!def) throw new DeriveError(`unknown function ${fn}`);
      const arg = build(node.arg, scope);
      let value: Expr;
      if (node.prime) {
        const t = sym("__arg");
        value = substitute(differentiateSafe(call(def.name, t), "__arg"), new Map([[t as Expr, arg]]));
      } else value = call(def.name, arg);
      return node.power ? pow(value, build(node.power, scope)) : value;
    }
    case "apply": {
      const fname = node.name.type === "name" ? nameOf(node.name, scope) : "";
      if (!scope.context.functions.has(fname)) throw new DeriveError(`unknown function ${fname} with ${node.args.length} arguments; define it first, as in ${fname}(x, y) = …`);
      return applyUser(fname, node.args.map((a) => build(a, scope)), scope);
    }
    case "derivedApply": {
      const fname = node.name.type === "name" ? nameOf(node.name, scope) : "";
      const f = scope.context.functions.get(fname);
      if (!f || f.params.length !== 1) throw new DeriveError(`${fname}' needs a function of one variable defined first, as in ${fname}(x) = …`);
      const param = f.params[0]!;
      const d = differentiateSafe(scope.context.inline(f.body, new Set([param])), param);
      return substitute(d, new Map([[sym(param) as Expr, build(node.arg, scope)]]));
    }
    case "frac":
      return mul(build(node.num, scope), pow(build(node.den, scope), MINUS_ONE));
    case "sqrt":
      return node.index ? pow(build(node.arg, scope), pow(build(node.index, scope), MINUS_ONE)) : call("sqrt", build(node.arg, scope));
    case "abs":
      return call("abs", build(node.arg, scope));
    case "dop":
      return derivativeOf(build(node.body, scope), variablesOf(node.token, scope), scope).result;
    case "leib": {
      const parts = node.token.parts!;
      const f = build(parseTokenList(parts.numerator!), scope);
      return derivativeOf(f, variablesOf(node.token, scope), scope).result;
    }
    case "list":
      return scope.tensors.add(listTensor(node, scope));
    case "matrix":
      return scope.tensors.add(fromRows(node.rows.map((r) => r.map((n) => entry(n, scope))), true));
    case "nabla":
      return scope.tensors.add(nablaTensor(node.token, scope));
    case "sum": {
      const parts = node.token.parts!;
      const index = parts.index!;
      if (!/^[A-Za-z]$/.test(index)) throw new Unsupported(`a sum over "${index}" is not supported yet`);
      const lo = integer(parts.lo!, scope);
      const hi = integer(parts.hi!, scope);
      if (hi - lo > 1000) throw new Unsupported("sums of more than 1000 terms are not supported");
      const terms: Expr[] = [];
      for (let i = lo; i <= hi; i++) terms.push(build(node.body, { ...scope, indices: new Map([...scope.indices, [index, i]]) }));
      return add(...terms);
    }
  }
}

/** The names of a formula left to right as written (the order of a gradient's variables). */
function writtenNames(node: Node, scope: Scope): string[] {
  const out: string[] = [];
  const visit = (n: Node): void => {
    switch (n.type) {
      case "name": {
        const name = nameOf(n, scope);
        if (!out.includes(name)) out.push(name);
        return;
      }
      case "binary": visit(n.left); visit(n.right); return;
      case "negate": visit(n.operand); return;
      case "power": visit(n.base); visit(n.exp); return;
      case "call": visit(n.arg); if (n.power) visit(n.power); return;
      case "apply": n.args.forEach(visit); return;
      case "derivedApply": visit(n.arg); return;
      case "frac": visit(n.num); visit(n.den); return;
      case "sqrt": visit(n.arg); return;
      case "abs": visit(n.arg); return;
      case "group": visit(n.inner); return;
      case "dop": visit(n.body); return;
      case "sum": visit(n.body); return;
      default: return;
    }
  };
  try {
    visit(node);
  } catch {
    // a name that cannot be read here was reported when the body was built
  }
  return out;
}

function applyUser(name: string, args: readonly Expr[], scope: Scope): Expr {
  const f = scope.context.functions.get(name)!;
  if (f.params.length !== args.length) throw new DeriveError(`${name} takes ${f.params.length} arguments, not ${args.length}`);
  return substitute(f.body, new Map(f.params.map((p, i) => [sym(p) as Expr, args[i]!])));
}

/** Index of the bracket closing the one that opens `text`, or -1. */
function closingOf(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "{" || c === "(" || c === "[") depth++;
    else if ((c === "}" || c === ")" || c === "]") && --depth === 0) return i;
  }
  return -1;
}

/** Splits at a separator outside braces, brackets and parentheses. */
function splitOutside(text: string, separator: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth--;
    else if (depth === 0) {
      separator.lastIndex = i;
      const m = separator.exec(text);
      if (m && m.index === i) {
        out.push(text.slice(start, i));
        start = i + m[0].length;
        i = start - 1;
      }
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * The entries of a side that is one tuple or matrix as written, as text (row-major), so each entry
 * can be re-read to measure the rounding its numbers carry; undefined for any other side.
 */
export function entryTexts(side: string): string[] | undefined {
  const t = side.trim().replace(/^\\left\s*/, "").replace(/\\right\s*([)\]])$/, "$1");
  const env = /^\\begin\{([a-zA-Z]*matrix)\}([\s\S]*)\\end\{\1\}$/.exec(t);
  if (env) {
    const rows = splitOutside(env[2]!, /\\\\/y).filter((r) => r.trim() !== "");
    return rows.flatMap((r) => splitOutside(r, /&/y));
  }
  const open = t[0];
  if ((open !== "(" && open !== "[") || t[t.length - 1] !== (open === "(" ? ")" : "]")) return undefined;
  if (closingOf(t) !== t.length - 1) return undefined; // "(6, 6) - (1, 2)" is not one tuple
  const items = splitOutside(t.slice(1, -1), /,/y).map((x) => x.replace(/\\right\s*$/, "").replace(/^\s*\\left/, ""));
  const rows = items.map((x) => /^\s*\[[\s\S]*\]\s*$/.exec(x)?.[0].trim().slice(1, -1));
  if (open === "[" && rows.every((r) => r !== undefined)) return rows.flatMap((r) => splitOutside(r!, /,/y));
  return items;
}

/** Gives the entries of a tensor as written their text and a way to re-read it (carried rounding). */
function withEntryTexts(tensor: Tensor, texts: readonly string[] | undefined, reread: (text: string) => Side): Tensor {
  if (!texts || texts.length !== tensor.entries.length) return tensor;
  return { shape: tensor.shape, entries: tensor.entries.map((e, k) => ({ ...e, text: texts[k]!, reread: (t: string) => reread(t).expr })) };
}

/** Reads the sides of LaTeX claims in the derivation's context. */
export class LatexReader implements Reader {
  constructor(private readonly context: Context) {}

  fork(context: Context): LatexReader {
    return new LatexReader(context);
  }

  private scope(keep: ReadonlySet<string>): Scope {
    return { context: this.context, keep, indices: new Map(), tensors: new Tensors() };
  }

  side(text: string, keep: ReadonlySet<string>): Side {
    const node = parseTokens(tokenize(text), text);
    const scope = this.scope(keep);
    const reread = (t: string): Expr => this.side(t, keep).expr;
    let derivative: Side["derivative"];
    let expr: Expr;
    if (node.type === "dop" || node.type === "leib") {
      const parts = node.token.parts!;
      const operand = node.type === "dop" ? build(node.body, scope) : build(parseTokens(parts.numerator!, text), scope);
      const d = derivativeOf(operand, variablesOf(node.token, scope), scope);
      derivative = { operand: d.operand, wrt: d.wrt };
      expr = d.result;
    } else {
      const raw = build(node, scope);
      if (scope.tensors.size > 0) {
        const tensor = assemble(raw, scope.tensors, this.context);
        return { text, expr: raw, tensor: withEntryTexts(tensor, entryTexts(text), (t) => this.side(t, keep)) };
      }
      expr = this.context.inline(raw, keep);
      const literal = readLiteral(text.replace(/[{}]/g, ""));
      const resolve = (e: Expr): Expr => this.context.inline(e, keep);
      return { text, expr, raw, resolve, reread, ...(literal ? { literal } : {}) };
    }
    return { text, expr, reread, ...(derivative ? { derivative } : {}) };
  }

  /** The side in the formula language, for index programs (sums up to a symbolic bound). */
  indexSide(text: string): IndexSide {
    return latexIndexSide(parseTokens(tokenize(text), text), parseTokenList);
  }

  definitionTarget(text: string): { name: string; params: string[] } | undefined {
    let node: Node;
    try {
      node = parseTokens(tokenize(text), text);
    } catch {
      return undefined;
    }
    const scope = this.scope(new Set());
    if (node.type === "name") return { name: nameOf(node, scope), params: [] };
    // f(x, y) parses as an application or as f times the tuple (x, y)
    const application = node.type === "apply" ? { name: node.name, args: node.args }
      : node.type === "binary" && node.op === "implicit" && node.right.type === "list" && node.right.bracket === "(" ? { name: node.left, args: node.right.items }
        : undefined;
    if (application && application.name.type === "name" && application.args.every((a) => a.type === "name")) {
      return { name: nameOf(application.name, scope), params: application.args.map((a) => nameOf(a as Extract<Node, { type: "name" }>, scope)) };
    }
    if (node.type === "binary" && node.op === "implicit" && node.left.type === "name" && node.right.type === "group" && node.right.inner.type === "name") {
      // f(x): a one-argument function definition
      return { name: nameOf(node.left, scope), params: [nameOf(node.right.inner, scope)] };
    }
    return undefined;
  }

  define(targetText: string, bodyText: string): boolean {
    const target = this.definitionTarget(targetText);
    if (!target) throw new DeriveError(`cannot define "${targetText}"`);
    const node = parseTokens(tokenize(bodyText), bodyText);
    const scope = this.scope(new Set());
    const body = build(node, scope);
    if (scope.tensors.size > 0) throw new Unsupported("definitions of vectors and matrices are not supported: write the claim with the vector itself");
    if (target.params.length === 0 && freeSymbols(body).some((s) => s.name === target.name)) return false;
    this.context.written.set(target.name, writtenNames(node, scope));
    if (target.params.length > 0) this.context.defineFunction(target.name, target.params, body);
    else this.context.define(target.name, body);
    return true;
  }
}
