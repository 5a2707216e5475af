/**
 * Claims in the text syntax of the formula language, with derivative operators read here:
 * `d/dx sigmoid(x)`, `∂/∂w12 (b2 + w12*x1)` (the operator applies to the rest of the side) and
 * Leibniz quotients `∂L/∂c`, `dL/dw_3` anywhere in a side (the derivative of a defined name).
 */
import { Q, differentiateSafe, sym, type Expr } from "./deps.js";
import { freeSymbols, substitute } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { canonicalName, parseExpression, parseProgram } from "../parse/index.js";
import { lookupFunction } from "../functions/index.js";
import type { Context } from "./context.js";
import type { Side } from "./compare.js";
import { Unsupported } from "./types.js";
import type { Reader } from "./chain.js";

const NAME = String.raw`[\p{L}][\p{L}\p{M}\p{Nd}]*(?:_\{[^}]*\}|_[\p{L}\p{Nd}]+)*`;
const LEIBNIZ = new RegExp(String.raw`(?<![\p{L}\p{Nd}_])(d|∂)\s*(${NAME})\s*/\s*(?:d|∂)\s*(${NAME})(?![\p{L}\p{Nd}_(])`, "gu");
/** A derivative operator `d/dx`, `∂/∂w_12`. */
const OPERATOR = new RegExp(String.raw`(?<![\p{L}\p{Nd}_])(?:d|∂)\s*/\s*(?:d|∂)\s*(${NAME})(?![\p{L}\p{M}\p{Nd}_])`, "gu");
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

  private parse(text: string): Expr {
    if (/[[\]]/.test(text)) throw new Unsupported("matrices are not supported yet");
    try {
      return parseProgram([...this.context.source, text].join("\n")).target;
    } catch (err) {
      if (err instanceof DeriveError && this.context.source.length > 0) parseExpression(text); // the error in the claim's own terms
      throw err;
    }
  }

  /** Replaces Leibniz quotients by placeholder names and returns their derivatives. */
  private leibniz(text: string, keep: ReadonlySet<string>): { text: string; derivatives: Map<Expr, Expr>; whole?: { operand: Expr; wrt: string } } {
    const derivatives = new Map<Expr, Expr>();
    let whole: { operand: Expr; wrt: string } | undefined;
    let count = 0;
    const replaced = text.replace(LEIBNIZ, (match, d: string, f: string, x: string) => {
      const fname = name(f);
      // dL/dw only when L is a defined name (d/dx… is a quotient otherwise); ∂ always
      if (d === "d" && !this.context.isDefined(fname)) return match;
      const wrt = name(x);
      const operand = this.context.inline(sym(fname), new Set([...keep, wrt]));
      const placeholder = sym(`__d${this.placeholders++}_${count++}`);
      derivatives.set(placeholder, differentiateSafe(operand, wrt));
      if (match.trim() === text.trim()) whole = { operand, wrt };
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
      const wrt = name(m[1]!);
      const inner = new Map<Expr, Expr>();
      const innerKeep = new Set([...keep, wrt]);
      const expanded = this.expand(operandText, innerKeep, inner);
      const operand = this.context.inline(substitute(this.parse(expanded.text), inner), innerKeep);
      const placeholder = sym(`__o${this.placeholders++}`);
      derivatives.set(placeholder, differentiateSafe(operand, wrt));
      if (out.slice(0, m.index).trim() === "" && out.slice(end).trim() === "") whole = { operand, wrt };
      out = `${out.slice(0, m.index)}${placeholder.name}${out.slice(end)}`;
    }
    const quotients = this.leibniz(out, keep);
    for (const [k, v] of quotients.derivatives) derivatives.set(k, v);
    whole ??= quotients.whole;
    return whole ? { text: quotients.text, whole } : { text: quotients.text };
  }

  private placeholders = 0;

  side(text: string, keep: ReadonlySet<string>): Side {
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

  private resolve(e: Expr, derivatives: Map<Expr, Expr>, keep: ReadonlySet<string>): Expr {
    return this.context.inline(substitute(e, derivatives), keep);
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
    if (/[[\]]/.test(bodyText)) throw new Unsupported("matrices are not supported yet");
    const line = `${target} = ${bodyText}`;
    const named = this.definitionTarget(target);
    if (named && named.params.length === 0 && freeSymbols(this.parse(bodyText)).some((s) => s.name === named.name)) return false;
    const program = parseProgram([...this.context.source, line].join("\n"));
    const def = program.definitions[program.definitions.length - 1]!;
    this.context.source.push(line);
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
