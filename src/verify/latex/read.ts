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
import { Unsupported } from "../types.js";
import { LatexTokenStream, tokenize, type LatexToken } from "./lexer.js";
import type { Node } from "./syntax.js";

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

interface Scope {
  readonly context: Context;
  readonly keep: ReadonlySet<string>;
  /** Sum indices bound to numbers. */
  readonly indices: ReadonlyMap<string, number>;
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
  const node = parseTokens(tokens, tokens.map((t) => t.text).join(""));
  if (node.type !== "name") throw new DeriveError(`cannot differentiate with respect to "${tokens.map((t) => t.text).join("")}": expected a name`);
  return nameOf(node, scope);
}

function integer(tokens: readonly LatexToken[], scope: Scope): number {
  const value = build(parseTokens(tokens, tokens.map((t) => t.text).join("")), scope);
  if (value.kind !== "num" || !Q.isInteger(value.value)) throw new Unsupported("sums with symbolic bounds are not supported yet");
  return Number(value.value.n);
}

/** Differentiates `operand` by `wrt`, holding `wrt` itself fixed when it is a defined name. */
function derivativeOf(operand: Expr, wrt: string, scope: Scope): { operand: Expr; result: Expr } {
  const inlined = scope.context.inline(operand, new Set([...scope.keep, wrt]));
  return { operand: inlined, result: differentiateSafe(inlined, wrt) };
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
      throw new Unsupported("matrices are not supported yet (transpose)");
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
    case "dop": {
      const wrt = variable(node.token.parts!.wrt!, scope);
      return derivativeOf(build(node.body, scope), wrt, scope).result;
    }
    case "leib": {
      const parts = node.token.parts!;
      const wrt = variable(parts.wrt!, scope);
      const f = build(parseTokens(parts.numerator!, parts.numerator!.map((t) => t.text).join("")), scope);
      return derivativeOf(f, wrt, scope).result;
    }
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

function applyUser(name: string, args: readonly Expr[], scope: Scope): Expr {
  const f = scope.context.functions.get(name)!;
  if (f.params.length !== args.length) throw new DeriveError(`${name} takes ${f.params.length} arguments, not ${args.length}`);
  return substitute(f.body, new Map(f.params.map((p, i) => [sym(p) as Expr, args[i]!])));
}

/** Reads the sides of LaTeX claims in the derivation's context. */
export class LatexReader implements Reader {
  constructor(private readonly context: Context) {}

  private scope(keep: ReadonlySet<string>): Scope {
    return { context: this.context, keep, indices: new Map() };
  }

  side(text: string, keep: ReadonlySet<string>): Side {
    const node = parseTokens(tokenize(text), text);
    const scope = this.scope(keep);
    const reread = (t: string): Expr => this.side(t, keep).expr;
    let derivative: Side["derivative"];
    let expr: Expr;
    if (node.type === "dop" || node.type === "leib") {
      const parts = node.token.parts!;
      const wrt = variable(parts.wrt!, scope);
      const operand = node.type === "dop" ? build(node.body, scope) : build(parseTokens(parts.numerator!, text), scope);
      const d = derivativeOf(operand, wrt, scope);
      derivative = { operand: d.operand, wrt };
      expr = d.result;
    } else {
      const raw = build(node, scope);
      expr = this.context.inline(raw, keep);
      const literal = readLiteral(text.replace(/[{}]/g, ""));
      const resolve = (e: Expr): Expr => this.context.inline(e, keep);
      return { text, expr, raw, resolve, reread, ...(literal ? { literal } : {}) };
    }
    return { text, expr, reread, ...(derivative ? { derivative } : {}) };
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
    if (node.type === "apply" && node.name.type === "name" && node.args.every((a) => a.type === "name")) {
      return { name: nameOf(node.name, scope), params: node.args.map((a) => nameOf(a as Extract<Node, { type: "name" }>, scope)) };
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
    const body = build(parseTokens(tokenize(bodyText), bodyText), this.scope(new Set()));
    if (target.params.length === 0 && freeSymbols(body).some((s) => s.name === target.name)) return false;
    if (target.params.length > 0) this.context.defineFunction(target.name, target.params, body);
    else this.context.define(target.name, body);
    return true;
  }
}
