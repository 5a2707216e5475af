/**
 * Claims in the text syntax of the formula language, with derivative operators read here:
 * `d/dx sigmoid(x)`, `∂/∂w12 (b2 + w12*x1)` (the operator applies to the rest of the side),
 * Leibniz quotients `∂L/∂c`, `dL/dw_3` anywhere in a side (the derivative of a defined name), and
 * their higher orders `d²/dx² …`, `∂^2/∂x∂y …`, `∂²f/∂x1∂x2`. Vectors and matrices are read
 * here too: tuples `(-6, 6)`, `[[2, -1], [-1, 2]]`, gradients `∇f`, `∇f(6, 6)`, Hessians `∇²f`.
 */
import { splitTopLevel } from "../parse/assignments.js";
import { Q, differentiateSafe, sym, type Expr } from "./deps.js";
import { freeSymbols, substitute } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { canonicalName, parseExpression, parseProgram, parseStatements } from "../parse/index.js";
import { listItems, syntaxChildren, type Statement, type Syntax } from "../parse/syntax.js";
import { usesSymbolicSums } from "../index-notation/index.js";
import type { IndexSide } from "./index-sums.js";
import { lookupFunction } from "../functions/index.js";
import type { Context } from "./context.js";
import type { Side } from "./compare.js";
import { MATRIX_CALCULUS, SymbolicBound, Unsupported } from "./types.js";
import type { Reader } from "./chain.js";
import { assemble, derivativeTensor, fromRows, isPlaceholder, Tensors } from "./tensor.js";

const SUPERSCRIPT: Record<string, number> = { "²": 2, "³": 3 };
const orderOf = (digit: string | undefined, sup: string | undefined): number => (digit ? Number(digit) : sup ? SUPERSCRIPT[sup]! : 1);

/** The variables of a denominator, one per differentiation, left to right (`∂x^2∂y`: x, x, y). */
function denominatorVariables(text: string): string[] {
  return writtenVariables(text).map(name);
}

/** Checks that the order written after d or ∂ matches the denominator. */
function checkOrder(match: string, order: number, variables: readonly string[]): void {
  if (order !== variables.length) {
    throw new DeriveError(`${match.trim()}: the derivative's order ${order} does not match its ${variables.length} variable${variables.length === 1 ? "" : "s"}`);
  }
}

/** ∂ⁿ/∂x…∂y of e: by the last variable first; `operand` is what the last (first written) one applies to. */
function differentiateAll(e: Expr, wrts: readonly string[]): { operand: Expr; wrt: string; result: Expr } {
  let inner = e;
  for (let k = wrts.length - 1; k > 0; k--) inner = differentiateSafe(inner, wrts[k]!);
  return { operand: inner, wrt: wrts[0]!, result: differentiateSafe(inner, wrts[0]!) };
}

/** Index of the bracket closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && --depth === 0) return i;
  }
  return -1;
}


/** Whether the "(" at `open` applies a function (a name right before it) rather than grouping. */
function isApplication(text: string, open: number): boolean {
  const before = text.slice(0, open).replace(/\s+$/, "");
  const m = /[\p{L}\p{Nd}_'}]+$/u.exec(before);
  return m !== null && /^[\p{L}_]/u.test(m[0]);
}

/** A name as claims write it: a letter, then letters, marks and digits, then `_sub` or `_{sub}` parts. */
export const NAME = String.raw`[\p{L}][\p{L}\p{M}\p{Nd}]*(?:_\{[^}]*\}|_[\p{L}\p{Nd}]+)*`;
/** The order after d or ∂ (`d²`, `∂^2`), captured. */
const ORDER = String.raw`(?:\^\s*(\d)|([²³]))?`;
/** One variable of a denominator, with its power (`∂x`, `dx^2`, `∂x1²`). */
const VARIABLE = String.raw`(?:d|∂)\s*(${NAME})(?:\s*\^\s*(\d)|([²³]))?`;
const DENOMINATOR = String.raw`((?:${VARIABLE.replace(/\((?!\?)/g, "(?:")}\s*)+)`;
const LEIBNIZ = new RegExp(String.raw`(?<![\p{L}\p{Nd}_])(d|∂)${ORDER}\s*(${NAME})\s*/\s*${DENOMINATOR}(?![\p{L}\p{Nd}_(])`, "gu");
/** A derivative operator `d/dx`, `∂/∂w_12`, `d²/dx²`, `∂^2/∂x∂y`. */
const OPERATOR = new RegExp(String.raw`(?<![\p{L}\p{Nd}_])(?:d|∂)${ORDER}\s*/\s*${DENOMINATOR}(?![\p{L}\p{M}\p{Nd}_])`, "gu");
const NAMES = new RegExp(NAME, "gu");
/** A side that is one derivative operator and its operand, and one Leibniz quotient (index programs). */
const WHOLE_OPERATOR = new RegExp(String.raw`^\s*` + OPERATOR.source, "u");
const WHOLE_LEIBNIZ = new RegExp(String.raw`^\s*` + LEIBNIZ.source + String.raw`\s*$`, "u");

/** The variables of a denominator as written (not canonical: x_j, w_jk), one per differentiation. */
function writtenVariables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(VARIABLE, "gu"))) {
    const n = orderOf(m[2], m[3]);
    for (let k = 0; k < n; k++) out.push(m[1]!);
  }
  return out;
}

/** The names in the bounds of the sums of a program that are not whole numbers (sum(…, i, 1, n): n). */
function boundNames(statements: readonly Statement[]): string[] {
  const out = new Set<string>();
  const stack: Syntax[] = [];
  for (const st of statements) if (st.type !== "declare") stack.push(st.type === "expression" ? st.expr : st.body);
  const namesIn = (b: Syntax | string | null): void => {
    if (b === null) return;
    if (typeof b === "string") {
      for (const m of b.matchAll(NAMES)) out.add(m[0]);
      return;
    }
    const inner: Syntax[] = [b];
    while (inner.length > 0) {
      const n = inner.pop()!;
      if (n.type === "name") out.add(n.token.text);
      inner.push(...syntaxChildren(n));
    }
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "apply" && n.callee.text === "sum") {
      const args = listItems(n.args);
      if (args.length === 4) {
        namesIn(args[2]!);
        namesIn(args[3]!);
      }
    } else if (n.type === "bigsum") {
      namesIn(n.lower);
      namesIn(n.upper);
    }
    stack.push(...syntaxChildren(n));
  }
  return [...out];
}
/** ∇f, ∇²f, ∇^2 f: a gradient or Hessian (its point, if any, follows in parentheses). */
const NABLA = new RegExp(String.raw`∇\s*(?:\^\s*(\d)|([²³]))?\s*(${NAME})`, "gu");
const LITERAL = /^\s*-?\s*(\d+(?:\.(\d+))?|\.(\d+))\s*$/;
const DEFINITION = new RegExp(String.raw`^\s*(${NAME})\s*(?:\(\s*(${NAME}(?:\s*,\s*${NAME})*)\s*\))?\s*$`, "u");

function name(raw: string): string {
  try {
    return canonicalName(raw);
  } catch (err) {
    throw new DeriveError(err instanceof Error ? err.message : String(err));
  }
}

/** A bare number as written, with its decimals. */
export function readLiteral(text: string): Side["literal"] {
  const m = LITERAL.exec(text);
  if (!m) return undefined;
  const decimals = (m[2] ?? m[3] ?? "").length;
  return { value: Q.parseDecimal(text.replace(/\s+/g, "")), decimals };
}

export class TextReader implements Reader {
  constructor(private readonly context: Context) {}

  fork(context: Context): TextReader {
    return new TextReader(context);
  }

  private parse(text: string): Expr {
    if (/[[\]]/.test(text)) throw new Unsupported(MATRIX_CALCULUS);
    try {
      return parseProgram([...this.context.source, text].join("\n")).target;
    } catch (err) {
      if (err instanceof DeriveError) {
        const expanded = this.withBounds(text);
        if (expanded !== undefined) return this.parse(expanded);
      }
      if (err instanceof DeriveError && this.context.source.length > 0) parseExpression(text); // the error in the claim's own terms
      throw err;
    }
  }

  /**
   * A text with sums up to a symbolic bound: the bounds replaced by their given values (n = 3 in
   * the context: every n of the text is 3), or a SymbolicBound naming those without a value.
   * Undefined when the text has no such sum.
   */
  private withBounds(text: string): string | undefined {
    let statements: Statement[];
    try {
      statements = parseStatements(text);
    } catch {
      return undefined;
    }
    if (!usesSymbolicSums(statements)) return undefined;
    const names = boundNames(statements);
    const valueOf = (raw: string): bigint | undefined => {
      let v: Expr | undefined;
      try {
        v = this.context.values.get(canonicalName(raw));
      } catch {
        return undefined;
      }
      return v?.kind === "num" && Q.isInteger(v.value) ? v.value.n : undefined;
    };
    const values = new Map(names.map((n) => [n, valueOf(n)]));
    const missing = names.filter((n) => values.get(n) === undefined);
    if (missing.length > 0) throw new SymbolicBound(missing.map(name));
    let out = text;
    for (const n of names) {
      const escaped = n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const value = values.get(n)!;
      // an exponent or Σ's upper bound takes the bare number (Σ_{i=1}^{3}); elsewhere in
      // parentheses, so that 2n is 2(3), not 23
      if (value >= 0n) out = out.replace(new RegExp(String.raw`(\^\s*\{?\s*)${escaped}(?![\p{L}\p{M}\p{Nd}_])`, "gu"), `$1${value}`);
      out = out.replace(new RegExp(String.raw`(?<![\p{L}\p{Nd}_])${escaped}(?![\p{L}\p{M}\p{Nd}_])`, "gu"), `(${value})`);
    }
    return out === text ? undefined : out;
  }

  /** The side for index programs (sums up to a symbolic bound): a whole-side derivative operator's operand and variables, or the side. */
  indexSide(text: string): IndexSide {
    const op = WHOLE_OPERATOR.exec(text);
    if (op) {
      const start = op.index + op[0].length;
      if (termEnd(text, start) !== text.length) throw new Unsupported("a derivative operator applied to part of a side is not checked in index notation");
      const wrts = writtenVariables(op[3]!);
      checkOrder(op[0], orderOf(op[1], op[2]), wrts);
      return { text: text.slice(start), wrts };
    }
    const q = WHOLE_LEIBNIZ.exec(text);
    if (q) {
      const wrts = writtenVariables(q[5]!);
      checkOrder(q[0], orderOf(q[2], q[3]), wrts);
      return { text: q[4]!, wrts };
    }
    if (/[∇[\]]/.test(text)) throw new Unsupported("vectors and matrices are not checked in index notation");
    return { text };
  }

  /** Replaces Leibniz quotients by placeholder names and returns their derivatives. */
  private leibniz(text: string, keep: ReadonlySet<string>): { text: string; derivatives: Map<Expr, Expr>; whole?: { operand: Expr; wrt: string } } {
    const derivatives = new Map<Expr, Expr>();
    let whole: { operand: Expr; wrt: string } | undefined;
    let count = 0;
    const replaced = text.replace(LEIBNIZ, (match: string, d: string, digit: string | undefined, sup: string | undefined, f: string, denominator: string) => {
      const fname = name(f);
      // dL/dw only when L is a defined name (d/dx… is a quotient otherwise); ∂ always
      if (d === "d" && !this.context.isDefined(fname)) return match;
      const wrts = denominatorVariables(denominator);
      checkOrder(match, orderOf(digit, sup), wrts);
      const d2 = differentiateAll(this.context.inline(sym(fname), new Set([...keep, ...wrts])), wrts);
      const placeholder = sym(`__d${this.placeholders++}_${count++}`);
      derivatives.set(placeholder, d2.result);
      if (match.trim() === text.trim()) whole = { operand: d2.operand, wrt: d2.wrt };
      return placeholder.name;
    });
    return whole ? { text: replaced, derivatives, whole } : { text: replaced, derivatives };
  }

  /**
   * Replaces derivative operators by placeholder names: `d/dx u` and `∂/∂w12 u` apply to the rest
   * of the term they start (up to the next + or - outside brackets, or the closing bracket
   * around them), so `d/dx(x^2) + 1` is 2x + 1 and `d/dx sigmoid(x)*x` differentiates the product.
   */
  private expand(text: string, keep: ReadonlySet<string>, derivatives: Map<Expr, Expr>): { text: string; whole?: { operand: Expr; wrt: string } } {
    let out = text;
    let whole: { operand: Expr; wrt: string } | undefined;
    for (;;) {
      OPERATOR.lastIndex = 0;
      const m = OPERATOR.exec(out);
      if (!m) break;
      const start = m.index + m[0].length;
      const end = termEnd(out, start);
      const operandText = out.slice(start, end);
      if (operandText.trim() === "") throw new DeriveError(`${m[0].trim()} has nothing to differentiate`);
      const wrts = denominatorVariables(m[3]!);
      checkOrder(m[0], orderOf(m[1], m[2]), wrts);
      const inner = new Map<Expr, Expr>();
      const innerKeep = new Set([...keep, ...wrts]);
      const expanded = this.expand(operandText, innerKeep, inner);
      const operand = this.context.inline(substitute(this.parse(expanded.text), inner), innerKeep);
      if (freeSymbols(operand).some((x) => isPlaceholder(x.name))) throw new Unsupported("derivatives of vectors and matrices are not supported: differentiate each component");
      const d = differentiateAll(operand, wrts);
      const placeholder = sym(`__o${this.placeholders++}`);
      derivatives.set(placeholder, d.result);
      if (out.slice(0, m.index).trim() === "" && out.slice(end).trim() === "") whole = { operand: d.operand, wrt: d.wrt };
      out = `${out.slice(0, m.index)}${placeholder.name}${out.slice(end)}`;
    }
    const quotients = this.leibniz(out, keep);
    for (const [k, v] of quotients.derivatives) derivatives.set(k, v);
    whole ??= quotients.whole;
    return whole ? { text: quotients.text, whole } : { text: quotients.text };
  }

  private placeholders = 0;

  /**
   * Replaces the vectors and matrices of a side by placeholders: tuples `(a, b)` (a "(" that does
   * not apply a function), `[a, b]`, `[[a, b], [c, d]]`, `∇f`, `∇²f` and `∇f(a, b)`.
   */
  private extractTensors(text: string, keep: ReadonlySet<string>, tensors: Tensors): string {
    let out = text.replace(NABLA, (match, digit: string | undefined, sup: string | undefined, f: string) => {
      const order = orderOf(digit, sup);
      if (order !== 1 && order !== 2) throw new DeriveError(`${match.trim()}: ∇ is the gradient, ∇² the Hessian`);
      return `\u0000${order}${name(f)}\u0000`;
    });
    for (let i = 0; i < out.length; i++) {
      const c = out[i]!;
      if (c === "\u0000") {
        // a marked ∇: its name, then its point in parentheses if one follows
        const end = out.indexOf("\u0000", i + 1);
        const order = Number(out[i + 1]) as 1 | 2;
        const fname = out.slice(i + 2, end);
        let after = end + 1;
        let point: Expr[] | undefined;
        const open = /^\s*\(/.exec(out.slice(after));
        if (open) {
          const at = after + open[0].length - 1;
          const close = closing(out, at);
          if (close < 0) throw new DeriveError(`"(" without a matching ")"`);
          point = splitTopLevel(out.slice(at + 1, close), ",", false).map((a) => {
            if (a.trim() === "") throw new DeriveError(`an empty argument in ∇${fname}(…)`);
            return this.side(a, keep).expr;
          });
          after = close + 1;
        }
        const tensor = derivativeTensor(fname, order, point, this.context, (n) => this.context.written.get(n) ?? []);
        const placeholder = tensors.add(tensor);
        out = `${out.slice(0, i)} ${placeholder.name} ${out.slice(after)}`;
        continue;
      }
      if ((c === "(" && !isApplication(out, i)) || c === "[") {
        const close = closing(out, i);
        if (close < 0) continue;
        const items = splitTopLevel(out.slice(i + 1, close), ",", false);
        if (c === "(" && items.length < 2) continue;
        const rows = c === "[" && items.every((it) => /^\s*\[[\s\S]*\]\s*$/.test(it))
          ? items.map((it) => splitTopLevel(it.trim().slice(1, -1), ",", false))
          : undefined;
        const entry = (t: string): Side => {
          if (t.trim() === "") throw new DeriveError(`an empty entry in "${out.slice(i, close + 1).trim()}"`);
          const side = this.side(t, keep);
          if (side.tensor) throw new Unsupported("vectors of vectors are not supported");
          return side;
        };
        const tensor = rows ? fromRows(rows.map((r) => r.map(entry)), true) : fromRows(items.map((it) => [entry(it)]), false);
        const placeholder = tensors.add(tensor);
        out = `${out.slice(0, i)} ${placeholder.name} ${out.slice(close + 1)}`;
      }
    }
    return out;
  }

  side(text: string, keep: ReadonlySet<string>): Side {
    const tensors = new Tensors();
    const replaced = /[([∇]/.test(text) ? this.extractTensors(text, keep, tensors) : text;
    if (tensors.size > 0) {
      const derivatives = new Map<Expr, Expr>();
      const expanded = this.expand(replaced, keep, derivatives);
      const expr = this.context.inline(substitute(this.parse(expanded.text), derivatives), keep);
      return { text, expr, tensor: assemble(expr, tensors, this.context) };
    }
    const reread = (t: string): Expr => this.side(t, keep).expr;
    const derivatives = new Map<Expr, Expr>();
    const expanded = this.expand(text, keep, derivatives);
    const raw = substitute(this.parse(expanded.text), derivatives);
    if (expanded.whole) {
      // the derivative is written in the variable itself when that is a defined name (∂L/∂f)
      const expr = this.context.inline(raw, new Set([...keep, expanded.whole.wrt]));
      return { text, expr, derivative: expanded.whole, reread };
    }
    const expr = this.context.inline(raw, keep);
    const literal = readLiteral(text);
    return {
      text,
      expr,
      raw,
      resolve: (e: Expr) => this.context.inline(e, keep),
      ...(literal ? { literal } : {}),
      reread,
    };
  }

  definitionTarget(text: string): { name: string; params: string[] } | undefined {
    const m = DEFINITION.exec(text);
    if (!m) return undefined;
    const n = name(m[1]!);
    if (lookupFunction(n) && m[2] !== undefined) return undefined;
    if (m[2] === undefined && lookupFunction(n)) return undefined;
    return { name: n, params: m[2] === undefined ? [] : m[2].split(",").map((p) => name(p.trim())) };
  }

  define(target: string, bodyText: string): boolean {
    if (/[[(∇]/.test(bodyText) && this.extractTensors(bodyText, new Set(), new Tensors()) !== bodyText) {
      throw new Unsupported("definitions of vectors and matrices are not supported: write the claim with the vector itself");
    }
    const line = `${target} = ${bodyText}`;
    const named = this.definitionTarget(target);
    if (named && named.params.length === 0 && freeSymbols(this.parse(bodyText)).some((s) => s.name === named.name)) return false;
    const program = parseProgram([...this.context.source, line].join("\n"));
    const def = program.definitions[program.definitions.length - 1]!;
    this.context.source.push(line);
    // the body's names as written, for the order of a gradient's variables
    const used = new Set(freeSymbols(def.body).map((s) => s.name));
    this.context.written.set(def.name, [...new Set([...bodyText.matchAll(NAMES)].map((m) => m[0]).filter((n) => !lookupFunction(n)).map(name))].filter((n) => used.has(n)));
    if (def.params.length > 0) this.context.defineFunction(def.name, def.params, def.body);
    else this.context.define(def.name, def.body);
    return true;
  }
}

/** Where the term starting at `start` ends: a + or - between terms outside brackets, or the bracket closing around it. */
function termEnd(text: string, start: number): number {
  let depth = 0;
  let prev = "";
  let beforePrev = "";
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (c === "+" || c === "-" || c === "−") && prev !== "") {
      const afterOperator = /[*/^(,·×÷+\-−]/.test(prev);
      const exponent = /[eE]/.test(prev) && /\d/.test(beforePrev);
      if (!afterOperator && !exponent) return i;
    }
    if (!/\s/.test(c)) {
      beforePrev = prev;
      prev = c;
    }
  }
  return text.length;
}
